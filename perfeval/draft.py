"""Next year's draft (下年度自评表草稿) from last year's form, with suggestions a person accepts or not.

:func:`roll_forward` carries the project, departments, funds rows and indicator rows (targets and
weights) into year + 1 and clears what belongs to last year's evaluation (actuals, scores, deviation
texts, 实际完成情况, 全年执行数, 执行率).  Last year's figures stay beside the draft as reference:
``indicator.extra["previous"]`` and ``form.extra["previous"]`` (exporters ignore the key ``previous``).

Nothing is changed silently: what last year's results suggest comes back as :class:`Suggestion`
objects, applied one at a time by :func:`apply_suggestion` when a person accepts them.  Sources
(docs/domain-rules.md): §7 rule 19 (drafting next year), rule 11 (over-fulfilment ≥130%: the target
was set too low), rule 6 (weights 50/30/10 + 10), rule 17 (细化量化: targets with operator, number,
unit), rule 13 (无 = cancelled or in progress).

:func:`open_as_is` is the other path: the same form, to check this year's figures (核对本年).
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field

from .errors import PerfevalError
from .interchange import form_to_dict, fund_to_dict
from .model import FIELD_LABELS, Indicator, SelfEvaluation
from .numbers import fmt
from .quantity import parse_quantity
from .rules import Profile, check_form, score_indicator
from .rules.profiles import resolve_profile
from .rules.wording import empty_meaning
from .taxonomy import canonical_level

DraftMode = Literal["draft", "review"]
SuggestionAction = Literal["set", "remove", "set_weights"]

#: The key under which last year's figures are kept (exporters skip it).
PREVIOUS = "previous"
#: Form ``extra`` keys that describe last year's evaluation: moved to ``extra["previous"]``.
EVALUATION_EXTRA = ("conclusion", "problems", "improvements", "implementation_summary", "funds_reason")
#: Keys that `perfeval score`/`check` add to a form: results about last year's figures.
RESULT_KEYS = ("findings", "explanations")
#: Vague words that do not make a target (rule 17, 细化量化).
VAGUE_WORDS = (
    "提升",
    "提高",
    "优化",
    "明显",
    "显著",
    "较好",
    "良好",
    "有效",
    "进一步",
    "逐步",
    "加强",
    "改善",
)
_EXAMPLES = {
    "数量指标": "「=12次」「≥500人次」",
    "质量指标": "「≥95%」「=100%」",
    "时效指标": "「≤30天」「=100%（按时完成率）」",
}

#: Suggestion codes and what each means.
CODES: dict[str, str] = {
    "RAISE_TARGET": "上年实际完成值达到指标值的130%及以上，建议提高指标值",
    "RECHECK_CANCELLED": "上年该指标因项目取消未完成，建议删除或重新设定",
    "RECHECK_UNFINISHED": "上年该指标未完成（项目仍在实施），请确认本年指标值",
    "REBALANCE_WEIGHTS": "分值合计与评分规则的一级指标分配不一致，建议调整分值",
    "QUANTIFY_TARGET": "产出类指标的指标值未量化，建议改为可衡量的数值",
    "UPDATE_BUDGET": "项目资金沿用上年数，请按本年预算更新",
}


class DraftError(PerfevalError):
    """A suggestion that no longer fits the form, or one that needs a value a person must give."""

    code = "DRAFT"


class Suggestion(BaseModel):
    """One proposed change to a draft.  ``path`` names the field as findings do (``indicators.3.target``,
    ``indicators.3`` for a whole row, ``indicators`` for all weights, ``funds.total.annual_budget``);
    ``proposed`` is the proposed value (None: a person must give one, or the row is to be removed);
    ``expect`` is the value at ``path`` when the suggestion was made, so a stale one is refused."""

    code: str
    severity: Literal["warning", "info"] = "warning"
    path: str
    message: str
    action: SuggestionAction = "set"
    proposed: Any = None
    expect: Any = None
    source: str = ""


class Draft(BaseModel):
    """A draft and its suggestions.  ``mode`` is ``draft`` (next year, 草拟下年) or ``review`` (this
    year's form as it is, 核对本年)."""

    form: SelfEvaluation
    mode: DraftMode = "draft"
    profile: str = ""
    from_year: int | None = None
    suggestions: list[Suggestion] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "profile": self.profile,
            "from_year": self.from_year,
            "form": form_to_dict(self.form),
            "suggestions": [s.model_dump(mode="json") for s in self.suggestions],
        }


# -- roll forward ----------------------------------------------------------------------------------------


def roll_forward(form: SelfEvaluation, profile: str | Profile | None = None) -> Draft:
    """Next year's draft of ``form`` (which is not changed) and the suggestions last year's results give."""
    prof = resolve_profile(form, profile)
    draft = form.model_copy(deep=True)
    draft.year = form.year + 1
    draft.goal_actual = ""
    draft.total_score = None
    draft.parse_warnings = []
    for key in RESULT_KEYS:  # last year's findings (from `perfeval score --json`) do not describe the draft
        (draft.model_extra or {}).pop(key, None)
    previous: dict[str, Any] = {
        "year": form.year,
        "goal_actual": form.goal_actual,
        "total_score": form.total_score,
        "funds": [fund_to_dict(f) for f in form.funds],
    }
    extra = {k: v for k, v in form.extra.items() if k != PREVIOUS}
    for key in EVALUATION_EXTRA:
        if key in extra:
            previous[key] = extra.pop(key)
    if isinstance(extra.get("signoff"), dict):
        extra["signoff"] = {**extra["signoff"], "date": ""}
    extra[PREVIOUS] = previous
    draft.extra = extra
    for fund in draft.funds:
        fund.executed = None
        fund.execution_rate = None
        fund.score = None
    for old, new in zip(form.indicators, draft.indicators, strict=True):
        new.actual = ""
        new.score = None
        new.deviation = ""
        new.extra = {k: v for k, v in old.extra.items() if k != PREVIOUS}
        new.extra[PREVIOUS] = {
            "year": form.year,
            "target": old.target,
            "actual": old.actual,
            "weight": old.weight,
            "score": old.score,
            "deviation": old.deviation,
        }
    if form.source is not None:
        source = {k: v for k, v in form.source.items() if k not in ("file", "pages")}
        source["rolled_from"] = {k: form.source[k] for k in ("file", "pages") if k in form.source}
        source["rolled_from"]["year"] = form.year
        draft.source = source
    return Draft(
        form=draft, mode="draft", profile=prof.name, from_year=form.year, suggestions=suggest(draft, prof)
    )


def open_as_is(form: SelfEvaluation, profile: str | Profile | None = None) -> Draft:
    """This year's form as it is, to check its figures (核对本年); no suggestions (the rule engine's
    findings are what matters here)."""
    return Draft(form=form.model_copy(deep=True), mode="review", profile=resolve_profile(form, profile).name)


# -- suggestions -----------------------------------------------------------------------------------------


def suggest(form: SelfEvaluation, profile: str | Profile | None = None) -> list[Suggestion]:
    """Suggestions for a draft, from the last-year figures kept in ``extra["previous"]`` and the
    profile's weights.  Call again after applying one: paths refer to the form as it is now."""
    prof = resolve_profile(form, profile)
    unquantified = {
        f.path for f in check_form(form, prof) if f.code == "TARGET_NOT_QUANTIFIED"
    }  # the rule engine decides which rows must be quantified (rule 17)
    out: list[Suggestion] = []
    for i, ind in enumerate(form.indicators):
        prev = ind.extra.get(PREVIOUS)
        if isinstance(prev, dict):
            out += _from_previous(i, ind, prev, prof)
        if f"indicators.{i}.target" in unquantified:
            out += _quantify(i, ind)
    out += _rebalance(form, prof)
    out += _budget(form)
    return out


def _label(i: int, ind: Indicator) -> str:
    return f"第{i + 1}行「{ind.name}」" if ind.name else f"第{i + 1}行"


def _from_previous(i: int, ind: Indicator, prev: dict[str, Any], prof: Profile) -> list[Suggestion]:
    actual = str(prev.get("actual") or "")
    deviation = str(prev.get("deviation") or "")
    year = prev.get("year") or "上"
    parsed_actual = parse_quantity(actual)
    meaning, word = empty_meaning(deviation)
    if parsed_actual.is_empty and (meaning == "cancelled" or prev.get("score") == 0):
        why = f"偏差原因写明「{word}」" if meaning == "cancelled" else "实际完成值为「无」且得分为0"
        return [
            Suggestion(
                code="RECHECK_CANCELLED",
                path=f"indicators.{i}",
                action="remove",
                expect=ind.name,
                message=f"{_label(i, ind)}：{year}年未完成（{why}）。如本年不再实施，建议删除该行并重新分配分值；"
                "如继续实施，请重新设定指标值。",
                source="docs/domain-rules.md §7 规则19（项目取消的指标建议删除）、规则13",
            )
        ]
    if parsed_actual.is_empty and meaning == "in_progress":
        return [
            Suggestion(
                code="RECHECK_UNFINISHED",
                severity="info",
                path=f"indicators.{i}.target",
                expect=ind.target,
                message=f"{_label(i, ind)}：{year}年尚未完成（偏差原因：「{deviation}」），"
                "请确认本年指标值是否包含上年未完成的部分。",
                source="docs/domain-rules.md §7 规则13",
            )
        ]
    raised = _raised_target(i, ind, prev, prof)
    if raised is None:
        return []
    proposed, ratio = raised
    return [
        Suggestion(
            code="RAISE_TARGET",
            path=f"indicators.{i}.target",
            proposed=proposed,
            expect=ind.target,
            message=f"{_label(i, ind)}：{year}年实际完成「{actual}」，为指标值「{ind.target}」的"
            f"{fmt(ratio * 100, 1)}%（≥{fmt(prof.indicators.over_fulfilment_ratio * 100)}%），指标值可能设定偏低，"
            f"建议提高为「{proposed}」。",
            source="docs/domain-rules.md §7 规则11（超额完成≥130%）、规则19；评分规则 "
            f"{prof.name}.indicators.over_fulfilment_ratio",
        )
    ]


def _raised_target(i: int, ind: Indicator, prev: dict[str, Any], prof: Profile) -> tuple[str, float] | None:
    """The target at last year's actual level, and the actual/target ratio, when last year's positive
    target (正向: = ≥ >) was exceeded by the profile's over-fulfilment ratio and is still the draft's
    target.  Last year's row is read by the rule engine (units, operators, 万 prefixes)."""
    if ind.target != prev.get("target"):
        return None  # already changed by a person
    last_year = ind.model_copy(
        update={"actual": str(prev.get("actual") or ""), "deviation": str(prev.get("deviation") or "")}
    )
    row = score_indicator(last_year, prof, i)
    target = row.target
    if row.kind != "quantitative" or target is None or target.value is None or row.actual_value is None:
        return None
    if target.direction != "positive" or target.value <= 0:
        return None
    ratio = row.actual_value / target.value
    if ratio < prof.indicators.over_fulfilment_ratio - 1e-9:
        return None
    return f"{target.printed_operator or ''}{fmt(row.actual_value, 4)}{target.unit}", ratio


def _quantify(i: int, ind: Indicator) -> list[Suggestion]:
    level2 = canonical_level(ind.level2) or canonical_level(ind.level1)
    vague = [w for w in VAGUE_WORDS if w in ind.target]
    what = (
        f"「{ind.target}」是模糊表述（{'、'.join(vague)}）"
        if vague
        else f"「{ind.target or '（空）'}」没有数值"
    )
    example = _EXAMPLES.get(level2, "「≤50万元」")
    return [
        Suggestion(
            code="QUANTIFY_TARGET",
            path=f"indicators.{i}.target",
            expect=ind.target,
            message=f"{_label(i, ind)}（{level2}）：年度指标值{what}，建议细化量化为运算符、数值和单位，"
            f"例如{example}。",
            source="docs/domain-rules.md §7 规则17（财预〔2021〕88号「细化量化」[R]）",
        )
    ]


def _group_targets(form: SelfEvaluation, prof: Profile) -> dict[str, float]:
    """The total weight each level-1 group should have: the profile's split when the form has exactly
    those groups, else one group of all indicators with the profile's indicator weight."""
    groups = {canonical_level(i.level1) for i in form.indicators}
    split = prof.level1_weights
    if split and groups == set(split):
        return dict(split)
    return {"": prof.indicators.weight}


def _rebalance(form: SelfEvaluation, prof: Profile) -> list[Suggestion]:
    if not form.indicators or any(i.weight is None for i in form.indicators):
        return []
    targets = _group_targets(form, prof)
    keys = [canonical_level(i.level1) if targets.keys() != {""} else "" for i in form.indicators]
    weights = [float(i.weight or 0) for i in form.indicators]
    sums = {g: sum(w for k, w in zip(keys, weights, strict=True) if k == g) for g in targets}
    if all(abs(sums[g] - targets[g]) < 1e-6 for g in targets):
        return []
    proposed = list(weights)
    integral = all(w.is_integer() for w in weights) and all(float(t).is_integer() for t in targets.values())
    for g, total in targets.items():
        idx = [n for n, k in enumerate(keys) if k == g]
        for n, w in zip(
            idx, _apportion([weights[n] for n in idx], total, 1 if integral else 0.1), strict=True
        ):
            proposed[n] = w
    now = "、".join(f"{g or '绩效指标'} {fmt(sums[g])}" for g in targets)
    want = "、".join(f"{g or '绩效指标'} {fmt(t)}" for g, t in targets.items())
    return [
        Suggestion(
            code="REBALANCE_WEIGHTS",
            path="indicators",
            action="set_weights",
            proposed=[int(w) if float(w).is_integer() else w for w in proposed],
            expect=[i.weight for i in form.indicators],
            message=f"分值合计为 {now}，评分规则「{prof.title}」要求 {want}（另有预算执行率 "
            f"{fmt(prof.execution.weight)} 分），建议按原比例调整各指标分值。如属特殊情况可保留现有分配。",
            source=f"docs/domain-rules.md §7 规则6（财预〔2020〕10号 [R]）；评分规则 {prof.name}.level1_weights",
        )
    ]


def _apportion(weights: list[float], total: float, unit: float) -> list[float]:
    """``weights`` scaled to sum to ``total`` in steps of ``unit`` (largest remainder; equal shares when
    all are zero)."""
    if not weights:
        return []
    base = sum(weights)
    shares = [w * total / base for w in weights] if base > 0 else [total / len(weights)] * len(weights)
    steps = round(total / unit)
    raw = [s / unit for s in shares]
    floors = [math.floor(r + 1e-9) for r in raw]
    left = steps - sum(floors)
    order = sorted(range(len(raw)), key=lambda n: (-(raw[n] - floors[n]), n))
    for n in order[: max(left, 0)]:
        floors[n] += 1
    return [round(f * unit, 6) for f in floors]


def _budget(form: SelfEvaluation) -> list[Suggestion]:
    prev = form.extra.get(PREVIOUS)
    total = form.fund("total")
    if not isinstance(prev, dict) or total is None or total.annual_budget is None:
        return []
    return [
        Suggestion(
            code="UPDATE_BUDGET",
            severity="info",
            path="funds.total.annual_budget",
            expect=total.annual_budget,
            message=f"项目资金沿用了{prev.get('year', '上')}年的预算数（全年预算数 {fmt(total.annual_budget)}"
            f"{form.money_unit}），请按本年批复的预算更新各行资金。",
            source="docs/domain-rules.md §1.3（预算执行率以全年预算数计）",
        )
    ]


# -- applying a suggestion -------------------------------------------------------------------------------

_UNSET: Any = object()


def apply_suggestion(form: SelfEvaluation, suggestion: Suggestion, value: Any = _UNSET) -> SelfEvaluation:
    """A copy of ``form`` with ``suggestion`` applied, when a person accepts it; ``value`` replaces the
    proposed value (a person's edit of it).  A suggestion whose field changed since it was made raises
    :class:`DraftError`: get fresh ones with :func:`suggest`."""
    new = form.model_copy(deep=True)
    chosen = suggestion.proposed if value is _UNSET else value
    if suggestion.action == "remove":
        i = _row_index(new, suggestion.path)
        if new.indicators[i].name != suggestion.expect:
            raise _stale()
        del new.indicators[i]
        return new
    if suggestion.action == "set_weights":
        if [i.weight for i in new.indicators] != suggestion.expect:
            raise _stale()
        if not isinstance(chosen, list) or len(chosen) != len(new.indicators):
            raise DraftError("分值数量与指标行数不一致", english="one weight per indicator is needed")
        for ind, w in zip(new.indicators, chosen, strict=True):
            ind.weight = w
        return new
    if chosen is None:
        raise DraftError("此建议没有建议值，请填写新的数值后再应用", english="a value is needed")
    if _get_path(new, suggestion.path) != suggestion.expect:
        raise _stale()
    _set_path(new, suggestion.path, chosen)
    return new


def _stale() -> DraftError:
    return DraftError("表单已修改，此建议已过期，请刷新建议后再应用", english="suggestion is stale")


def _row_index(form: SelfEvaluation, path: str) -> int:
    parts = path.split(".")
    try:
        i = int(parts[1])
    except (IndexError, ValueError):
        raise DraftError(f"无法识别的字段路径：{path}", english="bad path") from None
    if parts[0] != "indicators" or not 0 <= i < len(form.indicators):
        raise _stale()
    return i


def _locate(form: SelfEvaluation, path: str) -> tuple[Any, str]:
    parts = path.split(".")
    if len(parts) == 1 and parts[0] in SelfEvaluation.model_fields:
        return form, parts[0]
    if len(parts) == 3 and parts[0] == "indicators":
        return form.indicators[_row_index(form, path)], parts[2]
    if len(parts) == 3 and parts[0] == "funds":
        row = form.fund(parts[1])
        if row is None:
            raise _stale()
        return row, parts[2]
    raise DraftError(f"无法识别的字段路径：{path}", english="bad path")


def _get_path(form: SelfEvaluation, path: str) -> Any:
    obj, attr = _locate(form, path)
    return getattr(obj, attr)


def _set_path(form: SelfEvaluation, path: str, value: Any) -> None:
    obj, attr = _locate(form, path)
    try:
        setattr(obj, attr, value)
    except ValueError as exc:  # pydantic validation on assignment
        raise DraftError(
            f"「{FIELD_LABELS.get(attr, attr)}」的值无效：{value!r}", english=f"invalid value: {exc}"
        ) from None
    if isinstance(obj, Indicator) and attr == "target" and {"value", "unit"} & obj.extra.keys():
        _resplit_target(obj)


def _resplit_target(ind: Indicator) -> None:
    """Keep a Sichuan-style row's 指标性质/指标值/度量单位 in step with a new joined target."""
    q = parse_quantity(ind.target)
    if q.value is None:
        ind.extra.update(nature="定性", value=ind.target, unit="")
    else:
        ind.extra.update(nature=q.printed_operator or "=", value=fmt(q.value, 6), unit=q.unit)
