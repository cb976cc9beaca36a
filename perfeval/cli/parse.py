"""``perfeval parse FILE... [--json]``: the forms found in the files, values as printed."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .common import add_files_argument, print_json, read_all

if TYPE_CHECKING:
    from ..model import SelfEvaluation


#: The line ``perfeval --help`` shows for this command.
HELP = "读取文件中的自评表 (parse forms from files)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help=HELP)
    add_files_argument(p)
    p.add_argument("--json", action="store_true", help='输出交换 JSON {"forms": [...]}')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..interchange import bundle_to_dict

    forms, failed = read_all(args.files)
    if args.json:
        print_json(bundle_to_dict(forms))
    else:
        print(summary(forms))
    return 1 if failed else 0


def summary(forms: list[SelfEvaluation]) -> str:
    """One line per form: year, project, number of indicators, printed total."""
    from ..numbers import fmt

    lines = [f"共 {len(forms)} 张自评表"]
    for i, f in enumerate(forms, 1):
        total = fmt(f.total_score)
        lines.append(f"{i}. {f.year}年度 {f.project_name}：{len(f.indicators)} 个指标，总分 {total}")
    return "\n".join(lines)
