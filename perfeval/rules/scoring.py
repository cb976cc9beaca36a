"""Scoring as pure functions over the model: every score comes with how it was reached.

One small function per rule, each naming its source (docs/domain-rules.md §7 and the profile's
``sources``).  ``w`` is a row's weight (分值/权重), ``A`` the target value (年度指标值), ``B`` the actual
value (实际完成值).  Scores are computed in decimals and rounded half up (四舍五入) to the profile's
decimals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, TypeVar

from ..model import Indicator, SelfEvaluation
from ..numbers import add_up, convert, dec, fmt, norm_unit, percent, round_half_up, tidy
from ..quantity import Quantity, parse_quantity
from .profiles import Profile, resolve_profile
from .wording import TIER_ZH, TierName, empty_meaning, read_tier

N = TypeVar("N", float, Decimal)
RowKind = Literal["quantitative", "cancelled", "in_progress", "qualitative", "unscored"]
Status = Literal["rule", "judgement", "unscored"]

#: Where each rule comes from (shown in explanations).  Tags as in docs/domain-rules.md: [V] verified on
#: a real form, [S] secondary source, [R] recalled wording of the MOF text (to be checked).
SOURCES: dict[str, str] = {
    "EXEC_RATE": "执行率=全年执行数/全年预算数（B/A，调整后预算）：自评表表头 [V]；四川2023填表说明 [V]；domain-rules §7.1",
    "EXEC_SCORE": "执行率得分=执行率×分值，不超过分值：普陀2022（8.62、4.52）[V]；中江说明「得分最高不能超过该指标分值上限」[V]；domain-rules §7.2",
    "POSITIVE_MET": "完成指标值得全部分值：财预〔2020〕10号 [R]；domain-rules §7.8",
    "POSITIVE_RATIO": "未完成按 实际值/指标值×分值 计分：财预〔2020〕10号 [R]；正向指标公式（doczj、1wenmi）[S]；松江2022（4.7、6.9）[V]",
    "ZERO_TARGET": "指标值为0：实际值≤0得满分，否则0分（pmkpi 厂商代码）[S]；domain-rules §7.8",
    "REVERSE_MET": "反向指标实际值不超过指标值得满分：domain-rules §7.9 [S]",
    "REVERSE_RATIO": "反向指标得分=指标值/实际值×分值（doczj、1wenmi）[S]；domain-rules §7.9",
    "REVERSE_LINEAR": "反向指标线性扣分 (1-(B-A)/A)×分值，2A 时为0（pmkpi 厂商代码）[S]；domain-rules §7.9",
    "NEGATIVE_TARGET": "指标值为负数：达到得满分，否则0分（本工具约定）",
    "CANCELLED": "实际完成值「无」且项目取消：按完成值0计分；须填写偏差原因（domain-rules §6、§7.13）",
    "IN_PROGRESS": "实际完成值「无」且项目仍在推进：按定性档人工判断（部分达成或未达成）；须填写偏差原因（domain-rules §6、§7.13）",
    "QUALITATIVE": "定性指标分三档：达成 100%-80%（含80%）、部分达成 80%-60%（含60%）、未达成 60%-0%：财预〔2020〕10号 [R]；中江说明 [V]；pmkpi [S]",
    "UNSCORED": "无法按规则计分，需人工评分",
    "TOTAL": "总分=执行率得分+各指标得分；等级 ≥90优、≥80良、≥60中、<60差：财预〔2020〕10号 [R]；dz-gczx [S]；domain-rules §7.16",
}


class Explanation:
    """How a score was reached: the rule, its inputs, the formula, the rounding, the source, and one
    Chinese sentence (``text_zh``) for people.  The sentence is composed when first read, so that
    scoring many forms costs nothing for explanations nobody looks at."""

    __slots__ = ("rule", "inputs", "formula", "rounding", "source", "_text", "_compose")

    def __init__(
        self,
        rule: str,
        inputs: dict[str, Any],
        formula: str,
        rounding: str,
        source: str,
        text_zh: str | Callable[[], str],
    ) -> None:
        self.rule = rule
        self.inputs = inputs
        self.formula = formula
        self.rounding = rounding
        self.source = source
        self._text: str | None = text_zh if isinstance(text_zh, str) else None
        self._compose: Callable[[], str] | None = None if isinstance(text_zh, str) else text_zh

    @property
    def text_zh(self) -> str:
        if self._text is None:
            self._text = self._compose() if self._compose else ""
            self._compose = None
        return self._text

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "inputs": self.inputs,
            "formula": self.formula,
            "rounding": self.rounding,
            "source": self.source,
            "text_zh": self.text_zh,
        }

    def __repr__(self) -> str:
        return f"Explanation(rule={self.rule!r}, text_zh={self.text_zh!r})"


@dataclass(slots=True, frozen=True)
class RowScore:
    """The score of one indicator row (绩效指标).

    ``status``: ``rule`` (determined by a formula), ``judgement`` (a person's call inside a tier: the
    given score is kept when inside ``tier_range``, else the tier's suggestion is used), ``unscored``.
    ``tier_range`` is ``(low, high, high_included)`` in points.  Immutable: rows are memoised."""

    index: int
    kind: RowKind
    status: Status
    score: float | None
    weight: float | None
    given: float | None
    explanation: Explanation
    exact: float | None = None
    tier: TierName | None = None
    tier_range: tuple[float, float, bool] | None = None
    strong: bool = True
    kept: bool = False
    target: Quantity | None = None
    actual: Quantity | None = None
    actual_value: float | None = None

    def in_range(self, value: float | None) -> bool:
        """Whether ``value`` lies inside this row's tier range (for judgement rows)."""
        return _inside(self.tier_range, value)


def _inside(rng: tuple[float, float, bool] | None, value: float | None) -> bool:
    if value is None or rng is None:
        return False
    lo, hi, inclusive = rng
    return lo - 1e-9 <= value and (value <= hi + 1e-9 if inclusive else value < hi - 1e-9)


@dataclass(slots=True)
class ExecutionScore:
    """预算执行率 and its score, from the 年度资金总额 row."""

    rate: float | None
    exact_rate: float | None
    score: float | None
    exact: float | None
    weight: float | None
    explanation: Explanation


@dataclass(slots=True)
class FormScore:
    """The scores of one form under one profile: execution, rows, total and grade (优/良/中/差)."""

    profile: str
    execution: ExecutionScore
    rows: list[RowScore]
    total: float | None
    grade: str
    explanation: Explanation

    def explanations(self) -> list[dict[str, Any]]:
        """JSON-ready explanations: the execution score, each row (with its index), the total."""
        out = [{"path": "funds.total.score", **self.execution.explanation.to_dict()}]
        out += [{"path": f"indicators.{r.index}.score", **r.explanation.to_dict()} for r in self.rows]
        out.append({"path": "total_score", **self.explanation.to_dict()})
        return out


# --------------------------------------------------------------------------- helpers

_parse = lru_cache(maxsize=8192)(parse_quantity)


def target_of(ind: Indicator) -> Quantity:
    """The parsed 年度指标值 (a Sichuan 定性 row is qualitative whatever its text)."""
    if ind.extra.get("nature") == "定性":
        return Quantity(text=ind.target)
    return _parse(ind.target)


def actual_of(ind: Indicator) -> Quantity:
    """The parsed 实际完成值; an actual that starts with a number and goes on in words or brackets
    (``16780家（完成率67.12%）``, ``98%，较上年提高``) is read by its leading number."""
    return _parse_actual(ind.actual)


_HEAD = re.compile(r"[（(，,；;。：:\s]")


@lru_cache(maxsize=8192)
def _parse_actual(text: str) -> Quantity:
    q = _parse(text)
    if q.value is None and text:
        head = _HEAD.split(text.strip(), maxsplit=1)[0]
        if head and head != text:
            lead = _parse(head)
            if lead.value is not None:
                return lead
    return q


@lru_cache(maxsize=8192)
def is_empty(actual: str) -> bool:
    """An actual printed as blank, 无, — or / (cached :attr:`Quantity.is_empty`)."""
    return _parse(actual).is_empty


def _round_text(decimals: int) -> str:
    return f"四舍五入保留{decimals}位小数" if decimals else "四舍五入取整"


_ROUND_TEXT = {n: _round_text(n) for n in range(9)}


def _pts(x: float | Decimal | None) -> str:
    return fmt(x, 4)


# --------------------------------------------------------------------------- execution


def execution_rate(executed: float, annual_budget: float) -> Decimal:
    """预算执行率 = 全年执行数 / 全年预算数 (B/A), the adjusted budget, not 年初预算数.
    Source: template header B/A [V]; Sichuan 2023 「预算执行率=预算执行数/调整后预算数」 [V]; rule 7.1."""
    return dec(executed) / dec(annual_budget)


def execution_points(rate: Decimal, weight: float, cap: bool = True) -> Decimal:
    """执行率得分 = 执行率 × 分值, capped at the weight (no bonus above 100%).
    Source: 普陀 2022 8.62 / 4.52 [V]; 中江 「得分最高不能超过该指标分值上限」 [V]; rule 7.2."""
    r = min(rate, Decimal(1)) if cap else rate
    return max(r, Decimal(0)) * dec(weight)


def score_execution(form: SelfEvaluation, profile: Profile) -> ExecutionScore:
    """The execution rate and score of a form's 年度资金总额 row."""
    rules = profile.execution
    row = form.total_fund
    weight = (row.weight if row is not None and row.weight is not None else None) or rules.weight
    inputs: dict[str, Any] = {"weight": weight}
    rounding = f"执行率{_round_text(rules.rate_decimals)}（比率），得分{_round_text(rules.score_decimals)}"
    if row is not None and row.annual_budget and row.executed is not None and row.annual_budget >= 1e-6:
        rate_exact = execution_rate(row.executed, row.annual_budget)
        inputs.update(executed=row.executed, annual_budget=row.annual_budget)
        how = f"预算执行率 = 全年执行数 {fmt(row.executed)} ÷ 全年预算数 {fmt(row.annual_budget)} = {percent(float(rate_exact))}"
    elif row is not None and row.execution_rate is not None:
        rate_exact = dec(row.execution_rate)
        inputs.update(printed_rate=row.execution_rate)
        how = f"全年预算数或全年执行数为空，按表上填写的执行率 {percent(row.execution_rate)} 计算"
    else:
        why = "没有年度资金总额行" if row is None else "全年预算数为空或为0"
        text = f"{why}，无法计算预算执行率和得分。"
        expl = Explanation(
            "EXEC_SCORE", inputs, "执行率 = 全年执行数 / 全年预算数", rounding, SOURCES["EXEC_RATE"], text
        )
        return ExecutionScore(None, None, None, None, weight, expl)
    points = execution_points(rate_exact, weight, rules.cap_at_weight)
    score = (
        min(round_half_up(points, rules.score_decimals), float(weight))
        if rules.cap_at_weight
        else round_half_up(points, rules.score_decimals)
    )
    rate = round_half_up(rate_exact, rules.rate_decimals)
    capped = rules.cap_at_weight and rate_exact > 1
    text = (
        f"{how}；得分 = {'100%（执行率超过100%按100%计）' if capped else percent(float(rate_exact))} × {fmt(weight)}"
        f" = {_pts(points)}，{_round_text(rules.score_decimals)}为 {fmt(score)} 分。"
    )
    expl = Explanation(
        "EXEC_SCORE",
        inputs | {"rate": float(rate_exact)},
        "得分 = min(全年执行数 / 全年预算数, 1) × 分值",
        rounding,
        SOURCES["EXEC_RATE"] + "；" + SOURCES["EXEC_SCORE"],
        text,
    )
    return ExecutionScore(rate, float(rate_exact), score, float(points), weight, expl)


# --------------------------------------------------------------------------- quantitative rules


def positive_points(a: N, b: N, w: N, operator: str | None = ">=") -> tuple[N, str]:
    """正向指标 (≥, >, = and a bare number): full marks when B ≥ A, else B/A × w.  ``=`` is scored like
    ≥ (pmkpi ``selfequalindex`` [S]; open question 5), except that ``=0`` (zero accidents ...) is met
    only by B ≤ 0 (pmkpi [S]); ``≥0`` is met by any B ≥ 0 and ``>0`` by any B > 0.
    Works on floats and on Decimals alike.
    Source: 财预〔2020〕10号 [R]; doczj / 1wenmi formulas [S]; rules 7.8 and 7.10."""
    zero = a * 0
    if a == 0:
        if operator == ">=":
            return (w if b >= 0 else zero), "ZERO_TARGET"
        if operator == ">":
            return (w if b > 0 else zero), "ZERO_TARGET"
        return (w if b <= 0 else zero), "ZERO_TARGET"
    if a < 0:
        return (w if b >= a else zero), "NEGATIVE_TARGET"
    if b >= a:
        return w, "POSITIVE_MET"
    return max(b, zero) / a * w, "POSITIVE_RATIO"


def reverse_points(a: N, b: N, w: N, formula: str = "ratio") -> tuple[N, str]:
    """反向指标 (≤, <): full marks when B ≤ A; otherwise ``ratio`` A/B × w (default) or ``linear``
    (1 − (B − A)/A) × w, which reaches 0 at B = 2A.  A target of 0 is met only by B ≤ 0.
    Works on floats and on Decimals alike.
    Source: doczj / 1wenmi (ratio) [S], pmkpi (linear) [S]; rule 7.9; open question 1."""
    zero = a * 0
    if a == 0:
        return (w if b <= 0 else zero), "ZERO_TARGET"
    if a < 0:
        return (w if b <= a else zero), "NEGATIVE_TARGET"
    if b <= a:
        return w, "REVERSE_MET"
    if formula == "linear":
        return max(zero, 1 - (b - a) / a) * w, "REVERSE_LINEAR"
    return a / b * w, "REVERSE_RATIO"


#: Rules whose result is a fraction of the weight: recomputed in decimals before rounding.
_PROPORTIONAL = frozenset({"POSITIVE_RATIO", "REVERSE_RATIO", "REVERSE_LINEAR"})


_FORMULAS = {
    "POSITIVE_MET": "B ≥ A：得分 = 分值",
    "POSITIVE_RATIO": "B < A：得分 = B / A × 分值",
    "ZERO_TARGET": "A = 0：B ≤ 0 得分值，否则 0",
    "NEGATIVE_TARGET": "A < 0：达到指标值得分值，否则 0",
    "REVERSE_MET": "B ≤ A：得分 = 分值",
    "REVERSE_RATIO": "B > A：得分 = A / B × 分值",
    "REVERSE_LINEAR": "B > A：得分 = max(0, 1 − (B − A) / A) × 分值",
}


def _quantitative(i: int, ind: Indicator, tq: Quantity, aq: Quantity, profile: Profile) -> RowScore:
    w = float(ind.weight)  # type: ignore[arg-type]
    decimals = profile.indicators.score_decimals
    b_raw = aq.value
    assert tq.value is not None and b_raw is not None
    b, compatible = convert(b_raw, aq.unit, tq.unit)
    a = tq.value
    reverse = tq.operator in ("<=", "<")
    formula = profile.indicators.reverse_formula
    if reverse:
        points, rule = reverse_points(a, b, w, formula)
    else:
        points, rule = positive_points(a, b, w, tq.operator)
    if rule in _PROPORTIONAL:  # decimal arithmetic so that 四舍五入 rounds what a person computes
        a_d, b_d, w_d = dec(a), dec(b), dec(w)
        exact = reverse_points(a_d, b_d, w_d, formula)[0] if reverse else positive_points(a_d, b_d, w_d)[0]
        exact = min(max(exact, Decimal(0)), w_d)
        points, score = float(exact), min(round_half_up(exact, decimals), w)  # never above w
    else:
        points = score = float(points)

    def text() -> str:
        direction = "零值指标" if rule == "ZERO_TARGET" else ("反向指标" if reverse else "正向指标")
        label = f"「{ind.name}」" if ind.name else f"第{i + 1}行"
        if rule in ("POSITIVE_MET", "REVERSE_MET") or (
            rule in ("ZERO_TARGET", "NEGATIVE_TARGET") and points == w
        ):
            body = f"实际完成 {ind.actual}，达到指标值 {ind.target}，得满分 {fmt(w)} 分"
        elif rule in ("ZERO_TARGET", "NEGATIVE_TARGET"):
            body = f"指标值为 {ind.target}，实际完成 {ind.actual}，未达到，得 0 分"
        else:
            if rule == "POSITIVE_RATIO":
                calc = f"{fmt(b)} ÷ {fmt(tq.value)} × {fmt(w)}"
            elif rule == "REVERSE_RATIO":
                calc = f"{fmt(tq.value)} ÷ {fmt(b)} × {fmt(w)}"
            else:
                calc = f"(1 − ({fmt(b)} − {fmt(tq.value)}) ÷ {fmt(tq.value)}) × {fmt(w)}"
            body = (
                f"实际完成 {ind.actual}，未达到指标值 {ind.target}：得分 = {calc} = {_pts(points)}，"
                f"{_round_text(decimals)}为 {fmt(score)} 分"
            )
        notes = []
        if aq.operator:
            notes.append(f"实际完成值带运算符「{aq.printed_operator}」，按其数值 {fmt(b_raw)} 比较")
        if not compatible:
            notes.append(f"单位不一致（{aq.unit}／{tq.unit}），按数值比较")
        elif aq.unit and tq.unit and norm_unit(aq.unit) != norm_unit(tq.unit):
            notes.append(f"实际值 {fmt(b_raw)}{aq.unit} 折算为 {fmt(b)}{tq.unit}")
        return f"{label}为{direction}（{ind.target}）；{body}" + "".join(f"；{n}" for n in notes) + "。"

    expl = Explanation(
        rule,
        {"target": a, "actual": b, "weight": w, "operator": tq.operator or "", "unit": tq.unit},
        _FORMULAS[rule],
        _ROUND_TEXT[decimals],
        SOURCES[rule],
        text,
    )
    return RowScore(
        i,
        "quantitative",
        "rule",
        score,
        w,
        ind.score,
        expl,
        exact=float(points),
        target=tq,
        actual=aq,
        actual_value=b,
    )


def _cancelled(i: int, ind: Indicator, tq: Quantity, aq: Quantity, word: str) -> RowScore:
    """实际完成值「无」 and a reason saying the work was cancelled: completion 0, score 0 (rule 7.13)."""
    w = float(ind.weight)  # type: ignore[arg-type]
    text = (
        f"「{ind.name}」实际完成值为「{ind.actual or '空'}」，偏差原因写明「{word}」，按项目取消处理："
        f"完成值按 0 计，得 0 分（偏差原因必填）。"
    )
    expl = Explanation(
        "CANCELLED",
        {"weight": w, "deviation": ind.deviation},
        "完成值 = 0：得分 = 0",
        "无",
        SOURCES["CANCELLED"],
        text,
    )
    return RowScore(
        i, "cancelled", "rule", 0.0, w, ind.score, expl, exact=0.0, tier="not_achieved", target=tq, actual=aq
    )


# --------------------------------------------------------------------------- judgement rows


def tier_range(profile: Profile, tier: TierName, w: float) -> tuple[float, float, bool]:
    """The score range of a qualitative tier in points: [low·w, high·w), the top tier including w.
    Source: 财预〔2020〕10号 [R]; 中江 note [V]; pmkpi half-open intervals [S]; rule 7.12."""
    low, high, _suggest, top = profile.tier_bounds[tier]
    return (low * w, high * w, top)


def _judgement(
    i: int,
    ind: Indicator,
    tq: Quantity,
    aq: Quantity,
    profile: Profile,
    kind: RowKind,
    rng: tuple[float, float, bool] | None,
    suggest: float | None,
    tier: TierName | None,
    strong: bool,
    why: str,
    rule: str,
) -> RowScore:
    """A score that needs a person's judgement: keep the given score when it lies inside the range the
    actual supports, otherwise propose the tier's suggested score."""
    w = float(ind.weight)  # type: ignore[arg-type]
    decimals = profile.indicators.score_decimals
    given = ind.score
    if rng is None:
        rng = (0.0, w, True)
    lo, hi, inclusive = rng
    kept = _inside(rng, given)
    status: Status = "judgement"
    score: float | None = None
    if kept:
        score = min(max(float(given), lo), w)  # type: ignore[arg-type]  # clamp float noise
    elif suggest is not None:
        score = min(round_half_up(dec(suggest) * dec(w), decimals), w)
    else:
        status = "unscored"

    def text() -> str:
        span = f"{fmt(lo, 4)}–{fmt(hi, 4)} 分" + ("" if inclusive else "（不含上限）")
        if kept:
            verdict = f"填报得分 {fmt(given)} 分在该区间内，予以保留"
        elif score is not None:
            verdict = (
                f"未填报得分，建议 {fmt(score)} 分"
                if given is None
                else f"填报得分 {fmt(given)} 分不在该区间内，建议改为 {fmt(score)} 分"
            )
        else:
            verdict = (
                "无法自动评分，请人工评分" if given is None else f"填报得分 {fmt(given)} 分超出 0–{fmt(w)} 分"
            )
        if tier:
            tier_text = f"「{TIER_ZH[tier]}」档"
        elif kind == "in_progress":
            tier_text = "「部分达成」或「未达成」档"
        else:
            tier_text = "可选分值"
        judged = "" if tier == "achieved" else "需人工判断："
        return f"「{ind.name}」{judged}{why}，对应{tier_text}（{span}）；{verdict}。"

    expl = Explanation(
        rule,
        {
            "weight": w,
            "given": given,
            "actual": ind.actual,
            "target": ind.target,
            "tier": tier,
            "range": [lo, hi],
        },
        "得分在档次区间内由评价人确定",
        _ROUND_TEXT[decimals],
        SOURCES[rule],
        text,
    )
    return RowScore(
        i,
        kind,
        status,
        score,
        w,
        given,
        expl,
        tier=tier,
        tier_range=rng,
        strong=strong,
        kept=kept,
        target=tq,
        actual=aq,
    )


def _unfinished(
    i: int, ind: Indicator, tq: Quantity, aq: Quantity, profile: Profile, meaning: str, word: str
) -> RowScore:
    """实际完成值「无」 while the work is still in progress (or the reason does not say): scored by
    judgement within 部分达成 or 未达成 (rule 7.13)."""
    w = float(ind.weight)  # type: ignore[arg-type]
    _low, high, suggest, _top = profile.tier_bounds["partial"]
    rng = (0.0, high * w, False)
    if meaning == "in_progress":
        why = f"实际完成值为「{ind.actual or '空'}」，偏差原因含「{word}」，按项目仍在推进处理（部分达成或未达成）"
    else:
        why = f"实际完成值为「{ind.actual or '空'}」，偏差原因未说明是取消还是仍在推进，暂按仍在推进处理（部分达成或未达成）"
    return _judgement(i, ind, tq, aq, profile, "in_progress", rng, suggest, None, False, why, "IN_PROGRESS")


def _qualitative(i: int, ind: Indicator, tq: Quantity, aq: Quantity, profile: Profile) -> RowScore:
    """定性指标 (or a quantitative target answered in words): the tier the wording supports."""
    reading = read_tier(ind.actual, ind.target)
    w = float(ind.weight)  # type: ignore[arg-type]
    if reading.tier is None:
        return _judgement(
            i, ind, tq, aq, profile, "qualitative", None, None, None, False, reading.why, "QUALITATIVE"
        )
    low, high, suggest, top = profile.tier_bounds[reading.tier]
    rng = (low * w, high * w, top)
    return _judgement(
        i,
        ind,
        tq,
        aq,
        profile,
        "qualitative",
        rng,
        suggest,
        reading.tier,
        reading.strong,
        reading.why,
        "QUALITATIVE",
    )


def score_indicator(ind: Indicator, profile: Profile, index: int = 0) -> RowScore:
    """The score of one indicator row under ``profile``, with its explanation.  A pure function of
    the row's printed values, memoised: re-scoring an edited form only computes the rows that changed."""
    key = (
        index,
        ind.name,
        ind.target,
        ind.actual,
        ind.weight,
        ind.score,
        ind.deviation,
        ind.extra.get("nature") if ind.extra else None,
        id(profile),
    )
    row = _ROW_CACHE.get(key)
    if row is None:
        if len(_ROW_CACHE) >= _ROW_CACHE_SIZE:
            _ROW_CACHE.clear()
        row = _ROW_CACHE[key] = _score_row(index, ind, target_of(ind), actual_of(ind), profile)
        _PROFILES_SEEN[id(profile)] = profile  # keeps id(profile) from being reused while cached
    return row


_ROW_CACHE: dict[tuple[Any, ...], RowScore] = {}
_ROW_CACHE_SIZE = 20_000
_PROFILES_SEEN: dict[int, Profile] = {}


def clear_caches() -> None:
    """Forget memoised rows and parsed values (for benchmarks and tests)."""
    _ROW_CACHE.clear()
    _parse.cache_clear()
    _parse_actual.cache_clear()
    is_empty.cache_clear()
    read_tier.cache_clear()
    empty_meaning.cache_clear()


def _score_row(index: int, ind: Indicator, tq: Quantity, aq: Quantity, profile: Profile) -> RowScore:
    if ind.weight is None:
        expl = Explanation("UNSCORED", {}, "", "", SOURCES["UNSCORED"], f"「{ind.name}」分值为空，无法计分。")
        return RowScore(index, "unscored", "unscored", None, None, ind.score, expl, target=tq, actual=aq)
    if is_empty(ind.actual):
        meaning, word = empty_meaning(ind.deviation)
        if meaning == "unknown" and not ind.actual.strip():
            text = f"「{ind.name}」未填写实际完成值，无法计分。"
            expl = Explanation("UNSCORED", {"weight": float(ind.weight)}, "", "", SOURCES["UNSCORED"], text)
            return RowScore(
                index, "unscored", "unscored", None, float(ind.weight), ind.score, expl, target=tq, actual=aq
            )
        if meaning == "cancelled":
            return _cancelled(index, ind, tq, aq, word)
        return _unfinished(index, ind, tq, aq, profile, meaning, word)
    if not tq.qualitative and aq.value is not None:
        return _quantitative(index, ind, tq, aq, profile)
    return _qualitative(index, ind, tq, aq, profile)


# --------------------------------------------------------------------------- the form


def total_points(execution: float | None, rows: list[float | None]) -> float:
    """总分 = 执行率得分 + Σ 指标得分 (blank scores count 0).  Source: rule 7.16."""
    return add_up((execution, *rows))


def score_form(form: SelfEvaluation, profile: Profile | str | None = None) -> FormScore:
    """Score every part of ``form`` under ``profile`` (picked from the form when None)."""
    prof = resolve_profile(form, profile)
    execution = score_execution(form, prof)
    rows = [score_indicator(ind, prof, i) for i, ind in enumerate(form.indicators)]
    row_scores = [r.score if r.score is not None else r.given for r in rows]
    total = total_points(execution.score, row_scores)
    decimals = max(prof.indicators.score_decimals, prof.execution.score_decimals)
    total = round_half_up(total, decimals)
    grade = prof.grade_of(total)
    judged = sum(1 for r in rows if r.status == "judgement")
    text = (
        f"总分 = 执行率得分 {fmt(execution.score)} + {len(rows)} 项指标得分合计 "
        f"{fmt(total_points(None, row_scores), 4)} = {fmt(total)} 分，等级「{grade}」"
        + (f"（其中 {judged} 项为人工判断分）" if judged else "")
        + "。"
    )
    expl = Explanation(
        "TOTAL",
        {"execution": execution.score, "indicators": row_scores},
        "总分 = 执行率得分 + Σ 指标得分",
        _round_text(decimals),
        SOURCES["TOTAL"],
        text,
    )
    return FormScore(prof.name, execution, rows, total, grade, expl)


def apply_scores(form: SelfEvaluation, result: FormScore) -> SelfEvaluation:
    """A copy of ``form`` with the computed scores filled in: the total row's execution rate and score,
    each indicator's score (rows that cannot be scored keep theirs) and the total."""
    new = form.model_copy(deep=True)
    total_row = new.total_fund
    if total_row is not None and result.execution.score is not None:
        total_row.execution_rate = tidy(result.execution.rate)
        total_row.score = tidy(result.execution.score)
        if total_row.weight is None:
            total_row.weight = tidy(result.execution.weight)
    for r in result.rows:
        if r.score is not None:
            new.indicators[r.index].score = tidy(r.score)
    new.total_score = tidy(result.total)
    return new


__all__ = [
    "Explanation",
    "ExecutionScore",
    "FormScore",
    "RowScore",
    "apply_scores",
    "execution_points",
    "execution_rate",
    "positive_points",
    "reverse_points",
    "score_execution",
    "score_form",
    "score_indicator",
    "tier_range",
]
