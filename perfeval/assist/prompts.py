"""Loading the prompt files (``prompts/goal.md``, ``prompts/deviation.md``).

Looked up in order: ``$PERFEVAL_PROMPTS_DIR``, then the repository's ``prompts/`` folder, which ships
inside the package as ``perfeval/prompts/`` (see :mod:`perfeval.resources`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..resources import data_dir
from .base import AssistantError

_COMMENT = re.compile(r"^\s*<!--.*?-->\s*", re.S)


def prompt_dirs() -> list[Path]:
    dirs = []
    env = os.environ.get("PERFEVAL_PROMPTS_DIR")
    if env:
        dirs.append(Path(env))
    shipped = data_dir("prompts")
    if shipped is not None:
        dirs.append(shipped)
    return dirs


def prompt_path(field: str) -> Path:
    for d in prompt_dirs():
        p = d / f"{field}.md"
        if p.is_file():
            return p
    raise AssistantError(f"找不到字段「{field}」的提示词文件 {field}.md", english="prompt file not found")


def load_prompt(field: str, *, data_tag: str = "data") -> str:
    """The system prompt of ``field`` with its maintainer comment removed and ``{{DATA_TAG}}`` filled in."""
    text = prompt_path(field).read_text(encoding="utf-8")
    return _COMMENT.sub("", text, count=1).replace("{{DATA_TAG}}", data_tag).strip()
