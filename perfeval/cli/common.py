"""What several subcommands share: reading many files where a bad one does not stop the others
(``-`` is standard input), and printing JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..errors import as_perfeval_error
from ..formats import SUPPORTED_NAMES

if TYPE_CHECKING:
    from ..model import SelfEvaluation

#: The file name that means standard input, and how messages name it.
STDIN = "-"
STDIN_NAME = "标准输入"
_stdin: bytes | None = None

#: What a FILE argument may be (every format perfeval.ingest reads).
FILE_HELP = f"{SUPPORTED_NAMES} 文件；- 表示标准输入"


def stdin_bytes() -> bytes:
    """Everything on standard input, read once (``-`` given twice reads the same bytes)."""
    global _stdin
    if _stdin is None:
        stream = sys.stdin.buffer if sys.stdin is not None else None
        _stdin = stream.read() if stream is not None else b""
    return _stdin


def read_input(path: str) -> list[SelfEvaluation]:
    """The forms of one file, or of standard input for ``-`` (recognised by its content, like a file)."""
    from ..ingest import read_bytes, read_forms

    if path == STDIN:
        return read_bytes(STDIN_NAME, stdin_bytes())
    return read_forms(path)


def read_all(
    paths: Iterable[str], reader: Callable[[str], list[SelfEvaluation]] | None = None
) -> tuple[list[SelfEvaluation], int]:
    """Forms from every file, in order; each file that fails gets one line on stderr.

    Returns the forms and the number of files that failed."""
    if reader is None:
        reader = read_input
    forms: list[SelfEvaluation] = []
    failed = 0
    for path in paths:
        try:
            forms.extend(reader(path))
        except Exception as exc:  # one line, and a bug must not stop the other files either
            source = STDIN_NAME if path == STDIN else path
            error = as_perfeval_error(exc, source=source, reading=True)
            if error is None:
                print(f"perfeval: {source}: {internal_error_line(exc)}", file=sys.stderr)
            else:
                if error.source is None:
                    error.source = source
                print(f"perfeval: {error.cli_line()}", file=sys.stderr)
            failed += 1
    return forms, failed


def each_form(
    forms: Iterable[SelfEvaluation], work: Callable[[SelfEvaluation], Any]
) -> tuple[list[tuple[SelfEvaluation, Any]], int]:
    """``work(form)`` for every form; a form it fails on gets one line on stderr and the others go on.

    Returns (form, result) for the forms that worked and the number that failed."""
    done: list[tuple[SelfEvaluation, Any]] = []
    failed = 0
    for form in forms:
        try:
            done.append((form, work(form)))
        except Exception as exc:
            where = f"{form.year}年度「{form.project_name}」"
            error = as_perfeval_error(exc)
            line = error.cli_line() if error is not None else internal_error_line(exc)
            print(f"perfeval: {where}: {line}", file=sys.stderr)
            failed += 1
    return done, failed


def internal_error_line(exc: BaseException) -> str:
    """One line for an unexpected error (a bug): what it was, and how to see the details."""
    import os
    import traceback

    if os.environ.get("PERFEVAL_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 PERFEVAL_DEBUG=1 可查看详情，请报告此问题） (internal error)"


def print_json(doc: Any) -> None:
    import json

    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def add_files_argument(parser: Any) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
