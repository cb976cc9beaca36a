"""Backends come from the ``perfeval.assistants`` entry-point group: a tiny test distribution (a
dist-info folder on sys.path) adds one without touching perfeval."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from perfeval.assist import (
    UNGROUNDED_NUMBER,
    Assistant,
    AssistantError,
    describe_backends,
    get_backend,
    list_backends,
    suggest,
)
from perfeval.assist.openai_backend import OpenAIAssistant
from perfeval.assist.template import TemplateAssistant

PLUGIN = '''
from perfeval.assist import Assistant, Suggestion


class EchoAssistant(Assistant):
    """A plug-in backend: says the project name and an invented figure."""

    name = "echo"
    title = "回声（测试）"

    def suggest(self, field, form, indicator=None):
        greeting = self.settings.get("greeting", "")
        return Suggestion(text=f"{greeting}{form.project_name}共4242项", backend=self.name)
'''


def _install_plugin(
    root: Path, monkeypatch: pytest.MonkeyPatch, target: str = "perfeval_echo_plugin:EchoAssistant"
) -> None:
    (root / "perfeval_echo_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    dist = root / "perfeval_echo_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: perfeval-echo-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(f"[perfeval.assistants]\necho = {target}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))


def test_builtins_are_registered():
    names = list_backends()
    assert names[0] == "template" and "openai" in names
    assert isinstance(get_backend("template"), TemplateAssistant)
    assert isinstance(get_backend("openai"), OpenAIAssistant)
    titles = describe_backends()
    assert titles["template"].startswith("内置模板")


def test_builtins_are_declared_as_entry_points():
    from importlib.metadata import entry_points

    declared = {ep.name: ep.value for ep in entry_points(group="perfeval.assistants")}
    assert declared.get("template") == "perfeval.assist.template:TemplateAssistant"
    assert declared.get("openai") == "perfeval.assist.openai_backend:OpenAIAssistant"


def test_plugin_from_a_test_distribution_is_found(tmp_path, monkeypatch, seed_forms):
    assert "echo" not in list_backends()
    _install_plugin(tmp_path, monkeypatch)
    assert "echo" in list_backends()
    backend = get_backend("echo", {"greeting": "你好，"})
    assert isinstance(backend, Assistant)
    s = suggest("goal", seed_forms[2], backend="echo", settings={"greeting": "你好，"})
    assert s.backend == "echo" and s.text == "你好，宣传与推广共4242项"
    # grounding applies to every backend, not only the built-in ones
    assert [(w.code, w.number) for w in s.warnings] == [(UNGROUNDED_NUMBER, "4242")]
    assert describe_backends()["echo"] == "回声（测试）"


def test_broken_plugin_is_a_clear_error(tmp_path, monkeypatch, seed_forms):
    _install_plugin(tmp_path, monkeypatch, target="perfeval_echo_plugin:Missing")
    with pytest.raises(AssistantError, match="加载失败"):
        suggest("goal", seed_forms[0], backend="echo")
    assert "echo" not in describe_backends()


def test_unknown_backend_names_the_choices(seed_forms):
    with pytest.raises(AssistantError, match="没有名为「nope」的写作助手后端，可选：template"):
        suggest("goal", seed_forms[0], backend="nope")
