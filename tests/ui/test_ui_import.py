"""导入 page: uploads (PDF, JSON, pasted text), the table of forms, bad files, and opening a form."""

from __future__ import annotations

from seedpaths import SEED_JSON, SEED_PDF, SEED_TEXT
from ui_helpers import (
    metric,
    open_seed,
    texts,
    upload,
    upload_seed_json,
)

from perfeval.store import Store


def _tables(at):
    return [d.value for d in at.dataframe if "规则总分" in d.value.columns]


def _table(at):
    (table,) = _tables(at)
    return table


def test_pdf_bundle_lists_five_forms_with_scores(app):
    upload(app, ("seed-2022.pdf", SEED_PDF.read_bytes()))
    assert not app.exception
    assert not app.error
    table = _table(app)
    assert list(table["项目名称"]) == [
        "网络信息系统开发、升级、建设（历年已批复）",
        "深化“一网通办”专项费用",
        "宣传与推广",
        "窗口业务管理",
        "网络信息系统运行与维护",
    ]
    assert list(table["规则总分"]) == [92, 88, 100, 97.6, 100]
    assert list(table["年度"]) == [2022] * 5
    assert set(table["等级"]) <= {"优", "良", "中", "差"}
    assert {"错误", "警告"} <= set(table.columns)
    # a progress bar was shown while reading the pages
    assert "读取完成" in app.get("progress")[0].proto.text
    # one pair of buttons per form
    assert [b.key for b in app.button if b.key and b.key.startswith("draft_")] == [
        f"draft_{i}" for i in range(5)
    ]


def test_upload_is_read_once_not_on_every_rerun(app):
    upload_seed_json(app, 4)
    app.run()
    app.run()
    assert len(_table(app)) == 1


def test_bad_file_shows_importer_message_and_keeps_the_rest(app):
    upload(
        app,
        ("seed-4.json", SEED_JSON[3].read_bytes()),
        ("broken.pdf", b"%PDF-1.7\nthis is not really a pdf"),
        ("notes.json", "{这不是 JSON".encode()),
    )
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 2
    assert errors[0].startswith("「broken.pdf」无法导入：")
    assert errors[1].startswith("「notes.json」无法导入：") and "JSON" in errors[1]
    assert len(_table(app)) == 1  # the good file's form is there


def test_pasted_text_is_imported(app):
    app.text_area(key="paste_text").input(SEED_TEXT.read_text(encoding="utf-8"))
    app.button(key="paste_read").click().run()
    assert not app.exception
    assert len(_table(app)) == 5


def test_empty_paste_says_so(app):
    app.button(key="paste_read").click().run()
    assert "没有粘贴任何内容" in texts(app)


def test_review_opens_editor_and_stores_the_draft(app, db_path):
    open_seed(app, 4)
    assert metric(app, "规则总分") == "97.6"
    assert any("窗口业务管理" in h.value for h in app.header)
    store = Store(db_path)
    drafts = store.list()
    assert [(d.project, d.year, d.mode, d.revision) for d in drafts] == [("窗口业务管理", 2022, "review", 1)]
    # the file it came from is recorded (name, hash, size), and linked to the draft
    (source,) = store.source_files()
    assert (source.name, source.size) == ("seed-4.json", SEED_JSON[3].stat().st_size)
    assert drafts[0].source_file_id == source.id


def test_draft_next_year_rolls_forward(app, db_path):
    open_seed(app, 4, mode="draft")
    assert any("2023年度" in h.value for h in app.header)
    record = Store(db_path).list()[0]
    assert (record.year, record.mode) == (2023, "draft")
    # next year's draft has no actuals yet, and the draft's suggestions are offered
    assert "草拟建议" in "".join(s.value for s in app.subheader)


def test_clear_empties_the_list(app):
    upload_seed_json(app, 1, 2)
    app.button(key="import_clear").click().run()
    assert not _tables(app)


def test_office_files_are_accepted(app, seed_forms):
    from perfeval.export import export_forms

    upload(
        app,
        ("bundle.xlsx", export_forms(seed_forms[:2], "xlsx")),
        ("one.docx", export_forms(seed_forms[3:4], "docx")),
    )
    assert not app.error, [e.value for e in app.error]
    assert list(_table(app)["项目名称"]) == [f.project_name for f in (*seed_forms[:2], seed_forms[3])]


def test_legacy_and_web_files_are_accepted(app):
    """An XLS and a saved web page (LibreOffice-made fixtures of four forms each); the uploader lists them."""
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "ingest" / "data"
    names = [f["project_name"] for f in json.loads((data / "formats.json").read_text("utf-8"))["forms"]]
    accepted = set(app.file_uploader(key="uploads").proto.type)
    assert {".xls", ".doc", ".wps", ".et", ".odt", ".ods", ".html", ".htm", ".mhtml"} <= accepted
    upload(
        app,
        ("去年.xls", (data / "formats.xls").read_bytes()),
        ("网页.htm", (data / "formats-writer.html").read_bytes()),
    )
    assert not app.error, [e.value for e in app.error]
    assert list(_table(app)["项目名称"]) == names * 2
