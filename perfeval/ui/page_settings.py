"""设置: the author's name, the rule profile, and the writing assistant's backend and endpoint, all kept
in the database (they outlive the session and the server).

The assistant's API key is read from the environment (``PERFEVAL_LLM_API_KEY``) or Streamlit secrets
(``.streamlit/secrets.toml``: ``PERFEVAL_LLM_API_KEY = "..."``); the app never asks for it, shows it or
stores it."""

from __future__ import annotations

import streamlit as st

from ..rules import list_profiles, load_profile
from ..store import default_user
from .assistant import KEY_NAME, api_key, backend_titles
from .session import author_setting, save_author, save_setting
from .state import workspace

AUTO = "__auto__"


def _profile_label(name: str) -> str:
    if name == AUTO:
        return "自动（按地区和模板选择）"
    try:
        return load_profile(name).title
    except Exception:  # a broken profile file still gets listed by name
        return name


def _on_profile() -> None:
    value = st.session_state["set_profile"]
    workspace().profile = None if value == AUTO else value
    save_setting("profile", "" if value == AUTO else value)


def _on_backend() -> None:
    workspace().assist_backend = st.session_state["set_backend"]
    save_setting("assist_backend", workspace().assist_backend)


def _on_endpoint() -> None:
    ws = workspace()
    ws.assist_base_url = st.session_state["set_base_url"].strip()
    ws.assist_model = st.session_state["set_model"].strip()
    save_setting("assist_base_url", ws.assist_base_url)
    save_setting("assist_model", ws.assist_model)


def _on_author() -> None:
    save_author(str(st.session_state.get("set_author") or ""))
    workspace().notice = "已保存填报人姓名。"


def page() -> None:
    ws = workspace()
    st.header("设置")
    if ws.notice:
        st.success(ws.notice)
        ws.notice = None
    st.subheader("填报人")
    st.text_input(
        "您的姓名（显示在历史和修改记录中）",
        value=author_setting(),
        key="set_author",
        on_change=_on_author,
        placeholder=f"未填写时记为「{default_user()}」",
        max_chars=40,
    )
    st.subheader("评分规则")
    options = [AUTO, *list_profiles()]
    current = ws.profile if ws.profile in options else AUTO
    st.selectbox(
        "评分规则配置",
        options,
        index=options.index(current),
        format_func=_profile_label,
        key="set_profile",
        on_change=_on_profile,
    )
    if ws.profile:
        profile = load_profile(ws.profile)
        st.caption(profile.description)

    st.subheader("写作助手")
    titles = backend_titles()
    names = list(titles)
    backend = ws.assist_backend if ws.assist_backend in names else (names[0] if names else "template")
    st.selectbox(
        "助手后端",
        names,
        index=names.index(backend) if backend in names else 0,
        format_func=lambda n: titles.get(n, n),
        key="set_backend",
        on_change=_on_backend,
    )
    c1, c2 = st.columns(2)
    c1.text_input(
        "服务地址（兼容 OpenAI 的接口）",
        value=ws.assist_base_url,
        key="set_base_url",
        on_change=_on_endpoint,
        placeholder="例如 http://127.0.0.1:11434/v1",
    )
    c2.text_input("模型名称", value=ws.assist_model, key="set_model", on_change=_on_endpoint)
    if api_key():
        st.success(f"已从环境变量或 secrets 读取 {KEY_NAME}（不会显示或保存）。")
    else:
        st.info(
            f"未设置 {KEY_NAME}。离线模板助手无需密钥；使用在线模型时请在环境变量或 "
            ".streamlit/secrets.toml 中设置，本应用不会保存密钥。"
        )
