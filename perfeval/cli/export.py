"""``perfeval export FILE... --format xlsx|docx|pdf|json -o OUT [--final] [--findings]``.

All forms found in the files go into one output file (a bundle: one sheet per form in XLSX, a page
break between forms in DOCX and PDF).  The format defaults to the extension of ``-o``.  ``--findings``
adds a last page listing the rule engine's findings for each form.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PerfevalError
from .common import add_files_argument, read_all

if TYPE_CHECKING:
    from ..model import Finding, SelfEvaluation

#: perfeval.export.FORMATS, spelt out so that ``--help`` does not load the writers (a test keeps them equal).
FORMATS: tuple[str, ...] = ("xlsx", "docx", "pdf", "json")


#: The line ``perfeval --help`` shows for this command.
HELP = "导出为报送用的 XLSX/DOCX/PDF/JSON (export for sign-off)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=HELP)
    add_files_argument(p)
    p.add_argument("--format", "-f", choices=FORMATS, help="导出格式；默认取输出文件的扩展名")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件")
    p.add_argument("--final", action="store_true", help="定稿：不加「草稿」标记")
    p.add_argument("--findings", action="store_true", help="最后一页列出校验问题（需要规则引擎）")
    for key, label in (
        ("unit-leader", "单位负责人"),
        ("filled-by", "填表人"),
        ("phone", "联系电话"),
        ("date", "填报日期"),
    ):
        p.add_argument(f"--{key}", metavar="TEXT", help=f"签字栏：{label}")
    p.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    from ..export import ExportError

    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ExportError(
        f"无法从输出文件名判断导出格式，请用 --format 指定（{'、'.join(FORMATS)}）",
        english="give --format",
    )


def compute_findings(forms: list[SelfEvaluation]) -> list[list[Finding]]:
    """Each form's findings from the rule engine (perfeval.rules.check_form)."""
    from ..export import ExportError

    try:
        rules = importlib.import_module("perfeval.rules")
    except ImportError:
        raise ExportError("规则引擎不可用，无法列出校验问题", english="rule engine not available") from None
    return [list(rules.check_form(form)) for form in forms]


def run(args: argparse.Namespace) -> int:
    from ..export import ExportError, export_forms

    fmt = _format(args)
    forms, failed = read_all(args.files)
    if not forms:
        raise ExportError("输入文件中没有可导出的自评表", english="no forms to export")
    signoff = {
        key: value
        for key, value in (
            ("unit_leader", args.unit_leader),
            ("filled_by", args.filled_by),
            ("phone", args.phone),
            ("date", args.date),
        )
        if value
    }
    findings = compute_findings(forms) if args.findings else None
    data = export_forms(forms, fmt, final=args.final, findings=findings, signoff=signoff or None)
    out = Path(args.output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise PerfevalError(
            f"无法写入输出文件：{exc.strerror or exc}", english="cannot write output", source=str(out)
        ) from None
    print(f"已导出 {len(forms)} 张自评表到 {out}（{fmt.upper()}）", file=sys.stderr)
    return 1 if failed else 0
