"""历史 page: saved drafts come back in a new session; revisions, restore, delete and undelete."""

from __future__ import annotations

import pytest
from ui_helpers import edit_table, go_to, metric, open_seed, texts

from perfeval.store import Store


def _go(at):
    return go_to(at, "history")


@pytest.fixture()
def saved(app):
    """The 窗口业务管理 form opened for review and edited once: revisions 1 and 2."""
    open_seed(app, 4)
    edit_table(app, "indicators", edited={0: {"actual": "25000"}})
    assert metric(app, "规则总分") == "99.9"
    return app


def test_empty_database(app):
    _go(app)
    assert "数据库中还没有草稿" in texts(app)


def test_drafts_survive_closing_the_browser(saved, new_app):
    fresh = _go(new_app())  # a new session: only the database is shared
    table = next(d.value for d in fresh.dataframe if "项目名称" in d.value.columns)
    assert list(table["项目名称"]) == ["窗口业务管理"]
    assert list(table["版本"]) == [2]
    assert list(table["类型"]) == ["核对本年度"]
    fresh.button(key="hist_open_1").click().run()
    assert metric(fresh, "规则总分") == "99.9"


def test_revisions_and_audit_trail(saved):
    at = _go(saved)
    assert at.selectbox(key="hist_rev_1").options[0].startswith("第 2 版")
    audit = next(d.value for d in at.dataframe if "修改内容" in d.value.columns)
    assert "16780 → 25000" in " ".join(audit["修改内容"])
    assert set(audit["操作人"]) == {"测试员"}


def test_restore_an_old_revision(saved, db_path):
    at = _go(saved)
    at.selectbox(key="hist_rev_1").set_value(1)
    at.button(key="hist_restore_1").click().run()
    assert "已将第 1 版恢复为第 3 版" in texts(at)
    record = Store(db_path).get(1)
    assert record.revision == 3 and record.form.indicators[0].actual == "16780"
    # the open editor follows the restored revision
    go_to(at, "edit")
    assert metric(at, "规则总分") == "97.6"
    edit_table(at, "indicators", edited={1: {"actual": "12000"}})  # and keeps saving without a conflict
    assert Store(db_path).get(1).revision == 4


def test_delete_and_undelete(saved, db_path):
    at = _go(saved)
    at.button(key="hist_del_1").click().run()
    assert Store(db_path).list() == []
    assert "数据库中还没有草稿" in texts(at)
    at.toggle(key="hist_deleted").set_value(True).run()
    at.button(key="hist_del_1").click().run()
    assert [d.id for d in Store(db_path).list()] == [1]


def test_unreadable_database_is_a_message_not_a_traceback(new_app, db_path):
    db_path.write_bytes(b"this is not a database, just some text " * 100)
    at = new_app()
    _go(at)
    assert not at.exception
    assert any("无法打开数据库" in e.value for e in at.error)
