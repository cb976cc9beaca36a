"""The figures the assistant writes from: one row's situation (met, short, over-fulfilled, cancelled,
in progress ...), the reason category it calls for, and the funds' execution.

Scores come from the rule engine (:mod:`perfeval.rules`) when it is installed, else from the printed
form; this module never scores.  A completion rate here is the plain ratio 实际完成值/年度指标值 (B/A)
read with :func:`perfeval.quantity.parse_quantity`.

Reason categories follow docs/domain-rules.md §4.2: demand (需求/外部变化), schedule (进度),
policy (政策/计划调整), target (指标设定), savings (节约).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..model import SelfEvaluation
from ..quantity import Quantity

Situation = Literal["met", "shortfall", "missed", "over", "cancelled", "in_progress", "partial", "savings"]
Reason = Literal["none", "demand", "schedule", "policy", "target", "savings"]

#: Evidence words in a row's deviation text or the form's 实际完成情况.
CANCELLED_WORDS = ("取消", "撤销", "终止", "停止实施", "不再实施", "未实施")
IN_PROGRESS_WORDS = (
    "正在",
    "推进中",
    "进行中",
    "实施中",
    "开展中",
    "尚未",
    "未完成",
    "跨年",
    "延后",
    "延期",
    "初验",
)
#: Actual values of a qualitative row that mean "only partly reached".
PARTIAL_WORDS = ("部分", "基本", "未", "较差", "一般")

#: Over-fulfilment threshold (domain-rules §1.6, rule 11: actual >= 130% of target).
OVER_THRESHOLD = 1.3
#: A cost row (成本指标) spent this share of its target or less: savings (domain-rules §4.2 item 5).
SAVINGS_THRESHOLD = 0.7
#: Low execution rate (domain-rules rule 5).
LOW_EXECUTION = 0.9

REASON_LABELS: dict[str, str] = {
    "none": "无偏差",
    "demand": "需求或外部环境变化",
    "schedule": "实施进度",
    "policy": "政策或计划调整",
    "target": "指标值设定",
    "savings": "资金节约",
}


@dataclass(frozen=True)
class RowFacts:
    """What the assistant knows about one indicator row (绩效指标行)."""

    index: int
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: float | None
    score: float | None
    unit: str
    target_value: float | None
    actual_value: float | None
    operator: str | None
    #: 实际完成值 / 年度指标值 for a positive row with a positive target; None otherwise.
    completion: float | None
    situation: Situation
    reason: Reason

    @property
    def needs_reason(self) -> bool:
        return self.situation != "met"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["completion_percent"] = None if self.completion is None else round(self.completion * 100, 2)
        d["reason_label"] = REASON_LABELS[self.reason]
        return d


@dataclass(frozen=True)
class FundFacts:
    """The 年度资金总额 row (or the sum of the rows when the total is missing)."""

    money_unit: str
    initial_budget: float | None
    annual_budget: float | None
    executed: float | None
    #: 全年执行数 / 全年预算数 as a fraction.
    execution_rate: float | None
    weight: float | None
    score: float | None

    @property
    def adjusted(self) -> bool:
        """年初预算数 differs from 全年预算数: a mid-year adjustment (预算调整)."""
        return (
            self.initial_budget is not None
            and self.annual_budget is not None
            and abs(self.initial_budget - self.annual_budget) > 0.005
        )

    @property
    def low(self) -> bool:
        return self.execution_rate is not None and self.execution_rate < LOW_EXECUTION - 1e-9

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["execution_rate_percent"] = (
            None if self.execution_rate is None else round(self.execution_rate * 100, 2)
        )
        d["adjusted"] = self.adjusted
        return d


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _has(text: str, words: tuple[str, ...]) -> bool:
    t = _clean(text)
    return any(w in t for w in words)


def _unit_scale(unit: str) -> float:
    """元-based scale of a money unit (万元 -> 10000), 1 for anything else."""
    u = _clean(unit)
    if u.startswith("亿元"):
        return 1e8
    if u.startswith("万元"):
        return 1e4
    return 1.0


def _comparable(target: Quantity, actual: Quantity) -> tuple[float, float, str] | None:
    """Target and actual in the same unit (万元 and 元 converted), with the unit to print."""
    if target.value is None or actual.value is None:
        return None
    t_unit, a_unit = _clean(target.unit), _clean(actual.unit)
    a_value = actual.value
    if a_unit and t_unit and a_unit != t_unit:
        ts, as_ = _unit_scale(t_unit), _unit_scale(a_unit)
        if ts != as_:
            a_value = actual.value * as_ / ts
    return target.value, a_value, target.unit or actual.unit


@dataclass(frozen=True)
class EngineRow:
    """What the rule engine says of one row: its score, its kind (quantitative, cancelled, in_progress,
    qualitative, unscored), the qualitative tier, and the actual value in the target's unit."""

    score: float | None
    kind: str
    tier: str | None
    actual_value: float | None


@dataclass(frozen=True)
class EngineView:
    """The rule engine's reading of a form (perfeval.rules.score_form), reduced to what the assistant uses."""

    rows: tuple[EngineRow, ...]
    execution_rate: float | None
    profile: str


def engine_view(form: SelfEvaluation) -> EngineView | None:
    """The rule engine's scores of ``form``, or None when the engine is not installed or cannot score it.

    The rule engine (perfeval.rules, issue 4) is the only place where scores are computed."""
    try:
        from ..rules import score_form
    except ImportError:
        return None
    try:
        result = score_form(form)
    except Exception:  # a form the engine cannot score: fall back to the printed figures
        return None
    rows = tuple(
        EngineRow(
            score=_float(getattr(r, "score", None)),
            kind=str(getattr(r, "kind", "")),
            tier=getattr(r, "tier", None),
            actual_value=_float(getattr(r, "actual_value", None)),
        )
        for r in getattr(result, "rows", [])
    )
    if len(rows) != len(form.indicators):
        return None
    execution = getattr(result, "execution", None)
    rate = _float(getattr(execution, "exact_rate", None))
    if rate is None:
        rate = _float(getattr(execution, "rate", None))
    return EngineView(rows=rows, execution_rate=rate, profile=str(getattr(result, "profile", "")))


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _row_evidence_cancelled(form: SelfEvaluation, i: int) -> bool | None:
    """True (cancelled), False (in progress) or None (no evidence) for an actual printed as 无."""
    ind = form.indicators[i]
    if _has(ind.deviation, CANCELLED_WORDS):
        return True
    if _has(ind.deviation, IN_PROGRESS_WORDS):
        return False
    return None


def _partly_reached(target: str, actual: str, engine: EngineRow | None, qualitative: bool) -> bool:
    """A qualitative row the engine puts in 部分达成/未达成, or whose actual words say so."""
    if engine is not None and engine.kind == "qualitative":
        return engine.tier in ("partial", "not_achieved")
    return qualitative and _clean(actual) != _clean(target) and _has(actual, PARTIAL_WORDS)


def row_facts(form: SelfEvaluation, index: int, view: EngineView | None = None) -> RowFacts:
    """The facts of indicator row ``index``; ``view`` is the rule engine's reading (:func:`engine_view`):
    its score, and its decision whether a 无 means cancelled or in progress, are used when present."""
    ind = form.indicators[index]
    target, actual = ind.parsed_target, ind.parsed_actual
    weight = float(ind.weight) if ind.weight is not None else None
    engine = view.rows[index] if view is not None else None
    score = engine.score if engine is not None and engine.score is not None else ind.score
    score = float(score) if score is not None else None
    below = weight is not None and score is not None and score < weight - 1e-9
    level2 = ind.level2
    completion: float | None = None
    unit = target.unit or actual.unit
    situation: Situation = "met"
    reason: Reason = "none"
    pair = _comparable(target, actual) if not target.qualitative else None

    if engine is not None and engine.kind in ("cancelled", "in_progress"):
        situation, reason = (
            ("cancelled", "policy") if engine.kind == "cancelled" else ("in_progress", "schedule")
        )
    elif actual.is_empty:
        evidence = _row_evidence_cancelled(form, index)
        if evidence is None:
            evidence = score is not None and score <= 0
        situation, reason = ("cancelled", "policy") if evidence else ("in_progress", "schedule")
    elif pair is not None:
        a, b, unit = pair
        if target.direction == "positive":
            if a > 0:
                completion = b / a
                if b >= a * OVER_THRESHOLD - 1e-9:
                    situation, reason = "over", "target"
                elif b < a - 1e-9:
                    situation, reason = "shortfall", "demand"
            elif b > a + 1e-9 and target.operator == "=":
                # a zero target (=0次) exceeded: an event that should not have happened
                situation, reason = "missed", "demand"
            elif b < a - 1e-9:
                situation, reason = "shortfall", "demand"
        else:  # reverse (<=, <): less is better
            if b > a + 1e-9 or (target.operator == "<" and b >= a):
                situation = "missed"
                reason = "schedule" if "时效" in level2 else "demand"
            elif "成本" in level2 and a > 0 and b <= a * SAVINGS_THRESHOLD + 1e-9:
                situation, reason = "savings", "savings"
    elif below or _partly_reached(ind.target, ind.actual, engine, target.qualitative):
        situation, reason = "partial", "schedule"

    if situation == "met" and below:
        situation, reason = "partial", "schedule"
    return RowFacts(
        index=index,
        level1=ind.level1,
        level2=level2,
        name=ind.name,
        target=ind.target,
        actual=ind.actual,
        weight=weight,
        score=score,
        unit=unit,
        target_value=target.value,
        actual_value=pair[1] if pair is not None else actual.value,
        operator=target.operator,
        completion=completion,
        situation=situation,
        reason=reason,
    )


def fund_facts(form: SelfEvaluation, rate: float | None = None) -> FundFacts | None:
    """The funds' figures; ``rate`` is the rule engine's execution rate when known."""
    total = form.total_fund
    if total is None:
        if not form.funds:
            return None

        def _sum(attr: str) -> float | None:
            vals = [getattr(f, attr) for f in form.funds if getattr(f, attr) is not None]
            return float(sum(vals)) if vals else None

        initial, annual, executed, weight, score = (
            _sum("initial_budget"),
            _sum("annual_budget"),
            _sum("executed"),
            None,
            None,
        )
    else:
        initial, annual, executed = total.initial_budget, total.annual_budget, total.executed
        weight, score = total.weight, total.score
    if rate is None and annual and executed is not None:
        rate = executed / annual
    if rate is None and total is not None and total.execution_rate is not None:
        rate = float(total.execution_rate)
    if annual is None and executed is None and initial is None:
        return None
    return FundFacts(
        money_unit=form.money_unit,
        initial_budget=None if initial is None else float(initial),
        annual_budget=None if annual is None else float(annual),
        executed=None if executed is None else float(executed),
        execution_rate=rate,
        weight=None if weight is None else float(weight),
        score=None if score is None else float(score),
    )


def form_facts(form: SelfEvaluation, indicator: int | None = None) -> dict[str, Any]:
    """Every figure of the form as JSON-ready data (what an LLM backend is given), with the row
    ``indicator`` (or the funds) marked as the one to write about."""
    view = engine_view(form)
    funds = fund_facts(form, view.execution_rate if view is not None else None)
    rows = [row_facts(form, i, view) for i in range(len(form.indicators))]
    data: dict[str, Any] = {
        "year": form.year,
        "project_name": form.project_name,
        "department": form.department,
        "implementing_unit": form.implementing_unit,
        "money_unit": form.money_unit,
        "funds": None if funds is None else funds.to_dict(),
        "fund_rows": [f.model_dump(mode="json") for f in form.funds],
        "goal_planned": form.goal_planned,
        "goal_actual": form.goal_actual,
        "indicators": [{**r.to_dict(), "deviation": form.indicators[r.index].deviation} for r in rows],
        "scores_from": f"rule_engine:{view.profile}" if view is not None else "printed",
    }
    if indicator is not None:
        data["focus"] = {"indicator": indicator, **data["indicators"][indicator]}
    return data
