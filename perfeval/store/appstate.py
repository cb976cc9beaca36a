"""What the app keeps in the database beside the drafts: its settings (the author's name, the rule
profile, the assistant's endpoint: never a key) and each browser session's import list, so that both
survive a restart or a refresh.

Settings live in the ``meta`` table under ``setting.<name>`` (so a backup carries them); session
state lives in its own ``app_sessions`` table, created on first use.
"""

from __future__ import annotations

import json
from typing import Any

from .db import Store, default_user, now

_PREFIX = "setting."
_SESSIONS = "app_sessions"
#: Setting that names the person saving (shown in history and the audit trail).
AUTHOR = "author"


def settings(store: Store) -> dict[str, str]:
    """All saved settings, name -> value."""
    with store._lock:  # one connection shared by the app's threads
        rows = store.db.execute("SELECT key, value FROM meta WHERE key LIKE ?", [_PREFIX + "%"]).fetchall()
    return {key[len(_PREFIX) :]: value or "" for key, value in rows}


def set_setting(store: Store, name: str, value: str) -> None:
    """Save one setting (an empty value removes it)."""
    with store.transaction() as db:
        if value:
            db["meta"].insert({"key": _PREFIX + name, "value": value}, replace=True)
        else:
            db.execute("DELETE FROM meta WHERE key = ?", [_PREFIX + name])


def author(store: Store) -> str:
    """The author set in 设置, else ``$PERFEVAL_USER`` or the login name."""
    return settings(store).get(AUTHOR, "").strip() or default_user()


def _ensure_sessions(store: Store) -> None:
    if _SESSIONS in store.db.table_names():
        return
    with store.transaction() as db:
        db[_SESSIONS].create(
            {"id": str, "saved_at": str, "state": str}, pk="id", not_null={"state"}, if_not_exists=True
        )


def save_session(store: Store, session_id: str, state: dict[str, Any]) -> None:
    """Keep a browser session's state (JSON-able) under its id."""
    _ensure_sessions(store)
    text = json.dumps(state, ensure_ascii=False)
    with store.transaction() as db:
        db[_SESSIONS].insert({"id": session_id, "saved_at": now(), "state": text}, replace=True)


def load_session(store: Store, session_id: str) -> dict[str, Any] | None:
    """A session's saved state, or None."""
    if _SESSIONS not in store.db.table_names():
        return None
    with store._lock:
        row = store.db.execute(f"SELECT state FROM {_SESSIONS} WHERE id = ?", [session_id]).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
