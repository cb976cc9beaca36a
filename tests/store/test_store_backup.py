"""Whole-database backup to JSON and restore: the round trip gives an equal database."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.errors import InputFormatError
from perfeval.store import ConflictError, Store, StoreError


def _populate(store: Store, forms) -> None:
    src = store.add_source_file(
        "上年自评表 PDF 内容".encode(), name="松江2022.pdf", keep_file=True, who="张三"
    )
    store.add_source_file(b"no content kept", name="b.xlsx", who="张三")
    ids = [store.create(f, who="张三", source_file_id=src.id).id for f in forms]
    rec = store.get(ids[0])
    form = rec.form.model_copy(deep=True)
    form.indicators[0].target = "=30个"
    form.extra = {"previous": {"year": 2021, "funds": [{"label": "年度资金总额", "executed": 1.5}]}}
    store.save(ids[0], form, base_revision=1, who="李四")
    with pytest.raises(ConflictError):
        store.save(ids[0], form, base_revision=1, who="王五")
    store.save_as_new_revision(ids[0], form, who="王五", based_on=1)
    store.restore(ids[0], 1, who="张三")
    store.set_status(ids[1], "定稿", who="处长")
    store.delete(ids[2], who="张三")
    store.delete(ids[3], who="张三")
    store.undelete(ids[3], who="张三")


def test_backup_and_restore_give_an_equal_database(tmp_path, seed_forms):
    with Store(tmp_path / "a.db") as a:
        _populate(a, seed_forms)
        out = a.export_json(tmp_path / "backup" / "b.json")
        original = a.dump()
        first_doc = a.export_data()
    text = out.read_text(encoding="utf-8")
    assert "窗口业务管理" in text  # readable Chinese, forms as JSON objects
    doc = json.loads(text)
    assert doc["format"] == "perfeval-db-backup"
    assert isinstance(doc["tables"]["drafts"][0]["form"], dict)
    with Store(tmp_path / "b.db") as b:
        counts = b.import_json(out)
        assert counts["drafts"] == 5 and counts["revisions"] == len(original["revisions"])
        assert b.dump() == original
        assert b.integrity_check()
        again = b.export_data()
        # Saving and conflicts keep working on the restored copy.
        rec = b.get(1)
        rec.form.goal_actual = "恢复后继续编辑"
        assert b.save(1, rec.form, base_revision=rec.revision).revision == rec.revision + 1
    first_doc.pop("exported_at")
    again.pop("exported_at")
    assert again == first_doc


def test_restore_refuses_a_non_empty_database_unless_replace(tmp_path, seed_forms):
    with Store(tmp_path / "a.db") as a:
        _populate(a, seed_forms[:4])
        doc = a.export_data()
        original = a.dump()
    with Store(tmp_path / "c.db") as c:
        c.create(seed_forms[4], who="别人")
        before = c.dump()
        with pytest.raises(StoreError) as info:
            c.import_data(doc)
        assert "--replace" in info.value.message
        assert c.dump() == before  # untouched
        c.import_data(doc, replace=True)
        assert c.dump() == original


@pytest.mark.parametrize(
    "doc",
    [
        {"format": "something else"},
        {"format": "perfeval-db-backup", "version": 99, "tables": {}},
        {"format": "perfeval-db-backup", "version": 1},
        {"format": "perfeval-db-backup", "version": 1, "tables": {"drafts": "x"}},
        {"format": "perfeval-db-backup", "version": 1, "tables": {"source_files": [{"content": "%%%"}]}},
        {"format": "perfeval-db-backup", "version": 1, "tables": {"drafts": [{"id": 1, "bogus": 1}]}},
    ],
)
def test_bad_backups_are_refused_and_change_nothing(tmp_path, seed_forms, doc):
    with Store(tmp_path / "d.db") as d:
        d.create(seed_forms[0])
        before = d.dump()
        with pytest.raises(InputFormatError):
            d.import_data(doc, replace=True)
        assert d.dump() == before


def test_malformed_backup_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with Store(tmp_path / "e.db") as e, pytest.raises(InputFormatError) as info:
        e.import_json(bad)
    assert "JSON" in info.value.message


_OPS = st.lists(
    st.tuples(
        st.sampled_from(["create", "save", "stale", "restore", "delete", "undelete", "final"]),
        st.integers(0, 4),
    ),
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_any_history_round_trips(tmp_path_factory, seed_forms, ops):
    tmp = tmp_path_factory.mktemp("rt")
    with Store(tmp / "a.db") as a:
        ids: list[int] = []
        for op, n in ops:
            if op == "create" or not ids:
                ids.append(a.create(seed_forms[n], who=f"用户{n}").id)
                continue
            draft_id = ids[n % len(ids)]
            rec = a.get(draft_id)
            try:
                if op == "save":
                    form = rec.form.model_copy(deep=True)
                    form.goal_actual = f"修改{n}"
                    a.save(draft_id, form, base_revision=rec.revision, who="甲", status="草稿")
                elif op == "stale":
                    a.save(draft_id, rec.form, base_revision=rec.revision - 1, who="乙")
                elif op == "restore":
                    a.restore(draft_id, 1, who="丙")
                elif op == "delete":
                    a.delete(draft_id)
                elif op == "undelete":
                    a.undelete(draft_id)
                else:
                    a.set_status(draft_id, "定稿")
            except StoreError:
                pass  # conflicts, deleted or final drafts: refused, and nothing written
        doc = a.export_data()
        dump = a.dump()
    with Store(tmp / "b.db") as b:
        b.import_data(doc)
        assert b.dump() == dump
