"""What several subcommands share: reading many files where a bad one does not stop the others,
and printing JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import PerfevalError
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
    return forms, failed


def print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def add_files_argument(parser: Any) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF、其纯文本、XLSX、DOCX 或交换 JSON 文件")
