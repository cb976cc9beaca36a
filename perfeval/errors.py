"""Exceptions a user can cause, each with a message in Chinese (and an English gloss for the CLI).

The app shows ``message``; the CLI prints ``cli_line()`` (Chinese, then English in brackets).
Nothing a user does should surface as a traceback: every expected failure is one of these.
"""

from __future__ import annotations

import sys
from pathlib import Path


class PerfevalError(Exception):
    """Base class: ``message`` is Chinese and shown as is; ``english`` is an optional gloss."""

    code = "ERROR"

    def __init__(self, message: str, *, english: str | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.english = english
        self.source = source

    def cli_line(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        gloss = f" ({self.english})" if self.english else ""
        return f"{prefix}{self.message}{gloss}"


class InvalidFormError(PerfevalError):
    """Data that cannot be a self-evaluation form (a weight that is not a number, negative money ...)."""

    code = "INVALID_FORM"

    def __init__(self, problems: list[str], *, source: str | None = None) -> None:
        self.problems = problems
        super().__init__("；".join(problems), english="invalid form data", source=source)


class InputFormatError(PerfevalError):
    """A file whose format perfeval cannot read (malformed JSON, unknown extension ...)."""

    code = "INPUT_FORMAT"


class ImportFailure(PerfevalError):
    """A file that stops its import: encrypted, scanned, corrupt, not a self-evaluation form ..."""

    code = "IMPORT_FAILED"


def read_file(path: str | Path, error: type[PerfevalError] = InputFormatError) -> bytes:
    """A file's bytes; a file that cannot be read raises ``error`` saying why, in Chinese."""
    p = Path(path)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise error(
            f"无法读取文件：{exc.strerror or exc}", english="cannot read file", source=str(p)
        ) from None


#: Messages for exceptions of the standard library and third-party readers that bad input causes: they
#: are the input's fault, not a bug, and get one line like any perfeval error (see :func:`as_perfeval_error`).
_DEEP = ("数据嵌套层数过多，无法读取", "nested too deeply")
_BIG_INT = ("数字位数过多，无法读取", "integer too long")
_RANGE = ("数值超出可处理的范围", "number out of range")
_MEMORY = ("内容过大，内存不足，无法读取", "out of memory")
_DATABASE = (
    "数据库文件已损坏或不是 perfeval 数据库，请从备份恢复（perfeval db import）",
    "database is corrupt",
)
_UNREADABLE = ("文件内容有误，无法读取", "malformed content")


def as_perfeval_error(
    exc: BaseException, *, source: str | None = None, reading: bool = False
) -> PerfevalError | None:
    """The perfeval error for ``exc`` when bad input can cause it, else None (a bug: report it).

    Always mapped: RecursionError (data nested too deeply), a ValueError for an integer string beyond
    Python's digit limit, OverflowError and decimal.InvalidOperation (numbers out of range),
    MemoryError, and sqlite3.DatabaseError (a corrupt database file).  With ``reading`` (the exception
    came out of a file's reader), also any other ValueError, an XML ParseError, a damaged zip and a
    truncated file."""
    if isinstance(exc, PerfevalError):
        return exc
    found: tuple[str, str] | None = None
    decimal = sys.modules.get("decimal")
    sqlite3 = sys.modules.get("sqlite3")
    if isinstance(exc, RecursionError):
        found = _DEEP
    elif isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        found = _BIG_INT
    elif isinstance(exc, OverflowError) or (
        decimal is not None and isinstance(exc, decimal.InvalidOperation)
    ):
        found = _RANGE
    elif isinstance(exc, MemoryError):
        found = _MEMORY
    elif sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
        found = _DATABASE
    elif reading and isinstance(exc, ValueError | SyntaxError | EOFError | _zip_error()):
        found = _UNREADABLE  # SyntaxError covers xml.etree's ParseError
    if found is None:
        return None
    message, english = found
    return InputFormatError(message, english=f"{english}: {type(exc).__name__}", source=source)


def _zip_error() -> type[BaseException]:
    zipfile = sys.modules.get("zipfile")
    return zipfile.BadZipFile if zipfile is not None else ValueError
