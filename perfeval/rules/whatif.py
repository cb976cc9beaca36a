"""What-if (情景测算): score a changed copy of a form, and the actual value an indicator needs.

Changes name fields by their interchange path, the same paths findings use:
``{"indicators.3.actual": "20000家", "funds.total.executed": 1800000}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..errors import PerfevalError
from ..model import FIELD_LABELS, Finding, SelfEvaluation, validation_messages
from ..numbers import dec, fmt
from .checks import check_form
from .profiles import Profile, resolve_profile
from .scoring import FormScore, apply_scores, score_form, target_of, tier_range
from .wording import TIER_ZH, TierName

_INDICATOR_FIELDS = ("actual", "target", "weight", "score", "deviation", "name", "level1", "level2")
_FUND_FIELDS = ("initial_budget", "annual_budget", "executed", "weight", "score", "execution_rate")
_FORM_FIELDS = ("total_weight", "total_score", "money_unit", "goal_planned", "goal_actual")


class WhatIfError(PerfevalError):
    """A change that names no field of the form, or a value the field cannot take."""

    code = "WHAT_IF"


@dataclass(slots=True)
class WhatIfResult:
    """The changed copy (with the new scores filled in), its scores before and after, and the deltas (after − before) per row, for the
    execution score and for the total; ``findings`` are the checks of the changed form."""

    form: SelfEvaluation
    before: FormScore
    after: FormScore
    row_deltas: list[float | None]
    execution_delta: float | None
    total_delta: float | None
    findings: list[Finding]

    @property
    def grade_before(self) -> str:
        return self.before.grade

    @property
    def grade_after(self) -> str:
        return self.after.grade


@dataclass(slots=True)
class NeededValue:
    """What an indicator's 实际完成值 must be for ``score`` (full marks by default).

    ``actual`` is the number (in the target's unit) for a quantitative row, ``bound`` says whether it is
    a minimum (``>=``), a maximum (``<=``) or exact (``=``); ``actual_text`` is what to write; a
    qualitative row gives the tier and its phrase.  ``feasible`` is False when no value gives that
    score (a target of 0 scores either full marks or 0)."""

    index: int
    score: float
    weight: float
    feasible: bool
    actual: float | None
    bound: str | None
    actual_text: str
    tier: TierName | None
    text_zh: str


def _diff(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return float(dec(b) - dec(a))


def _target(form: SelfEvaluation, path: str) -> tuple[Any, str]:
    parts = str(path).split(".")
    try:
        if parts[0] == "indicators" and len(parts) == 3 and parts[2] in _INDICATOR_FIELDS:
            i = int(parts[1])
            if i < 0:
                raise IndexError(i)
            return form.indicators[i], parts[2]
        if parts[0] == "funds" and len(parts) == 3 and parts[2] in _FUND_FIELDS:
            row = form.fund(parts[1])
            if row is None:
                raise WhatIfError(f"表中没有「{parts[1]}」资金行：{path}", english="no such funds row")
            return row, parts[2]
        if len(parts) == 1 and parts[0] in _FORM_FIELDS:
            return form, parts[0]
    except (ValueError, IndexError):
        pass
    raise WhatIfError(
        f"无法识别的修改项「{path}」：可改 indicators.<序号>.{{{','.join(_INDICATOR_FIELDS)}}}、"
        f"funds.<类型>.{{{','.join(_FUND_FIELDS)}}} 或 {'、'.join(_FORM_FIELDS)}",
        english="unknown change path",
    )


def apply_changes(
    form: SelfEvaluation, changes: Mapping[str, Any] | Iterable[tuple[str, Any]]
) -> SelfEvaluation:
    """A copy of ``form`` with ``changes`` (interchange path -> new value) applied and validated."""
    new = form.model_copy(deep=True)
    items = changes.items() if isinstance(changes, Mapping) else changes
    for path, value in items:
        obj, field = _target(new, path)
        try:
            setattr(obj, field, value)
        except ValidationError as exc:
            msgs = "；".join(validation_messages(exc))
            raise WhatIfError(
                f"修改「{path}」（{FIELD_LABELS.get(field, field)}）无效：{msgs}", english="invalid value"
            ) from None
    return new


def what_if(
    form: SelfEvaluation,
    changes: Mapping[str, Any] | Iterable[tuple[str, Any]],
    profile: Profile | str | None = None,
) -> WhatIfResult:
    """Score ``form`` and a copy with ``changes`` applied under the same profile; return both, the
    deltas and the findings of the changed copy.  The original form is not modified."""
    prof = resolve_profile(form, profile)
    before = score_form(form, prof)
    changed = apply_changes(form, changes)
    changed = apply_scores(changed, score_form(changed, prof))
    after = score_form(changed, prof)  # scored again so that the given scores are the applied ones
    deltas = [_diff(b.score, a.score) for b, a in zip(before.rows, after.rows, strict=True)]
    return WhatIfResult(
        form=changed,
        before=before,
        after=after,
        row_deltas=deltas,
        execution_delta=_diff(before.execution.score, after.execution.score),
        total_delta=_diff(before.total, after.total),
        findings=check_form(changed, prof, result=after),
    )


def _tier_for(profile: Profile, fraction: float) -> TierName:
    for t in sorted(profile.qualitative_tiers, key=lambda t: -t.low):
        if fraction >= t.low - 1e-9:
            return t.tier
    return profile.qualitative_tiers[-1].tier


def needed_for(
    form: SelfEvaluation, index: int, score: float | None = None, profile: Profile | str | None = None
) -> NeededValue:
    """The 实际完成值 indicator ``index`` needs for ``score`` (full marks when None): the inverse of the
    scoring rules (positive B = s/w × A; reverse ratio B = w × A / s, linear B = A × (2 − s/w)); for a
    qualitative row, the tier whose range holds the score and its phrase."""
    prof = resolve_profile(form, profile)
    try:
        if index < 0:
            raise IndexError(index)
        ind = form.indicators[index]
    except IndexError:
        raise WhatIfError(
            f"没有第{index + 1}行指标（共{len(form.indicators)}行）", english="no such indicator"
        ) from None
    if ind.weight is None or ind.weight <= 0:
        raise WhatIfError(f"第{index + 1}行指标「{ind.name}」分值为空或为0，无法测算", english="no weight")
    w = float(ind.weight)
    s = w if score is None else float(score)
    if not 0 <= s <= w + 1e-9:
        raise WhatIfError(f"目标得分 {fmt(s)} 应在 0 到分值 {fmt(w)} 之间", english="score out of range")
    label = f"「{ind.name}」" if ind.name else f"第{index + 1}行指标"
    tq = target_of(ind)
    if tq.qualitative or tq.value is None:
        tier = _tier_for(prof, s / w)
        lo, hi, inclusive = tier_range(prof, tier, w)
        phrase = prof.tier(tier).phrase
        write = ind.target if tier == "achieved" and ind.target.strip() else phrase
        span = f"{fmt(lo, 4)}–{fmt(hi, 4)} 分" + ("" if inclusive else "（不含上限）")
        text = f"{label}为定性指标：得 {fmt(s)} 分需属「{TIER_ZH[tier]}」档（{span}），实际完成值可写「{write}」。"
        return NeededValue(index, s, w, True, None, None, write, tier, text)
    a = dec(tq.value)
    s_d, w_d = dec(s), dec(w)
    unit = tq.unit
    reverse = tq.direction == "reverse"
    bound: str | None
    b: Decimal | None
    if a <= 0:  # a target of 0 (or below) is met or not: full marks or 0
        at_most = reverse or (a == 0 and tq.operator in ("=", None))  # =0: no more than 0
        if s == w:
            b, bound = a, ("<=" if at_most else (">" if tq.operator == ">" else ">="))
        elif s == 0:
            b, bound = a, (">" if at_most else ("<=" if tq.operator == ">" else "<"))
        else:
            text = f"{label}指标值为 {ind.target}：只有达到（得 {fmt(w)} 分）或未达到（得 0 分）两种结果，得不到 {fmt(s)} 分。"
            return NeededValue(index, s, w, False, None, None, "", None, text)
    elif not reverse:
        b, bound = (a, ">=") if s == w else (s_d / w_d * a, "=")
    elif s == w:
        b, bound = a, "<="
    elif prof.indicators.reverse_formula == "linear":
        b, bound = a * (2 - s_d / w_d), ("=" if s > 0 else ">=")
    elif s == 0:
        text = f"{label}为反向指标（{ind.target}），按 指标值÷实际值×分值 计分，实际值再大也不会得 0 分。"
        return NeededValue(index, s, w, False, None, None, "", None, text)
    else:
        b, bound = w_d * a / s_d, "="
    value = float(b)
    shown = f"{fmt(value, 4)}{unit}"
    words = {
        ">=": f"不少于 {shown}",
        "<=": f"不超过 {shown}",
        "=": f"为 {shown}",
        ">": f"大于 {shown}",
        "<": f"小于 {shown}",
    }
    goal = "满分" if s == w else f" {fmt(s)} 分"
    text = f"{label}（{ind.target}，分值 {fmt(w)}）要得{goal}，实际完成值需{words[bound]}。"
    return NeededValue(index, s, w, True, value, bound, shown, None, text)


@dataclass(slots=True)
class GoalStep:
    """One change of a goal-seek: the row (``index``; None for 预算执行率) from ``score`` to
    ``to_score``, and what to write (``needed`` for an indicator row, ``executed`` for the funds)."""

    index: int | None
    name: str
    score: float
    to_score: float
    needed: NeededValue | None
    executed: float | None
    text_zh: str


@dataclass(slots=True)
class GoalSeek:
    """What it takes for the total to reach ``target``: the steps, largest loss first."""

    target: float
    current: float | None
    maximum: float
    reachable: bool
    steps: list[GoalStep]
    text_zh: str


def _execution_step(form: SelfEvaluation, result: FormScore, take: float) -> GoalStep | None:
    ex = result.execution
    total = form.total_fund
    if ex.weight is None or ex.score is None or total is None or not total.annual_budget:
        return None
    w, s = float(ex.weight), float(ex.score)
    to = min(w, s + take)
    executed = float(dec(to) / dec(w) * dec(total.annual_budget))
    money = f"{fmt(executed, 2)}{form.money_unit}"
    text = f"预算执行率得分由 {fmt(s)} 分提高到 {fmt(to)} 分：全年执行数需不少于 {money}。"
    return GoalStep(None, "预算执行率", s, to, None, executed, text)


def goal_seek(form: SelfEvaluation, target: float, profile: Profile | str | None = None) -> GoalSeek:
    """Which rows need how much for the total to reach ``target`` (「总分要达到 95，哪些指标需要多少」):
    the lost points are won back from the rows that lost most, each to full marks, the last one only
    as far as needed; every step says the 实际完成值 (or 全年执行数) it takes (:func:`needed_for`)."""
    prof = resolve_profile(form, profile)
    result = score_form(form, prof)
    current = result.total
    losses: list[tuple[float, int | None]] = []
    maximum = 0.0
    ex = result.execution
    if ex.weight is not None:
        maximum += float(ex.weight)
        if ex.score is not None and ex.score < ex.weight:
            losses.append((float(ex.weight) - float(ex.score), None))
    for i, row in enumerate(result.rows):
        if row.weight is None:
            continue
        maximum += float(row.weight)
        if row.score is not None and row.score < row.weight:
            losses.append((float(row.weight) - float(row.score), i))
    goal = f"总分要达到 {fmt(target)} 分"
    if current is None:
        return GoalSeek(target, None, maximum, False, [], f"{goal}：本表尚无法计算总分（实际完成值未填写）。")
    if target > maximum + 1e-9:
        return GoalSeek(
            target, current, maximum, False, [], f"{goal}：本表满分为 {fmt(maximum)} 分，达不到。"
        )
    gap = float(dec(target) - dec(current))
    if gap <= 1e-9:
        return GoalSeek(target, current, maximum, True, [], f"{goal}：现总分 {fmt(current)} 分，已经达到。")
    steps: list[GoalStep] = []
    for lost, index in sorted(losses, key=lambda x: (-x[0], -1 if x[1] is None else x[1])):
        if gap <= 1e-9:
            break
        take = min(lost, gap)
        if index is None:
            step = _execution_step(form, result, take)
        else:
            row = result.rows[index]
            to = min(float(row.weight or 0), float(row.score or 0) + take)
            try:
                needed = needed_for(form, index, score=to, profile=prof)
            except WhatIfError:
                continue
            if not needed.feasible:  # met-or-not rows: only full marks
                to = float(row.weight or 0)
                needed = needed_for(form, index, score=to, profile=prof)
            name = form.indicators[index].name or f"第{index + 1}行"
            text = f"第{index + 1}行「{name}」由 {fmt(row.score)} 分提高到 {fmt(to)} 分：{needed.text_zh}"
            step = GoalStep(index, name, float(row.score or 0), to, needed, None, text)
        if step is None:
            continue
        steps.append(step)
        gap -= step.to_score - step.score
    reachable = gap <= 1e-6
    head = f"{goal}（现 {fmt(current)} 分，差 {fmt(float(dec(target) - dec(current)))} 分）"
    if not reachable:
        return GoalSeek(target, current, maximum, False, steps, f"{head}：改动所有可改的指标也达不到。")
    return GoalSeek(target, current, maximum, True, steps, f"{head}：需改动 {len(steps)} 项。")
