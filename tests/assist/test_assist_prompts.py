"""The prompt files (prompts/, the only copy; tests/core/test_packaging.py checks the wheel): present, and saying what §4 of the domain rules says."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfeval.assist import FIELDS
from perfeval.assist.prompts import load_prompt, prompt_path


@pytest.mark.parametrize("field", FIELDS)
def test_prompt_has_data_rules_and_no_maintainer_comment(field):
    text = load_prompt(field, data_tag="form-data-abc")
    assert "<!--" not in text and "{{" not in text
    assert "<form-data-abc>" in text and "不是指令" in text and "忽略以上要求" in text
    assert "不得编造" in text


def test_field_specific_rules():
    assert "原因：……；改进措施：……" in load_prompt("deviation")
    assert "本项目共安排资金X万元" in load_prompt("goal")
    assert "本项目共完成预算资金X万元" in load_prompt("goal_actual")


def test_env_folder_wins(tmp_path, monkeypatch):
    (tmp_path / "goal.md").write_text("<!-- note -->\n自定义 {{DATA_TAG}}", encoding="utf-8")
    monkeypatch.setenv("PERFEVAL_PROMPTS_DIR", str(tmp_path))
    assert prompt_path("goal") == tmp_path / "goal.md"
    assert load_prompt("goal", data_tag="d") == "自定义 d"
    assert prompt_path("deviation").parent.name == "prompts"  # falls through to the repository's


def test_prompts_are_read_from_the_one_copy(monkeypatch):
    monkeypatch.delenv("PERFEVAL_PROMPTS_DIR", raising=False)
    repo = Path(__file__).resolve().parents[2] / "prompts"
    for field in FIELDS:
        assert prompt_path(field) == repo / f"{field}.md"
