"""The suggestions of a rolled-forward draft (:mod:`perfeval.draft`): each one shown with what it
proposes, applied only when the person accepts it."""

from __future__ import annotations

import streamlit as st

from ..draft import Suggestion, apply_suggestion, suggest
from ..errors import PerfevalError
from ..rules.fieldnames import field_name
from ..rules.wording import public_source
from .common import DISMISSED_KEY, commit
from .scoring import profile_for
from .state import workspace
from .text import md


def _dismissed() -> set[tuple[str, str]]:
    return st.session_state.setdefault(DISMISSED_KEY, set())


def _refresh() -> None:
    """Suggestions for the draft as it is now (paths refer to the current rows)."""
    ws = workspace()
    if ws.draft is None:
        ws.suggestions = []
        return
    ws.suggestions = [
        s for s in suggest(ws.draft, profile_for(ws.draft)) if (s.code, s.path) not in _dismissed()
    ]


def _accept(index: int) -> None:
    ws = workspace()
    if ws.draft is None or index >= len(ws.suggestions):
        return
    item: Suggestion = ws.suggestions[index]
    typed = str(st.session_state.get(f"sugg_val_{index}") or "").strip()
    try:
        form = apply_suggestion(ws.draft, item, typed) if typed else apply_suggestion(ws.draft, item)
    except PerfevalError as exc:
        ws.notice = exc.message
        _refresh()
        return
    commit(form, note=f"采用建议：{item.message}")
    _refresh()


def _dismiss(index: int) -> None:
    ws = workspace()
    if index < len(ws.suggestions):
        item = ws.suggestions.pop(index)
        _dismissed().add((item.code, item.path))


def _proposal(item: Suggestion) -> str:
    if item.action == "remove":
        return "建议删除该行"
    if item.proposed is None:
        return "需由填报人确定新值"
    if isinstance(item.proposed, list):
        return "建议分值：" + "、".join(str(x) for x in item.proposed)
    return f"建议改为：{item.proposed}"


def suggestions_panel() -> None:
    """The open suggestions with 采用 / 忽略 buttons."""
    ws = workspace()
    if not ws.suggestions:
        return
    st.subheader(f"草拟建议（{len(ws.suggestions)}）")
    for i, item in enumerate(ws.suggestions):
        with st.container(border=True):
            st.markdown(f"**{md(field_name(item.path, ws.draft))}** · {md(item.message)}")
            basis = public_source(item.source)
            st.caption(md(_proposal(item) + (f"；依据：{basis}" if basis else "")))
            needs_value = item.proposed is None and item.action == "set"
            c0, c1, c2 = st.columns([3, 1, 1], vertical_alignment="bottom")
            if needs_value:
                c0.text_input("新值", key=f"sugg_val_{i}", placeholder="由填报人填写")
            c1.button("采用", key=f"sugg_ok_{i}", on_click=_accept, args=(i,), type="primary")
            c2.button("忽略", key=f"sugg_no_{i}", on_click=_dismiss, args=(i,))
