"""导出 page: downloads of one form or a bundle in each format, sign-off details, marking final."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from ui_helpers import go_to, open_seed, texts

from perfeval.store import Store


@pytest.fixture()
def downloads(monkeypatch):
    """The files the download button sends, by file name: each one as Streamlit stores it for the
    button (the bytes are built by the click on 生成文件)."""
    made: dict[str, list[bytes]] = {}
    original = MediaFileManager.add

    def record(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            made.setdefault(file_name, []).append(path_or_data)
        return original(self, path_or_data, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record)
    return made


def generate(at):
    at.button(key="exp_generate").click().run()
    assert not at.exception, at.exception
    return at


def _go(at):
    return go_to(at, "export")


@pytest.fixture()
def exporting(app):
    return _go(open_seed(app, index=3))


def _button(at):
    return next(b for b in at.get("download_button") if b.key == "exp_download")


def test_xlsx_of_the_current_draft_with_signoff(exporting, downloads):
    at = exporting
    assert not at.get("download_button")  # nothing is built before the click
    # typed and not yet applied: the click on 生成 commits the fields first, then builds the file
    at.text_input(key="exp_unit_leader").input("王五")
    at.text_input(key="exp_filled_by").input("赵六")
    generate(at)
    name = "2022年度_窗口业务管理.xlsx"
    assert _button(at).proto.label == f"下载 {name}"
    data = downloads[name][-1]
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "窗口业务管理" in cells and "服务新开办企业数量" in cells
    assert "王五" in cells and "赵六" in cells
    assert "草稿" in (book.worksheets[0].oddHeader.right.text or "")  # not final: the draft mark


@pytest.mark.parametrize("fmt", ["docx", "pdf", "json"])
def test_each_format_downloads(exporting, downloads, fmt):
    at = exporting
    at.radio(key="exp_format").set_value(fmt).run()
    data = downloads[f"2022年度_窗口业务管理.{fmt}"][-1] if generate(at) else b""
    magic = {"docx": b"PK", "pdf": b"%PDF", "json": b"{"}[fmt]
    assert data.startswith(magic)
    if fmt == "json":
        assert [f["project_name"] for f in json.loads(data)["forms"]] == ["窗口业务管理"]


def test_bundle_of_the_imported_forms(exporting, downloads):
    at = exporting
    at.radio(key="exp_scope").set_value("imported")
    at.radio(key="exp_format").set_value("json").run()
    data = json.loads(downloads["2022年度_自评表汇总_5张.json"][-1] if generate(at) else b"")
    assert len(data["forms"]) == 5


def test_bundle_of_saved_drafts(exporting, downloads):
    at = exporting
    at.radio(key="exp_scope").set_value("saved").run()
    at.multiselect(key="exp_saved").set_value([1]).run()
    at.radio(key="exp_format").set_value("json").run()
    data = json.loads(downloads["2022年度_窗口业务管理.json"][-1] if generate(at) else b"")
    assert data["forms"][0]["project_name"] == "窗口业务管理"


def test_mark_final_saves_signoff_and_freezes_the_draft(exporting, db_path):
    at = exporting
    at.text_input(key="exp_unit_leader").input("王五")
    at.text_input(key="exp_phone").input("021-12345678").run()
    at.button(key="exp_mark_final").click().run()
    # it asks first: nothing is wrong, nothing is empty
    assert "没有错误，实际完成值都已填写。" in texts(at)
    assert Store(db_path).get(1).status == "草稿"
    at.button(key="exp_final_confirm").click().run()
    assert not at.exception
    record = Store(db_path).get(1)
    assert record.status == "定稿"
    assert record.form.extra["signoff"]["unit_leader"] == "王五"
    assert record.form.extra["signoff"]["phone"] == "021-12345678"
    assert "此草稿已定稿" in texts(at)
    assert "exp_final" not in [c.key for c in at.checkbox]  # a final draft exports as final
    # the editor is read-only now and offers to reopen
    go_to(at, "edit")
    assert "此草稿已定稿，不能修改。" in texts(at)
    at.button(key="reopen").click().run()
    assert Store(db_path).get(1).status == "草稿"


def test_nothing_to_export(app):
    _go(app)
    assert "请选择要导出的表" in texts(app)


def test_a_changed_option_withdraws_the_file_and_each_click_builds_one(exporting, downloads):
    at = exporting
    for fmt in ["pdf", "docx", "xlsx", "json", "pdf"]:
        at.radio(key="exp_format").set_value(fmt).run()
        assert not at.get("download_button")  # the previous file was built from other options
        generate(at)
        assert _button(at).proto.label.endswith(f".{fmt}")
    assert sum(len(v) for v in downloads.values()) == 5
    at.text_input(key="exp_unit_leader").input("张三").run()
    assert not at.get("download_button") and "请重新生成文件" in texts(at)


def test_summary_before_export(app):
    at = open_seed(app, index=3, mode="draft")  # next year's draft: nothing filled in yet
    _go(at)
    table = next(d.value for d in at.dataframe if "未填实际完成值" in d.value.columns)
    row = table.iloc[0]
    assert (row["规则总分"], row["等级"]) == ("待填报", "待填报")
    assert row["未填实际完成值"] == 12 and row["错误"] >= 0


def test_final_with_errors_needs_a_reason(exporting, db_path):
    at = exporting
    go_to(at, "edit")
    edit = next(e for e in at.data_editor if e.key.startswith("indicators"))
    assert edit is not None
    from ui_helpers import edit_table

    edit_table(at, "indicators", edited={0: {"score": 99}})  # a score above its weight: an error
    _go(at)
    at.button(key="exp_mark_final").click().run()
    assert "仍有 " in texts(at) and "得分" in "".join(t.value for t in at.text)
    at.button(key="exp_final_confirm").click().run()
    assert Store(db_path).get(1).status == "草稿"  # no reason: it stays a draft
    assert "请写明定稿理由" in texts(at)
    at.text_area(key="exp_final_reason").input("得分以专家评审意见为准")
    at.button(key="exp_final_confirm").click().run()
    assert Store(db_path).get(1).status == "定稿"
    assert "定稿理由：得分以专家评审意见为准" in Store(db_path).audit(1)[-1].summary


def test_a_failing_export_says_so_in_one_line(exporting, monkeypatch):
    import perfeval.ui.page_export as page_export

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(page_export, "export_forms", broken)
    at = generate(exporting)
    assert [e.value for e in at.error] == ["导出失败：OSError"]
    assert not at.get("download_button")
