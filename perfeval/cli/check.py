"""``perfeval check FILE... [--json] [--profile NAME]``: the consistency checks of every form.

With ``--json`` prints ``{"forms": [{"project_name": ..., "findings": [...]}]}``; exits 1 when any
finding is an error (or a file could not be read).
"""

from __future__ import annotations

import argparse

from .common import add_files_argument, each_form, print_json, read_all
from .score import add_profile_argument

_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


#: The line ``perfeval --help`` shows for this command.
HELP = "校验自评表的一致性 (consistency checks); 有错误时退出码为 1"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=HELP)
    add_files_argument(p)
    p.add_argument("--json", action="store_true", help='输出 {"forms": [{"project_name", "findings"}]}')
    add_profile_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..rules import check_form, has_errors, load_profile

    profile = load_profile(args.profile) if args.profile else None
    forms, failed = read_all(args.files)
    results, bad = each_form(forms, lambda f: check_form(f, profile))
    failed += bad
    if args.json:
        print_json(
            {
                "forms": [
                    {"project_name": f.project_name, "findings": [x.model_dump() for x in fs]}
                    for f, fs in results
                ]
            }
        )
    else:
        lines = [f"共 {len(results)} 张自评表"]
        for n, (f, fs) in enumerate(results, 1):
            errors = sum(1 for x in fs if x.severity == "error")
            lines.append(f"{n}. {f.year}年度 {f.project_name}：{errors} 个错误，共 {len(fs)} 条")
            for x in fs:
                lines.append(f"   [{_SEVERITY_ZH[x.severity]}] {x.code} {x.path}：{x.message}")
                if x.hint:
                    lines.append(f"       建议：{x.hint}")
        print("\n".join(lines))
    return 1 if failed or any(has_errors(fs) for _, fs in results) else 0
