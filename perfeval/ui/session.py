"""The app's place in the URL and what outlives a refresh.

The page is the URL path (``/edit``); the open draft (``?draft=3``) and the browser session's id
(``?s=…``) are query parameters, so a refresh, a bookmark or a second tab opens the same draft, and the
import list, kept in the database under the session id, comes back.  Settings (author, rule profile,
assistant endpoint) are kept in the database too."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import streamlit as st

from ..errors import PerfevalError
from ..model import SelfEvaluation
from ..store.appstate import AUTHOR, load_session, save_session, set_setting, settings
from .common import get_store, open_draft
from .state import Imported, workspace

DRAFT_PARAM = "draft"
SESSION_PARAM = "s"
#: Uploaded bytes larger than this are not kept for a refresh (the forms read from them are).
MAX_KEPT_BYTES = 20 * 1024 * 1024
#: Settings kept in the database: setting name -> workspace attribute.
SETTINGS: dict[str, str] = {
    "profile": "profile",
    "assist_backend": "assist_backend",
    "assist_base_url": "assist_base_url",
    "assist_model": "assist_model",
}


def _imports_state(items: list[Imported]) -> dict[str, Any]:
    kept = 0
    out = []
    for item in items:
        data = b""
        if item.data and kept + len(item.data) <= MAX_KEPT_BYTES:
            data, kept = item.data, kept + len(item.data)
        out.append(
            {
                "file": item.file,
                "form": item.form.model_dump(mode="json"),
                "data": base64.b64encode(data).decode("ascii"),
            }
        )
    return {"imported": out}


def _imports_from(state: dict[str, Any]) -> list[Imported]:
    out = []
    for entry in state.get("imported") or []:
        try:
            form = SelfEvaluation.model_validate(entry["form"])
            data = base64.b64decode(entry.get("data") or "")
        except (KeyError, TypeError, ValueError):
            continue
        out.append(Imported(file=str(entry.get("file") or ""), form=form, data=data))
    return out


def restore() -> None:
    """Once per browser session: the settings from the database, then the session's import list and the
    draft named in the URL."""
    ws = workspace()
    if ws.restored:
        return
    ws.restored = True
    store = get_store()
    saved = settings(store)
    for name, attr in SETTINGS.items():
        if saved.get(name):
            setattr(ws, attr, saved[name])
    params = st.query_params
    ws.session_id = str(params.get(SESSION_PARAM) or "") or uuid.uuid4().hex
    state = load_session(store, ws.session_id)
    if state and not ws.imported:
        ws.imported = _imports_from(state)
        ws.saved_imports = tuple(id(i) for i in ws.imported)
    draft = str(params.get(DRAFT_PARAM) or "")
    if draft.isdigit() and ws.draft_id is None:
        try:
            open_draft(int(draft))
        except PerfevalError as exc:
            ws.notice = exc.message


def sync() -> None:
    """Write the session id and the open draft into the URL, and the import list into the database when
    it changed."""
    ws = workspace()
    params = st.query_params
    if params.get(SESSION_PARAM) != ws.session_id:
        params[SESSION_PARAM] = ws.session_id
    draft = str(ws.draft_id) if ws.draft_id is not None else None
    if params.get(DRAFT_PARAM) != draft:
        if draft is None:
            del params[DRAFT_PARAM]
        else:
            params[DRAFT_PARAM] = draft
    now = tuple(id(i) for i in ws.imported)
    if now != ws.saved_imports:
        save_session(get_store(), ws.session_id, _imports_state(ws.imported))
        ws.saved_imports = now


def save_setting(name: str, value: str) -> None:
    """Keep one setting in the database (an empty value removes it)."""
    set_setting(get_store(), name, value)


def author_setting() -> str:
    """The author's name entered in 设置 ("" when none)."""
    return settings(get_store()).get(AUTHOR, "")


def save_author(name: str) -> None:
    save_setting(AUTHOR, name.strip())
