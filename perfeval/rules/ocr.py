"""OCR_UNCERTAIN: numbers read from a scan that the form's own arithmetic contradicts, or that the
recogniser was unsure of.

The arithmetic of a form ties its numbers together: each money column of 年度资金总额 is the sum of its
sources, 执行率 = 全年执行数 ÷ 全年预算数, the execution score follows from the rate and its weight, a
rule-scored indicator's score follows from its target and actual, 总分 is the sum of the scores and the
weights add up to the total weight.  Each relation is checked on the numbers as read:

- a relation that holds vouches for its numbers;
- in a relation that fails, the numbers no holding relation vouches for are suspects; where the value
  the relation implies for a suspect differs from what was read by one or two digits (the usual OCR
  slip), that suspect is named with the implied value, otherwise every suspect is flagged;
- a number whose least certain character the recogniser scored below :data:`LOW_CONFIDENCE` is
  flagged too.

Paths a person confirmed (``form.ocr.confirmed``) are never flagged.  Forms not read by OCR have no
trace and give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import FIELD_LABELS, Finding, SelfEvaluation, read_number, read_rate
from ..numbers import add_up, fmt, fmt_fixed, percent
from ..quantity import OPERATORS
from .scoring import FormScore

#: Below this lowest-character confidence a number read by OCR is uncertain.
LOW_CONFIDENCE = 0.9


@dataclass(slots=True)
class Relation:
    """Numbers tied by the form's arithmetic: ``implied`` gives, per path, the value the others imply
    (where it can be solved for)."""

    name: str
    paths: list[str]
    holds: bool
    implied: dict[str, float] = field(default_factory=dict)


def _sum_relation(
    name: str, total: tuple[str, float | None], parts: list[tuple[str, float | None]], tol: float
) -> Relation | None:
    path, want = total
    if want is None or all(v is None for _, v in parts):
        return None
    got = float(add_up([v for _, v in parts]))
    implied = {path: got}
    for p, v in parts:
        if v is not None:
            implied[p] = float(want) - (got - float(v))
    return Relation(name, [path, *(p for p, v in parts if v is not None)], abs(got - want) <= tol, implied)


def relations(
    form: SelfEvaluation, result: FormScore, money_tol: float, score_tol: float, rate_tol: float
) -> list[Relation]:
    """Every arithmetic relation of ``form`` that its numbers allow checking."""
    out: list[Relation | None] = []
    total = form.total_fund
    subs = [f for f in form.funds if f.kind != "total"]
    if total is not None and subs:
        for col in ("initial_budget", "annual_budget", "executed"):
            out.append(
                _sum_relation(
                    f"funds.{col}",
                    (f"funds.total.{col}", getattr(total, col)),
                    [(f"funds.{f.kind}.{col}", getattr(f, col)) for f in subs],
                    money_tol + 1e-9 * abs(getattr(total, col) or 0),
                )
            )
    ex = result.execution
    if total is not None and total.execution_rate is not None and ex.exact_rate is not None:
        holds = abs(total.execution_rate - ex.exact_rate) <= rate_tol + 1e-12
        out.append(
            Relation(
                "rate",
                ["funds.total.execution_rate", "funds.total.executed", "funds.total.annual_budget"],
                holds,
                {"funds.total.execution_rate": round(ex.exact_rate, 4)},
            )
        )
    if total is not None and total.score is not None and ex.exact is not None and ex.score is not None:
        holds = abs(total.score - ex.exact) <= score_tol
        out.append(
            Relation(
                "exec-score",
                [
                    "funds.total.score",
                    "funds.total.weight",
                    "funds.total.executed",
                    "funds.total.annual_budget",
                ],
                holds,
                {"funds.total.score": ex.score},
            )
        )
    for r in result.rows:
        if r.status == "rule" and r.given is not None and r.exact is not None and r.score is not None:
            i = r.index
            out.append(
                Relation(
                    f"row-{i}",
                    [
                        f"indicators.{i}.score",
                        f"indicators.{i}.weight",
                        f"indicators.{i}.actual",
                        f"indicators.{i}.target",
                    ],
                    abs(r.given - r.exact) <= score_tol,
                    {f"indicators.{i}.score": r.score},
                )
            )
    scores = [("funds.total.score", total.score if total is not None else None)]
    scores += [(f"indicators.{i}.score", ind.score) for i, ind in enumerate(form.indicators)]
    if all(v is not None for _, v in scores):
        out.append(_sum_relation("total", ("total_score", form.total_score), scores, score_tol))
    weights = [("funds.total.weight", total.weight if total is not None else None)]
    weights += [(f"indicators.{i}.weight", ind.weight) for i, ind in enumerate(form.indicators)]
    if all(v is not None for _, v in weights):
        out.append(_sum_relation("weights", ("total_weight", form.total_weight), weights, score_tol))
    return [r for r in out if r is not None]


# ------------------------------------------------------------------------------------------ paths

_PLAIN_NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")


def path_value(form: SelfEvaluation, path: str) -> Any:
    """The value at an interchange path (``funds.total.executed``, ``indicators.3.score``, ``total_score``)."""
    parts = path.split(".")
    if parts[0] == "funds" and len(parts) == 3:
        row = form.fund(parts[1])
        return None if row is None else getattr(row, parts[2], None)
    if parts[0] == "indicators" and len(parts) == 3 and parts[1].isdigit():
        i = int(parts[1])
        return getattr(form.indicators[i], parts[2], None) if i < len(form.indicators) else None
    return getattr(form, path, None)


def path_label(form: SelfEvaluation, path: str) -> str:
    """A Chinese name for a field's path: 项目资金「年度资金总额」全年执行数, 绩效指标第3行「…」得分."""
    parts = path.split(".")
    col = FIELD_LABELS.get(parts[-1], parts[-1])
    if parts[0] == "funds" and len(parts) == 3:
        row = form.fund(parts[1])
        return f"项目资金「{row.label if row else parts[1]}」{col}"
    if parts[0] == "indicators" and len(parts) == 3 and parts[1].isdigit():
        i = int(parts[1])
        name = form.indicators[i].name if i < len(form.indicators) else ""
        return f"绩效指标第{i + 1}行「{name}」{col}"
    return col


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")").replace("，", ",")


def reads_as(text: str, value: Any, path: str) -> bool:
    """Whether OCR text ``text`` is the value ``value`` at ``path`` (a number read whole, or a piece of a
    target/actual text)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(text) and _fold(text) in _fold(value)
    if not _PLAIN_NUMBER.match(text):
        return False
    try:
        got = read_rate(text) if path.endswith("execution_rate") else read_number(text)
    except ValueError:
        return False
    return got is not None and abs(float(got) - float(value)) <= 1e-9 * max(1.0, abs(float(value)))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _printed_like(value: float, read: str, path: str) -> str:
    """``value`` printed the way the read text was (its decimals, its per cent sign)."""
    if path.endswith("execution_rate"):
        decimals = len(read.split(".")[1].rstrip("%")) if "." in read else 2
        return percent(value, decimals)
    decimals = len(read.split(".")[1]) if "." in read else 0
    if decimals == 0 and not float(value).is_integer():
        return fmt(value, 4)
    text = fmt_fixed(value, decimals)
    if "," in read:
        whole, _, frac = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = f"{int(whole.lstrip('-')):,}"
        text = sign + whole + (f".{frac}" if frac else "")
    return text


def _slip(read: str, implied: str) -> bool:
    """Whether ``implied`` differs from ``read`` as an OCR slip would: one or two digits changed,
    dropped or added."""
    a, b = _digits(read), _digits(implied)
    return a != b and _edit_distance(a, b) <= 2


#: What a 指标性质 cell may hold besides an operator (templates that split the target, Sichuan 2023).
_NATURE_WORDS = ("定性", "定量", "正向", "反向")


def _unreadable_natures(form: SelfEvaluation) -> dict[str, str]:
    """Targets whose 指标性质 part, as read, is neither an operator nor a nature word: the recogniser
    misread a lone ≥/≤/= (as N, z, 2 …), so the joined target's operator or value is wrong."""
    out = {}
    for i, ind in enumerate(form.indicators):
        nature = str((ind.extra or {}).get("nature") or "").strip()
        if nature and nature not in OPERATORS and not any(w in nature for w in _NATURE_WORDS):
            out[f"indicators.{i}.target"] = nature
    return out


def ocr_findings(
    form: SelfEvaluation,
    result: FormScore,
    *,
    money_tol: float,
    score_tol: float,
    rate_tol: float,
    finding: Callable[..., Finding],
) -> list[Finding]:
    """The OCR_UNCERTAIN findings of a form read by OCR (none for other forms)."""
    trace = form.ocr
    if trace is None:
        return []
    # a value a person changed since it was read is theirs, not the recogniser's
    reads = {
        p: r
        for p, r in trace.fields.items()
        if p not in trace.confirmed and reads_as(r.text, path_value(form, p), p)
    }
    rels = relations(form, result, money_tol, score_tol, rate_tol)
    vouched = {p for r in rels if r.holds for p in r.paths}
    # a relation with a confirmed number fails on paper, not in the reading: the other checks report it
    failing = [r for r in rels if not r.holds and not set(r.paths) & trace.confirmed]
    suspects = {
        id(rel): [p for p in rel.paths if p in reads and p not in vouched]
        or [p for p in rel.paths if p in reads]
        for rel in failing
    }
    slips: dict[str, str] = {}
    for rel in failing:
        for p in suspects[id(rel)]:
            if p in rel.implied and p not in slips:
                implied = _printed_like(rel.implied[p], reads[p].text, p)
                if _slip(reads[p].text, implied):
                    slips[p] = implied
    flagged: dict[str, tuple[str | None, str]] = {}
    open_rels = [rel for rel in failing if suspects[id(rel)]]
    while open_rels:
        # the number that explains most of the failing relations (then: a digit slip, then: least sure)
        count: dict[str, int] = {}
        for rel in open_rels:
            for p in suspects[id(rel)]:
                count[p] = count.get(p, 0) + 1

        def rank(p: str, count: dict[str, int] = count) -> tuple[int, bool]:
            return count[p], p in slips

        best = max(rank(p) for p in count)
        chosen = [p for p in count if rank(p) == best]
        for p in chosen:
            rel = next(r for r in open_rels if p in suspects[id(r)])
            flagged.setdefault(p, (slips.get(p), _REASON.get(rel.name.split("-")[0], "与表内其他数据不一致")))
        open_rels = [r for r in open_rels if not set(chosen) & set(suspects[id(r)])]
    for p, read in reads.items():
        if read.score < LOW_CONFIDENCE and p not in flagged:
            flagged[p] = (None, f"识别置信度较低（{read.score:.0%}）")
    for p, nature in _unreadable_natures(form).items():
        if p in reads and p not in flagged:
            flagged[p] = (None, f"指标性质「{nature}」不是 ≥、≤、= 或定性之一，运算符可能识别有误")
    out = []
    for p, (implied, reason) in flagged.items():
        read = reads[p]
        msg = f"第{read.page}页识别为「{read.text}」，{reason}"
        if implied is not None:
            msg += f"；按表内数据应为「{implied}」"
        out.append(
            finding(
                "OCR_UNCERTAIN",
                "warning",
                p,
                msg,
                "请对照原件核对此数：无误请点「确认」，或采用表内数据推算的值。",
            )
        )
    return out


_REASON = {
    "funds.initial_budget": "与资金来源合计不一致",
    "funds.annual_budget": "与资金来源合计不一致",
    "funds.executed": "与资金来源合计不一致",
    "rate": "与全年执行数 ÷ 全年预算数不一致",
    "exec": "与执行率得分规则不一致",
    "row": "与该指标的计分规则不一致",
    "total": "与各项得分合计不一致",
    "weights": "与分值合计不一致",
}


def implied_value(finding: Finding) -> str | None:
    """The value an OCR_UNCERTAIN finding says the arithmetic implies, if any."""
    m = re.search(r"应为「([^」]+)」", finding.message)
    return m.group(1) if m else None
