"""``perfeval score FILE... [--json] [--profile NAME] [--explain]``: scores recomputed by the rule engine.

With ``--json`` prints ``{"forms": [...]}``: each form with its scores recomputed, plus ``findings``
and ``profile`` (and ``explanations`` with ``--explain``), as ../shared/spec/interchange.md describes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import add_files_argument, each_form, print_json, read_all

if TYPE_CHECKING:
    from ..model import SelfEvaluation
    from ..rules import FormScore


#: The line ``perfeval --help`` shows for this command.
HELP = "按评分规则重新计算得分 (recompute scores by the rules)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help=HELP)
    add_files_argument(p)
    p.add_argument(
        "--json", action="store_true", help='输出交换 JSON {"forms": [...]}，含 findings 与 profile'
    )
    add_profile_argument(p)
    p.add_argument("--explain", action="store_true", help="逐项说明得分的计算过程 (explain every score)")
    p.set_defaults(func=run)


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="评分规则：central、shanghai、sichuan-2023、hubei 或规则 JSON 文件；默认按表自动选择",
    )


def score_one(
    form: SelfEvaluation, profile_name: str | None, explain: bool
) -> tuple[dict[str, Any], FormScore]:
    """The interchange dict of a scored form with ``findings`` and ``profile`` (and ``explanations``)."""
    from ..interchange import form_to_dict
    from ..rules import apply_scores, check_form, load_profile, pick_profile, score_form

    profile = load_profile(profile_name) if profile_name else pick_profile(form)
    result = score_form(form, profile)
    findings = check_form(form, profile, result=result)
    doc = form_to_dict(apply_scores(form, result))
    doc["findings"] = [f.model_dump() for f in findings]
    doc["profile"] = profile.name
    if explain:
        doc["explanations"] = result.explanations()
    return doc, result


def run(args: argparse.Namespace) -> int:
    from ..rules import load_profile

    if args.profile:
        load_profile(args.profile)  # an unknown name stops here, with one line on stderr
    forms, failed = read_all(args.files)
    scored, bad = each_form(forms, lambda f: score_one(f, args.profile, args.explain))
    failed += bad
    docs = [d for _, d in scored]
    if args.json:
        print_json({"forms": [d for d, _ in docs]})
    else:
        print(human(docs, args.explain))
    return 1 if failed else 0


def human(docs: list[tuple[dict[str, Any], FormScore]], explain: bool) -> str:
    from ..numbers import fmt, percent

    lines = [f"共 {len(docs)} 张自评表"]
    for n, (doc, result) in enumerate(docs, 1):
        ex = result.execution
        rate = "—" if ex.exact_rate is None else percent(ex.exact_rate)
        counts = {
            s: sum(1 for f in doc["findings"] if f["severity"] == s) for s in ("error", "warning", "info")
        }
        ind_sum = sum(r.score for r in result.rows if r.score is not None)
        ind_w = sum(r.weight for r in result.rows if r.weight is not None)
        lines.append(f"{n}. {doc['year']}年度 {doc['project_name']}（评分规则：{doc['profile']}）")
        lines.append(
            f"   预算执行率 {rate}，得分 {fmt(ex.score)}/{fmt(ex.weight)}；指标得分 {fmt(ind_sum, 4)}/{fmt(ind_w)}"
        )
        lines.append(f"   总分 {fmt(result.total)}，等级「{result.grade}」")
        detail = "（详见 perfeval check）" if any(counts.values()) else ""
        lines.append(
            f"   校验：{counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 条提示{detail}"
        )
        if explain:
            lines.append(f"   · {ex.explanation.text_zh}")
            lines += [f"   · {r.index + 1}. {r.explanation.text_zh}" for r in result.rows]
            lines.append(f"   · {result.explanation.text_zh}")
    return "\n".join(lines)
