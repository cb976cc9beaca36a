"""What several subcommands share: reading many files where a bad one does not stop the others,
and printing JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..errors import PerfevalError

if TYPE_CHECKING:
    from ..model import SelfEvaluation


def read_all(
    paths: Iterable[str], reader: Callable[[str], list[SelfEvaluation]] | None = None
) -> tuple[list[SelfEvaluation], int]:
    """Forms from every file, in order; each file that fails gets one line on stderr.

    Returns the forms and the number of files that failed."""
    if reader is None:
        from ..ingest import read_forms as reader
    forms: list[SelfEvaluation] = []
    failed = 0
    for path in paths:
        try:
            forms.extend(reader(path))
        except PerfevalError as exc:
            if exc.source is None:
                exc.source = path
            print(f"perfeval: {exc.cli_line()}", file=sys.stderr)
            failed += 1
        except Exception as exc:  # a bug must not stop the other files either
            print(f"perfeval: {path}: {internal_error_line(exc)}", file=sys.stderr)
            failed += 1
    return forms, failed


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
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF、其纯文本、XLSX、DOCX 或交换 JSON 文件")
