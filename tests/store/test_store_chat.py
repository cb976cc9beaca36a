"""The chat table: a conversation per draft, in order, kept in the JSON backup, never holding the key."""

from __future__ import annotations

import pytest

from perfeval.store import Store, StoreError
from perfeval.store.chat import add_message, conversation, update_payload


@pytest.fixture()
def store(tmp_path, seed_forms):
    s = Store(tmp_path / "db.sqlite")
    s.create(seed_forms[0], who="甲")
    s.create(seed_forms[1], who="乙")
    return s


def test_conversations_are_per_draft_and_ordered(store):
    add_message(store, 1, "user", "总分怎么算", who="甲")
    add_message(store, 2, "user", "别的草稿")
    m = add_message(
        store, 1, "assistant", "总分 92 分", {"cards": [{"path": "goal_planned", "status": "pending"}]}
    )
    update_payload(store, m.id, {"cards": [{"path": "goal_planned", "status": "applied"}]})
    first = conversation(store, 1)
    assert [(x.role, x.text) for x in first] == [("user", "总分怎么算"), ("assistant", "总分 92 分")]
    assert first[0].who == "甲"
    assert first[1].payload["cards"][0]["status"] == "applied"
    assert [x.text for x in conversation(store, 2)] == ["别的草稿"]


def test_the_backup_keeps_the_chat(store, tmp_path):
    add_message(store, 1, "user", "你好")
    doc = store.export_data()
    assert doc["tables"]["chat"][0]["text"] == "你好"
    other = Store(tmp_path / "other.sqlite")
    other.import_data(doc)
    assert other.dump() == store.dump()


def test_a_secret_is_never_stored(store):
    with pytest.raises(StoreError, match="访问密钥"):
        add_message(store, 1, "assistant", "key sk-abc123", secrets=("sk-abc123",))
    with pytest.raises(StoreError):
        add_message(store, 1, "assistant", "ok", {"cards": [{"new": "sk-abc123"}]}, secrets=("sk-abc123",))
    assert conversation(store, 1) == []
