"""对话助手: a chat about the open draft on 编辑 and 模拟.

Questions are answered by :mod:`perfeval.assist.chat` (offline template) or
:mod:`perfeval.assist.chat_openai` (the configured endpoint, with tool calls to the library); the
conversation is kept per draft in the database (:mod:`perfeval.store.chat`).  Every text from the form or
from a model is shown as plain text.  A change card changes the draft only when 采用 is clicked: the
change is saved as a revision by the user, the audit note names the assistant.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..assist.chat import ChatAnswer, TemplateChat
from ..assist.chat_openai import OpenAIChat
from ..assist.chat_tools import ChangeCard, apply_card, card_is_current, shown
from ..errors import PerfevalError
from ..store.chat import ChatMessage, add_message, conversation, update_payload
from .assistant import _settings, api_key
from .common import commit, get_store
from .state import workspace

_STATUS_ZH = {"applied": "已采用", "ignored": "已忽略", "stale": "已过期：该字段已被修改"}


def _backend() -> TemplateChat | OpenAIChat:
    return OpenAIChat(_settings()) if workspace().assist_backend == "openai" else TemplateChat()


def _ask(key: str) -> None:
    ws = workspace()
    question = (st.session_state.get(key) or "").strip()
    if not question or ws.draft is None or ws.draft_id is None:
        return
    store = get_store()
    secrets = tuple(s for s in (api_key(),) if s)
    try:
        history = [(m.role, m.text) for m in conversation(store, ws.draft_id)]
        add_message(store, ws.draft_id, "user", question, secrets=secrets)
        backend = _backend()
        if isinstance(backend, OpenAIChat):
            answer = backend.answer(question, ws.draft, ws.profile, history)
        else:
            answer = backend.answer(question, ws.draft, ws.profile)
        add_message(store, ws.draft_id, "assistant", answer.text, answer.to_dict(), secrets=secrets)
    except PerfevalError as exc:
        ws.notice = exc.message


def _decide(message_id: int, payload: dict[str, Any], index: int, accept: bool) -> None:
    ws = workspace()
    answer = ChatAnswer.from_dict(payload)
    card = answer.cards[index]
    if accept and ws.draft is not None:
        if not card_is_current(ws.draft, card):
            card.status = "stale"
        else:
            try:
                new = apply_card(ws.draft, card)
            except PerfevalError as exc:
                ws.notice = exc.message
                return
            who = "大模型" if card.source == "openai" else "内置模板"
            if not commit(new, note=f"采用对话助手（{who}）的建议：{card.field_zh}"):
                return
            card.status = "applied"
    else:
        card.status = "ignored"
    update_payload(get_store(), message_id, answer.to_dict())


def _card(message: ChatMessage, index: int, card: ChangeCard, frozen: bool) -> None:
    ws = workspace()
    status = card.status
    if status == "pending" and ws.draft is not None and not card_is_current(ws.draft, card):
        status = "stale"
    with st.container(border=True):
        st.text(f"修改建议 · {card.field_zh}")
        st.text(f"原值：{shown(card.old)}")
        st.text(f"新值：{shown(card.new)}")
        st.text(f"得分影响：{card.effect_zh}")
        if status != "pending":
            st.caption(_STATUS_ZH.get(status, status))
            return
        c1, c2 = st.columns(2)
        args = (message.id, message.payload, index)
        c1.button(
            "采用",
            key=f"chat_ok_{message.id}_{index}",
            on_click=_decide,
            args=(*args, True),
            type="primary",
            disabled=frozen,
        )
        c2.button("忽略", key=f"chat_no_{message.id}_{index}", on_click=_decide, args=(*args, False))


def chat_panel(where: str) -> None:
    """The panel: which backend answers, the conversation so far (with its cards) and the input."""
    ws = workspace()
    if ws.draft is None or ws.draft_id is None:
        return
    backend = _backend()
    with st.expander("对话助手", expanded=True, icon=":material/forum:"):
        st.caption(f"回答来自：{backend.title}。可问得分原因、假设测算、满分所需、问题清单，或请它草拟文字。")
        frozen = ws.status == "定稿"
        for message in conversation(get_store(), ws.draft_id):
            with st.chat_message("user" if message.role == "user" else "assistant"):
                st.text(message.text)
                if message.role != "user":
                    answer = ChatAnswer.from_dict(message.payload)
                    for w in answer.warnings:
                        st.text(f"⚠ {w}")
                    for i, card in enumerate(answer.cards):
                        _card(message, i, card, frozen)
        key = f"chat_input_{where}"
        st.chat_input("问问这张表，例如：为什么第1行只得了4.7分？", key=key, on_submit=_ask, args=(key,))
