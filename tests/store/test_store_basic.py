"""perfeval.store in one process: revisions, compare-and-set, restore, status, soft delete, audit,
source files, where the database lives."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from perfeval.errors import PerfevalError
from perfeval.store import (
    ConflictError,
    DraftDeletedError,
    DraftFinalizedError,
    DraftNotFoundError,
    Store,
    StoreError,
    default_db_path,
    default_user,
)


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "data" / "t.db")
    yield s
    s.close()


def test_database_is_created_in_wal_mode_with_a_busy_timeout(tmp_path):
    path = tmp_path / "sub" / "dir" / "p.db"
    with Store(path, timeout=7) as s:
        assert path.is_file()
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA busy_timeout").fetchone()[0] == 7000
        assert set(s.db.table_names()) >= {"drafts", "revisions", "source_files", "audit", "meta"}


def test_default_path_is_data_under_cwd_and_perfeval_db_moves_it(tmp_path, monkeypatch):
    monkeypatch.delenv("PERFEVAL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_db_path() == tmp_path / "data" / "perfeval.db"
    with Store() as s:
        assert s.path == tmp_path / "data" / "perfeval.db"
    monkeypatch.setenv("PERFEVAL_DB", str(tmp_path / "elsewhere.db"))
    assert default_db_path() == tmp_path / "elsewhere.db"
    with Store() as s:
        assert s.path == tmp_path / "elsewhere.db" and s.path.is_file()


def test_user_comes_from_perfeval_user(monkeypatch):
    monkeypatch.setenv("PERFEVAL_USER", "王五")
    assert default_user() == "王五"


def test_create_and_get_round_trip_the_form(store, seed_forms):
    form = seed_forms[3]
    rec = store.create(form, who="张三")
    assert (rec.revision, rec.status, rec.mode, rec.project, rec.year) == (
        1,
        "草稿",
        "draft",
        "窗口业务管理",
        2022,
    )
    assert rec.created_by == rec.updated_by == "张三"
    assert rec.form is not None and rec.form.model_dump() == form.model_dump()
    assert [d.id for d in store.list()] == [rec.id]
    assert store.list()[0].form is None  # listing does not load forms


def test_save_checks_the_base_revision(store, seed_forms):
    rec = store.create(seed_forms[0], who="张三")
    mine = rec.form.model_copy(deep=True)
    mine.indicators[0].target = "=30个"
    second = store.save(rec.id, mine, base_revision=1, who="李四")
    assert second.revision == 2 and second.updated_by == "李四"
    theirs = rec.form.model_copy(deep=True)
    theirs.goal_actual = "王五的修改"
    with pytest.raises(ConflictError) as info:
        store.save(rec.id, theirs, base_revision=1, who="王五")
    err = info.value
    assert isinstance(err, PerfevalError)
    assert (err.base_revision, err.current_revision, err.saved_by) == (1, 2, "李四")
    assert "李四" in err.message and "第 2 版" in err.message and "另存为新版本" in err.message
    # Nothing was written by the refused save.
    assert store.get(rec.id).revision == 2
    assert len(store.revisions(rec.id)) == 2
    kept = store.save_as_new_revision(rec.id, theirs, who="王五", based_on=1)
    assert kept.revision == 3 and kept.form.goal_actual == "王五的修改"
    rev3 = store.revision(rec.id, 3)
    assert rev3.parent_revision == 2 and rev3.action == "save_as_new" and "基于第 1 版" in rev3.note


def test_every_revision_is_kept_and_restore_makes_a_new_one(store, seed_forms):
    rec = store.create(seed_forms[1], who="张三")
    base = rec
    for target in ("=11项", "=12项", "=13项"):
        form = base.form.model_copy(deep=True)
        form.indicators[0].target = target
        base = store.save(rec.id, form, base_revision=base.revision, who="张三")
    assert [r.revision for r in store.revisions(rec.id)] == [1, 2, 3, 4]
    assert store.revision(rec.id, 2).form.indicators[0].target == "=11项"
    restored = store.restore(rec.id, 2, who="李四")
    assert restored.revision == 5 and restored.form.indicators[0].target == "=11项"
    assert store.revision(rec.id, 4).form.indicators[0].target == "=13项"  # not overwritten
    assert store.revisions(rec.id)[-1].action == "restore"
    with pytest.raises(DraftNotFoundError):
        store.revision(rec.id, 99)
    with pytest.raises(ConflictError):
        store.restore(rec.id, 1, base_revision=4)


def test_final_status_blocks_edits_until_reopened(store, seed_forms):
    rec = store.create(seed_forms[2], who="张三")
    final = store.set_status(rec.id, "定稿", who="处长")
    assert final.status == "定稿" and final.revision == 2
    edited = final.form.model_copy(deep=True)
    edited.goal_actual = "定稿后又改"
    with pytest.raises(DraftFinalizedError):
        store.save(rec.id, edited, base_revision=2, who="张三")
    assert store.get(rec.id).revision == 2
    reopened = store.save(rec.id, edited, base_revision=2, who="张三", status="草稿")
    assert reopened.status == "草稿" and reopened.revision == 3 and reopened.form.goal_actual == "定稿后又改"
    with pytest.raises(StoreError):
        store.set_status(rec.id, "审核中")  # type: ignore[arg-type]


def test_delete_is_undoable(store, seed_forms):
    a = store.create(seed_forms[0], who="张三")
    b = store.create(seed_forms[1], who="张三")
    deleted = store.delete(a.id, who="李四")
    assert deleted.deleted and deleted.deleted_by == "李四"
    assert [d.id for d in store.list()] == [b.id]
    assert {d.id for d in store.list(include_deleted=True)} == {a.id, b.id}
    with pytest.raises(DraftDeletedError):
        store.save(a.id, a.form, base_revision=1)
    assert len(store.revisions(a.id)) == 1  # revisions survive the delete
    back = store.undelete(a.id, who="李四")
    assert not back.deleted and back.form.model_dump() == a.form.model_dump()
    assert {d.id for d in store.list()} == {a.id, b.id}
    actions = [e.action for e in store.audit(a.id)]
    assert actions == ["create", "delete", "undelete"]


def test_audit_trail_names_who_changed_what(store, seed_forms):
    rec = store.create(seed_forms[3], who="张三")
    form = rec.form.model_copy(deep=True)
    form.indicators[0].target = "=26000家"
    form.goal_actual = "全部完成"
    store.save(rec.id, form, base_revision=1, who="李四")
    entry = store.audit(rec.id)[-1]
    assert entry.who == "李四" and entry.action == "save" and entry.action_label == "保存"
    assert "绩效指标第1行「服务新开办企业数量」「年度指标值」：=25000家 → =26000家" in entry.summary
    assert "「实际完成情况」：基本完成 → 全部完成" in entry.summary
    paths = {c["path"] for c in entry.changes}
    assert paths == {"indicators.0.target", "goal_actual"}


def test_filters_and_missing_drafts(store, seed_forms):
    for f in seed_forms:
        store.create(f, who="张三")
    assert len(store.list(project="宣传与推广")) == 1
    assert len(store.list(year=2022)) == 5 and store.list(year=2023) == []
    with pytest.raises(DraftNotFoundError) as info:
        store.get(999)
    assert "999" in info.value.message


def test_source_files_are_recorded_once_with_hash_and_optional_content(store, tmp_path):
    path = tmp_path / "上年自评表.pdf"
    data = "%PDF-1.4 假的内容".encode()
    path.write_bytes(data)
    rec = store.add_source_file(path, who="张三")
    assert (rec.name, rec.size, rec.sha256) == ("上年自评表.pdf", len(data), hashlib.sha256(data).hexdigest())
    assert not rec.has_content and store.source_file_content(rec.id) is None
    again = store.add_source_file(path, keep_file=True)
    assert again.id == rec.id and again.has_content
    assert store.source_file_content(rec.id) == data
    assert len(store.source_files()) == 1
    other = store.add_source_file(b"other bytes", name="b.txt")
    assert other.id != rec.id
    with pytest.raises(StoreError):
        store.add_source_file(tmp_path / "missing.pdf")


def test_a_file_that_is_not_a_database_gives_a_chinese_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as info:
        Store(bad)
    assert "数据库" in info.value.message


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "较新版本" in info.value.message


def test_busy_database_raises_store_busy(tmp_path, seed_forms):
    path = tmp_path / "busy.db"
    with Store(path) as s:
        rec = s.create(seed_forms[0])
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(path, timeout=0.2) as s, pytest.raises(StoreError) as info:
            s.save(rec.id, seed_forms[0], base_revision=1)
        assert "稍后" in info.value.message
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store(path) as s:
        form = seed_forms[0].model_copy(deep=True)
        form.goal_actual = "改过"
        assert s.save(rec.id, form, base_revision=1).revision == 2


def test_binary_backup_copy(store, seed_forms, tmp_path):
    store.create(seed_forms[0])
    copy = store.backup_sqlite(tmp_path / "copy.db")
    with Store(copy) as c:
        assert c.dump() == store.dump()


def test_threads_sharing_one_store_never_lose_an_update(store, seed_forms):
    """The app shares one Store between Streamlit's threads: saves and reads interleave safely."""
    import threading

    rec = store.create(seed_forms[0], who="张三")
    per_thread, names = 10, ("甲", "乙", "丙", "丁")

    def work(who: str) -> None:
        done = 0
        while done < per_thread:
            cur = store.get(rec.id)
            form = cur.form
            form.extra = {**form.extra, "log": [*form.extra.get("log", []), f"{who}{done}"]}
            try:
                store.save(rec.id, form, base_revision=cur.revision, who=who)
                done += 1
            except ConflictError:
                pass
            store.list()  # reads in between must not disturb another thread's transaction

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    final = store.get(rec.id)
    assert sorted(final.form.extra["log"]) == sorted(f"{n}{i}" for n in names for i in range(per_thread))
    assert final.revision == 1 + per_thread * len(names)
    assert store.integrity_check()


def test_saving_nothing_new_makes_no_revision(store, seed_forms):
    rec = store.create(seed_forms[0], who="张三")
    same = store.save(rec.id, rec.form, base_revision=1, who="张三")
    assert same.revision == 1 and len(store.revisions(rec.id)) == 1
    assert [a.action for a in store.audit(rec.id)] == ["create"]
    # ... but a stale base is still a conflict, and a final draft saved unchanged is not an error.
    edited = rec.form.model_copy(deep=True)
    edited.goal_actual = "改过"
    store.save(rec.id, edited, base_revision=1, who="李四")
    with pytest.raises(ConflictError):
        store.save(rec.id, edited, base_revision=1, who="张三")
    final = store.set_status(rec.id, "定稿")
    assert store.save(rec.id, final.form, base_revision=final.revision).revision == final.revision
