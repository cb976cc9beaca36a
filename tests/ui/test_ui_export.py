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
    """The files the download button would send: Streamlit makes them only when the button is clicked
    (a deferred callable); this records each callable as Streamlit registers it."""
    made: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def _go(at):
    return go_to(at, "export")


@pytest.fixture()
def exporting(app):
    return _go(open_seed(app, index=3))


def _button(at):
    return next(b for b in at.get("download_button") if b.key == "exp_download")


def test_xlsx_of_the_current_draft_with_signoff(exporting, downloads):
    at = exporting
    at.text_input(key="exp_unit_leader").input("王五")
    at.text_input(key="exp_filled_by").input("赵六").run()
    button = _button(at)
    assert button.proto.label == "下载 Excel（XLSX）"
    name = "2022年度_窗口业务管理.xlsx"
    data = downloads[name]()
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "窗口业务管理" in cells and "服务新开办企业数量" in cells
    assert "王五" in cells and "赵六" in cells
    assert "草稿" in (book.worksheets[0].oddHeader.right.text or "")  # not final: the draft mark


@pytest.mark.parametrize("fmt", ["docx", "pdf", "json"])
def test_each_format_downloads(exporting, downloads, fmt):
    at = exporting
    at.radio(key="exp_format").set_value(fmt).run()
    data = downloads[f"2022年度_窗口业务管理.{fmt}"]()
    magic = {"docx": b"PK", "pdf": b"%PDF", "json": b"{"}[fmt]
    assert data.startswith(magic)
    if fmt == "json":
        assert [f["project_name"] for f in json.loads(data)["forms"]] == ["窗口业务管理"]


def test_bundle_of_the_imported_forms(exporting, downloads):
    at = exporting
    at.radio(key="exp_scope").set_value("imported")
    at.radio(key="exp_format").set_value("json").run()
    data = json.loads(downloads["2022年度_自评表汇总_5张.json"]())
    assert len(data["forms"]) == 5


def test_bundle_of_saved_drafts(exporting, downloads):
    at = exporting
    at.radio(key="exp_scope").set_value("saved").run()
    at.multiselect(key="exp_saved").set_value([1]).run()
    at.radio(key="exp_format").set_value("json").run()
    data = json.loads(downloads["2022年度_窗口业务管理.json"]())
    assert data["forms"][0]["project_name"] == "窗口业务管理"


def test_mark_final_saves_signoff_and_freezes_the_draft(exporting, db_path):
    at = exporting
    at.text_input(key="exp_unit_leader").input("王五")
    at.text_input(key="exp_phone").input("021-12345678").run()
    at.button(key="exp_mark_final").click().run()
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
