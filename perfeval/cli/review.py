"""``perfeval review PATH... [-o REPORT.xlsx] [--json] [--jobs N] [--profile NAME]``: reviewer batch mode.

Every form in the given files, folders (recursively) and zip archives, scored and checked in a pool of
worker processes (see :mod:`perfeval.review`).  ``--json`` prints ``{"forms": [...], "failed": [...]}``
as shared/spec/interchange.md says; ``-o`` writes the XLSX report.  A progress bar goes to stderr when
it is a terminal.  Exits 1 when any form has an error finding or any file could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import print_json
from .score import add_profile_argument

HELP = "审核：批量校验文件、文件夹和 zip 压缩包中的全部自评表 (review a batch); 有错误时退出码为 1"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help=HELP)
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件、文件夹（递归）或 zip 压缩包")
    p.add_argument("-o", "--output", metavar="REPORT.xlsx", help="写出 XLSX 审核报告")
    p.add_argument("--json", action="store_true", help='输出 {"forms": [...], "failed": [...]}')
    p.add_argument("--jobs", type=_jobs, metavar="N", help="并行进程数（默认：CPU 核数）")
    add_profile_argument(p)
    p.set_defaults(func=run)


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}")
    return n


def run(args: argparse.Namespace) -> int:
    from ..errors import PerfevalError
    from ..review import build_report, collect, review_sources
    from ..rules import load_profile

    if args.profile:
        load_profile(args.profile)  # an unknown name stops here, with one line on stderr
    sources, failed = collect(args.paths)
    if not sources and not failed:
        raise PerfevalError("没有找到可审核的文件", english="no files to review")
    with _progress(len(sources)) as bar:
        results = review_sources(
            sources, jobs=args.jobs, profile=args.profile, on_result=lambda *_: bar.update(1)
        )
    report = build_report(results, failed)
    if args.output:
        _write_report(report, Path(args.output))
    if args.json:
        print_json(report.to_dict())
    else:
        print(human(report))
        if args.output:
            print(f"审核报告已写入 {args.output}")
    return report.exit_code


def _progress(total: int) -> Any:
    """A progress bar on stderr, shown only when stderr is a terminal (stdout stays clean for --json)."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the worker pool may then fork this process
    return tqdm(total=total, unit="个文件", desc="审核", file=sys.stderr, disable=None, leave=False)


def _write_report(report: Any, path: Path) -> None:
    from ..errors import PerfevalError
    from ..export.review_xlsx import review_xlsx

    data = review_xlsx(report)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise PerfevalError(
            f"无法写入审核报告「{path}」：{exc.strerror or exc}", english="cannot write the report"
        ) from None


def human(report: Any) -> str:
    """The batch in a few lines per form: file, project, scores, grade, and its errors."""
    from ..numbers import fmt
    from ..review import code_title

    forms, failed = report.forms, report.failed
    errors = sum(1 for f in forms if f.errors)
    lines = [f"共 {len(forms)} 张自评表，{errors} 张有错误；{len(failed)} 个文件无法读取"]
    for n, f in enumerate(forms, 1):
        printed = fmt(f.form.total_score)
        computed = fmt(f.computed_total)
        lines.append(
            f"{n}. {f.file} 第{f.index + 1}张 {f.form.year}年度「{f.form.project_name}」"
            f"自评 {printed}，复核 {computed}，等级「{f.grade or '—'}」："
            f"{f.errors} 个错误，{f.warnings} 个警告"
        )
        for x in f.findings:
            if x.severity == "error":
                lines.append(f"   [错误] {code_title(x.code)}：{x.message}")
    for x in failed:
        lines.append(f"无法读取 {x.file}：{x.message}")
    return "\n".join(lines)
