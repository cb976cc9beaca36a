"""The writing assistant in the app: a button asks :func:`perfeval.assist.suggest` for a text; the
suggestion is shown with its warnings and applied only when the person accepts it.

The backend and endpoint come from 设置; the API key from the environment or ``st.secrets`` (it is passed
to the backend for the request and never kept in the session or the database)."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from ..assist import FIELD_LABELS, Suggestion, apply_suggestion, describe_backends, suggest
from ..errors import PerfevalError
from ..model import SelfEvaluation
from .state import workspace
from .text import md

KEY_NAME = "PERFEVAL_LLM_API_KEY"
_PENDING = "_assist_pending"


def api_key() -> str | None:
    """The assistant's key from the environment or st.secrets; None when neither has one."""
    key = os.environ.get(KEY_NAME)
    if key:
        return key
    try:
        value = st.secrets.get(KEY_NAME)
    except Exception:  # no secrets file: Streamlit raises when it finds none
        value = None
    return str(value) if value else None


def backend_titles() -> dict[str, str]:
    """Installed backends, name -> Chinese title."""
    return describe_backends()


def backend_settings() -> dict[str, Any]:
    ws = workspace()
    out: dict[str, Any] = {}
    if ws.assist_base_url:
        out["base_url"] = ws.assist_base_url
    if ws.assist_model:
        out["model"] = ws.assist_model
    key = api_key()
    if key:
        out["api_key"] = key
    return out


def _slot(field: str, indicator: int | None) -> str:
    return f"{field}:{'' if indicator is None else indicator}"


def _pending() -> dict[str, tuple[Suggestion | str, str]]:
    """Open suggestions by slot, each with the fingerprint of the data it was written from."""
    return st.session_state.setdefault(_PENDING, {})


def grounds(form: SelfEvaluation, field: str, indicator: int | None) -> str:
    """The data a suggestion for ``field`` is written from: when this changes, the suggestion is
    withdrawn.  A row's deviation uses the row (its own words too) and the funds; the funds' reason
    the funds; a goal text the whole form except that text."""
    if field == "deviation" and indicator is not None and 0 <= indicator < len(form.indicators):
        return form.indicators[indicator].model_dump_json() + form.project_name + form.money_unit
    if field == "deviation":
        return repr(([f.model_dump() for f in form.funds], form.extra.get("funds_reason"), form.money_unit))
    skip = {"goal_planned"} if field == "goal" else {"goal_actual"}
    return form.model_dump_json(exclude=skip)


def _ask(field: str, indicator: int | None) -> None:
    ws = workspace()
    if ws.draft is None:
        return
    try:
        result: Suggestion | str = suggest(
            field, ws.draft, indicator, backend=ws.assist_backend, settings=backend_settings()
        )
    except PerfevalError as exc:
        result = exc.message
    _pending()[_slot(field, indicator)] = (result, grounds(ws.draft, field, indicator))


def _accept(field: str, indicator: int | None) -> None:
    from .common import commit  # late: common imports this module's siblings

    ws = workspace()
    entry = _pending().pop(_slot(field, indicator), None)
    if ws.draft is None or entry is None or not isinstance(entry[0], Suggestion):
        return
    item, basis = entry
    if basis != grounds(ws.draft, field, indicator):  # the data changed since: never accept stale text
        ws.notice = "表中数据已改动，原建议已撤回，请重新生成。"
        return
    commit(apply_suggestion(ws.draft, field, indicator, item.text), note="采用写作助手建议")


def _dismiss(field: str, indicator: int | None) -> None:
    _pending().pop(_slot(field, indicator), None)


def assistant_button(field: str, indicator: int | None = None, *, label: str = "写作助手建议") -> None:
    """A button asking for a suggestion, and the suggestion (with 采用/放弃) once there is one."""
    slot = _slot(field, indicator)
    key = slot.replace(":", "_")
    st.button(label, key=f"assist_{key}", on_click=_ask, args=(field, indicator), icon=":material/edit:")
    entry = _pending().get(slot)
    if entry is None:
        return
    item, basis = entry
    ws = workspace()
    if ws.draft is None or basis != grounds(ws.draft, field, indicator):
        _pending().pop(slot, None)
        st.caption("表中数据已改动，原建议已撤回，请重新生成。")
        return
    if isinstance(item, str):
        st.error(md(item))
        st.button("关闭", key=f"assist_close_{key}", on_click=_dismiss, args=(field, indicator))
        return
    with st.container(border=True):
        source = "离线模板" if item.backend == "template" else "大模型"
        st.caption(f"{FIELD_LABELS.get(field, field)} · {source}建议，依据表中当前数据，采用前请核对")
        st.markdown(md(item.text))
        for w in item.warnings:
            st.warning(md(w.message if not w.number else f"{w.message}（{w.number}）"))
        c1, c2 = st.columns(2)
        c1.button("采用", key=f"assist_ok_{key}", on_click=_accept, args=(field, indicator), type="primary")
        c2.button("放弃", key=f"assist_no_{key}", on_click=_dismiss, args=(field, indicator))
