"""``perfeval suggest FILE --field goal|goal_actual|deviation [--indicator N] [--form K] [--backend NAME] [--json]``:
a suggested text for 年度总体目标 or 偏差原因分析及改进措施 (the form is not changed)."""

from __future__ import annotations

import argparse
import sys

from ..errors import InputFormatError
from .common import FILE_HELP, print_json, read_all

#: perfeval.assist.FIELDS, spelt out so that ``--help`` does not load the assistant (a test keeps them equal).
FIELDS: tuple[str, ...] = ("goal", "goal_actual", "deviation")


#: The line ``perfeval --help`` shows for this command.
HELP = "写作助手：建议年度总体目标或偏差原因文字 (suggest goal / deviation text)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("suggest", help=HELP)
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument(
        "--field",
        required=True,
        choices=FIELDS,
        help="goal：年度总体目标；goal_actual：实际完成情况；deviation：偏差原因分析及改进措施",
    )
    p.add_argument(
        "--indicator",
        type=int,
        default=None,
        metavar="N",
        help="第 N 号绩效指标（从 0 起，与 indicators.N 路径一致）；省略时 deviation 针对预算执行情况",
    )
    p.add_argument("--form", type=int, default=0, metavar="K", help="文件中第 K 张表（从 0 起，默认 0）")
    p.add_argument(
        "--backend",
        default="template",
        metavar="NAME",
        help="写作助手后端（默认 template，离线；openai 为兼容 OpenAI 的接口；插件见 docs/assistant.md）",
    )
    p.add_argument(
        "--json", action="store_true", help='输出 {"text": ..., "backend": ..., "warnings": [...]}'
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..assist import suggest

    forms, failed = read_all([args.file])
    if failed:
        return 1
    if not forms:
        raise InputFormatError("文件中没有找到自评表", english="no form found", source=args.file)
    if not 0 <= args.form < len(forms):
        raise InputFormatError(
            f"没有第 {args.form} 张表（文件中共 {len(forms)} 张，编号从 0 起）",
            english="no such form",
            source=args.file,
        )
    result = suggest(args.field, forms[args.form], args.indicator, backend=args.backend)
    if args.json:
        print_json(result.to_dict())
    else:
        print(result.text)
        for w in result.warnings:
            print(f"提示 {w.code}：{w.message}", file=sys.stderr)
    return 0
