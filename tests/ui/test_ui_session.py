"""The app's place in the URL: a refresh, a bookmark or a second tab opens the same draft, the import
list comes back, and 草拟/核对 of a form that already has a draft offers that draft first."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from ui_helpers import APP, go_to, open_form, open_seed, texts, upload_seed_json

from perfeval.store import Store


def _refresh(at: AppTest, components, page: str | None = None) -> AppTest:
    """A new browser session on the same URL (what a refresh or a bookmark is)."""
    fresh = AppTest.from_file(str(APP), default_timeout=60)
    fresh._bidi_component_manager = components
    for key, value in at.query_params.items():
        fresh.query_params[key] = value
    fresh.run()
    if page:
        go_to(fresh, page)
    assert not fresh.exception, fresh.exception
    return fresh


def test_refresh_returns_to_the_draft_and_the_import_list(app, _components):
    at = open_seed(app, 2, 4, index=1)
    assert at.query_params["draft"] == ["1"] or at.query_params["draft"] == "1"
    session = at.query_params["s"]
    assert session
    again = _refresh(at, _components, "edit")
    ws = again.session_state["workspace"]
    assert ws.draft_id == 1 and ws.draft.project_name == "窗口业务管理"
    assert [i.form.project_name for i in ws.imported] == [
        i.form.project_name for i in at.session_state["workspace"].imported
    ]
    assert len(ws.imported) == 2 and ws.imported[0].data  # the file itself too, for the draft's record
    # another session id: its own (empty) import list, the same draft
    other = AppTest.from_file(str(APP), default_timeout=60)
    other._bidi_component_manager = _components
    other.query_params["draft"] = "1"
    other.run()
    assert other.session_state["workspace"].draft_id == 1
    assert other.session_state["workspace"].imported == []


def test_a_second_draft_of_the_same_form_offers_the_existing_one(app, db_path):
    at = open_seed(app, 4, mode="draft")
    assert len(Store(db_path).list()) == 1
    go_to(at, "import")
    at.button(key="draft_0").click().run()
    assert len(Store(db_path).list()) == 1  # nothing new yet: it asks
    assert "2023年度「窗口业务管理」已有 1 份草稿" in texts(at)
    assert "测试员" in texts(at)  # who saved it, and when
    at.button(key="existing_open_1").click().run()
    assert at.session_state["workspace"].draft_id == 1 and len(Store(db_path).list()) == 1
    go_to(at, "import")
    at.button(key="draft_0").click().run()
    at.button(key="existing_new").click().run()
    drafts = Store(db_path).list()
    assert len(drafts) == 2 and at.session_state["workspace"].draft_id == drafts[0].id
    # 核对本年度 is another year (2022): no offer
    go_to(at, "import")
    open_form(at, 0, "review")
    assert len(Store(db_path).list()) == 3


def test_history_tells_drafts_apart(app, db_path):
    upload_seed_json(app, 4)
    open_form(app, 0, "draft")
    at = go_to(app, "history")
    table = next(d.value for d in at.dataframe if "版本" in d.value.columns)
    assert {"项目名称", "年度", "版本", "最后保存", "状态", "保存人", "类型"} <= set(table.columns)
    assert table.loc[0, "保存人"] == "测试员"
