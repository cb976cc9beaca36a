"""Backends are found through the entry-point group ``perfeval.assistants`` (as ``llm`` finds its
plugins): adding one is a class plus an entry point in its distribution's metadata, no app change.

The built-in backends are registered the same way in perfeval's own pyproject.toml; they are also
known here directly so that a source checkout that was never installed still has them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .base import Assistant, AssistantError

GROUP = "perfeval.assistants"
DEFAULT_BACKEND = "template"
_BUILTIN: dict[str, str] = {
    "template": "perfeval.assist.template:TemplateAssistant",
    "openai": "perfeval.assist.openai_backend:OpenAIAssistant",
}


def _entry_points() -> dict[str, EntryPoint | str]:
    found: dict[str, EntryPoint | str] = {}
    for ep in entry_points(group=GROUP):
        found[ep.name] = ep
    found.update(_BUILTIN)
    return found


def list_backends() -> list[str]:
    """Names of the installed backends, the default (``template``) first."""
    names = sorted(_entry_points())
    return sorted(names, key=lambda n: n != DEFAULT_BACKEND)


def _load(target: EntryPoint | str) -> Any:
    if isinstance(target, EntryPoint):
        return target.load()
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def backend_class(name: str) -> type[Assistant]:
    """The class registered under ``name``; :class:`AssistantError` when none is."""
    # The built-ins are loaded directly (scanning every distribution's metadata costs milliseconds);
    # a plug-in cannot take over their names.
    found: dict[str, EntryPoint | str] = {name: _BUILTIN[name]} if name in _BUILTIN else _entry_points()
    if name not in found:
        raise AssistantError(
            f"没有名为「{name}」的写作助手后端，可选：{'、'.join(list_backends())}", english="unknown backend"
        )
    try:
        cls = _load(found[name])
    except Exception as exc:  # a broken plug-in must not crash the app
        raise AssistantError(
            f"写作助手后端「{name}」加载失败：{type(exc).__name__}", english="backend failed to load"
        ) from None
    if not (isinstance(cls, type) and callable(getattr(cls, "suggest", None))):
        raise AssistantError(f"写作助手后端「{name}」不是有效的后端类", english="not a backend class")
    return cls


def get_backend(name: str = DEFAULT_BACKEND, settings: Mapping[str, Any] | None = None) -> Assistant:
    """An instance of backend ``name`` configured with ``settings``."""
    return backend_class(name)(settings)


def describe_backends() -> dict[str, str]:
    """Name -> Chinese title of each backend that loads (for the app's settings page)."""
    out: dict[str, str] = {}
    for name in list_backends():
        try:
            out[name] = getattr(backend_class(name), "title", "") or name
        except AssistantError:
            continue
    return out
