"""Exceptions a user can cause, each with a message in Chinese (and an English gloss for the CLI).

The app shows ``message``; the CLI prints ``cli_line()`` (Chinese, then English in brackets).
Nothing a user does should surface as a traceback: every expected failure is one of these.
"""

from __future__ import annotations

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
