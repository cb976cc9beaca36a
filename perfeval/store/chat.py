"""The chat about a draft (对话记录), kept in the ``chat`` table beside the draft's revisions.

Each message is one row: who asked (``role`` ``user``) or which backend answered (``role`` ``assistant``),
the text, and a JSON ``payload`` for an answer (its change cards with their status and its warnings).
A secret (the configured API key) is never written: :func:`add_message` refuses text that holds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .db import Store, StoreError, default_user, now


@dataclass
class ChatMessage:
    id: int
    draft_id: int
    at: str
    who: str
    role: str
    text: str
    payload: dict[str, Any] = field(default_factory=dict)


def _check_secret(text: str, secrets: tuple[str, ...]) -> None:
    for secret in secrets:
        if secret and secret in text:
            raise StoreError("对话内容包含访问密钥，未保存", english="a secret would be stored")


def add_message(
    store: Store,
    draft_id: int,
    role: str,
    text: str,
    payload: dict[str, Any] | None = None,
    *,
    who: str | None = None,
    secrets: tuple[str, ...] = (),
) -> ChatMessage:
    """Append one message to the draft's conversation."""
    body = json.dumps(payload or {}, ensure_ascii=False)
    _check_secret(text + body, secrets)
    store.get(draft_id)  # a missing draft raises DraftNotFoundError
    at, who = now(), who or default_user()
    with store.transaction() as db:
        db["chat"].insert(
            {"draft_id": draft_id, "at": at, "who": who, "role": role, "text": text, "payload": body}
        )
        new_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
    return ChatMessage(new_id, draft_id, at, who, role, text, dict(payload or {}))


def update_payload(store: Store, message_id: int, payload: dict[str, Any]) -> None:
    """Record what became of an answer's cards (applied, ignored, stale)."""
    with store.transaction() as db:
        db["chat"].update(message_id, {"payload": json.dumps(payload, ensure_ascii=False)})


def conversation(store: Store, draft_id: int) -> list[ChatMessage]:
    """The draft's messages, oldest first."""
    with store._lock:
        rows = list(store.db["chat"].rows_where("draft_id = ?", [draft_id], order_by="id"))
    return [
        ChatMessage(
            r["id"],
            r["draft_id"],
            r["at"],
            r["who"] or "",
            r["role"],
            r["text"],
            json.loads(r["payload"] or "{}"),
        )
        for r in rows
    ]
