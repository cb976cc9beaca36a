"""Last year's report -> list[SelfEvaluation].

:func:`read_forms` picks the importer by the file's content and extension.  Every importer raises a
:class:`perfeval.errors.PerfevalError` subclass with a Chinese message for input it cannot read.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputFormatError
from ..interchange import load_path
from ..model import SelfEvaluation

SUPPORTED_SUFFIXES = (".json",)


def read_forms(path: str | Path) -> list[SelfEvaluation]:
    """All forms found in one file."""
    p = Path(path)
    if not p.exists():
        raise InputFormatError("文件不存在", english="no such file", source=str(p))
    if p.is_dir():
        raise InputFormatError("这是一个文件夹，不是文件", english="is a directory", source=str(p))
    suffix = p.suffix.lower()
    if suffix == ".json":
        return load_path(p)
    raise InputFormatError(
        f"不支持的文件类型「{suffix or '无扩展名'}」，支持：{'、'.join(SUPPORTED_SUFFIXES)}",
        english="unsupported file type",
        source=str(p),
    )
