"""perfeval.store.appstate: settings, the author and a session's import list outlive the process."""

from __future__ import annotations

from perfeval.store import Store
from perfeval.store.appstate import (
    author,
    load_session,
    save_session,
    set_setting,
    settings,
)


def test_settings_and_author_persist(tmp_path, seed_forms, monkeypatch):
    monkeypatch.setenv("PERFEVAL_USER", "系统用户")
    path = tmp_path / "app.db"
    with Store(path) as store:
        assert author(store) == "系统用户"  # the OS/env user only as a fallback
        set_setting(store, "author", "李四")
        set_setting(store, "profile", "shanghai")
    with Store(path) as store:
        assert settings(store) == {"author": "李四", "profile": "shanghai"}
        assert author(store) == "李四"
        set_setting(store, "profile", "")
        assert "profile" not in settings(store)


def test_status_note_kept_in_audit_and_drafts_by_project_year(tmp_path, seed_forms):
    with Store(tmp_path / "app.db") as store:
        form = seed_forms[3]
        a = store.create(form, who="李四")
        store.create(seed_forms[0])
        assert [d.id for d in store.list(project=form.project_name, year=form.year)] == [a.id]
        assert store.list(project=form.project_name, year=form.year + 1) == []
        store.set_status(a.id, "定稿", who="李四", note="定稿理由：已与财务核对")
        entry = store.audit(a.id)[-1]
        assert entry.who == "李四" and "定稿理由：已与财务核对" in entry.summary


def test_session_state_round_trips(tmp_path):
    path = tmp_path / "app.db"
    with Store(path) as store:
        assert load_session(store, "abc") is None
        save_session(store, "abc", {"imported": [{"file": "a.pdf"}]})
    with Store(path) as store:
        assert load_session(store, "abc") == {"imported": [{"file": "a.pdf"}]}
        save_session(store, "abc", {"imported": []})
        assert load_session(store, "abc") == {"imported": []}
