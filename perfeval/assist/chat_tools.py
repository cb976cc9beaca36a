"""The chat's tools: the library's answers (explain, what-if, needed value, problems, suggestions) as plain,
JSON-ready results with one Chinese sentence each, and the change cards a person may accept.

Both chat backends call these and only these: the offline template backend after it has understood a
question, and a model backend through tool calls.  No number in an answer is computed anywhere else.
A tool never changes the form; a change reaches the form only through :func:`apply_card`, after a click.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import SelfEvaluation
from ..numbers import fmt
from ..rules import check_form
from ..rules.fieldnames import field_name
from ..rules.profiles import Profile, resolve_profile
from ..rules.scoring import FormScore, score_form
from ..rules.whatif import apply_changes, goal_seek, needed_for, what_if
from .base import FIELD_LABELS as ASSIST_FIELD_LABELS
from .registry import get_backend


def _total_text(score: FormScore) -> str:
    return "待填报" if score.total is None else f"{fmt(score.total)} 分，等级「{score.grade}」"


@dataclass
class ChangeCard:
    """A proposed edit: the field (interchange path and Chinese name), the old and the new value, and the
    score effect.  ``source`` says who proposed it (for the audit trail)."""

    path: str
    field_zh: str
    old: Any
    new: Any
    total_before: float | None
    total_after: float | None
    grade_before: str
    grade_after: str
    source: str = "template"
    status: str = "pending"  # pending | applied | ignored | stale

    @property
    def effect_zh(self) -> str:
        if self.total_before is None or self.total_after is None:
            return "不影响得分" if self.total_before == self.total_after else "得分待计算"
        delta = self.total_after - self.total_before
        if abs(delta) < 1e-9:
            return f"总分不变（{fmt(self.total_after)} 分）"
        sign = "+" if delta > 0 else ""
        return (
            f"总分 {fmt(self.total_before)} → {fmt(self.total_after)}（{sign}{fmt(delta)}），"
            f"等级「{self.grade_before}」→「{self.grade_after}」"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeCard:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def shown(value: Any) -> str:
    """A value as a person reads it: numbers without a trailing .0, text as is, blank as 空."""
    if value is None or value == "":
        return "空"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt(value)
    return str(value)


def current_value(form: SelfEvaluation, path: str) -> Any:
    parts = path.split(".")
    if parts[0] == "indicators":
        return getattr(form.indicators[int(parts[1])], parts[2])
    if parts[0] == "funds":
        row = form.fund(parts[1])
        return None if row is None else getattr(row, parts[2])
    return getattr(form, path)


def make_card(
    form: SelfEvaluation, path: str, new: Any, profile: Profile | str | None = None, source: str = "template"
) -> ChangeCard:
    """The card of one change (validated: an impossible value raises :class:`WhatIfError`)."""
    result = what_if(form, {path: new}, profile)
    return ChangeCard(
        path=path,
        field_zh=field_name(path, form),
        old=current_value(form, path),
        new=current_value(result.form, path),
        total_before=result.before.total,
        total_after=result.after.total,
        grade_before=result.grade_before,
        grade_after=result.grade_after,
        source=source,
    )


def card_is_current(form: SelfEvaluation, card: ChangeCard) -> bool:
    """Whether the field still holds the value the card was made against (else the card is stale)."""
    try:
        return current_value(form, card.path) == card.old
    except (IndexError, ValueError, AttributeError):
        return False


def apply_card(form: SelfEvaluation, card: ChangeCard) -> SelfEvaluation:
    """The form with the card's change applied (a copy; the caller saves it as a revision)."""
    return apply_changes(form, {card.path: card.new})


@dataclass
class ToolResult:
    """What a tool returns: a Chinese sentence, its figures (for grounding) and any change cards."""

    text: str
    data: dict[str, Any] = field(default_factory=dict)
    cards: list[ChangeCard] = field(default_factory=list)

    def numbers(self) -> list[float]:
        out: list[float] = []

        def walk(v: Any) -> None:
            if isinstance(v, bool):
                return
            if isinstance(v, int | float):
                out.append(float(v))
            elif isinstance(v, dict):
                for x in v.values():
                    walk(x)
            elif isinstance(v, list | tuple):
                for x in v:
                    walk(x)

        walk(self.data)
        for c in self.cards:
            walk([c.total_before, c.total_after])
        return out

    def to_model(self) -> dict[str, Any]:
        """What a model sees of the result: the sentence and the figures."""
        return {"text": self.text, **self.data}


def explain_row(form: SelfEvaluation, index: int, profile: Profile | str | None = None) -> ToolResult:
    """Why row ``index`` scored what it did."""
    score = score_form(form, profile)
    row = score.rows[index]
    ind = form.indicators[index]
    text = f"第{index + 1}行「{ind.name}」：{row.explanation.text_zh}"
    data = {"index": index, "name": ind.name, "score": row.score, "weight": row.weight, "actual": ind.actual}
    return ToolResult(text, data)


def explain_total(form: SelfEvaluation, profile: Profile | str | None = None) -> ToolResult:
    """The total, the execution score and where points were lost."""
    score = score_form(form, profile)
    lines = [f"总分 {_total_text(score)}。", score.execution.explanation.text_zh]
    lost = []
    for r in score.rows:
        if r.score is not None and r.weight is not None and r.score < r.weight - 1e-9:
            lost.append({"index": r.index, "name": form.indicators[r.index].name, "lost": r.weight - r.score})
            lines.append(
                f"第{r.index + 1}行「{form.indicators[r.index].name}」得 {fmt(r.score)}/{fmt(r.weight)} 分，"
                f"失 {fmt(r.weight - r.score)} 分。"
            )
    data = {
        "total": score.total,
        "grade": score.grade,
        "execution_score": score.execution.score,
        "lost": lost,
    }
    return ToolResult("\n".join(lines), data)


def what_if_answer(
    form: SelfEvaluation,
    changes: dict[str, Any],
    profile: Profile | str | None = None,
    source: str = "template",
) -> ToolResult:
    """The total (and changed rows) if ``changes`` were made; the form is not changed.  One card per change."""
    prof = resolve_profile(form, profile)  # once for the what-if and every card
    result = what_if(form, changes, prof)
    parts = []
    for path in changes:
        parts.append(f"{field_name(path, form)}为「{shown(current_value(result.form, path))}」")
    text = f"如果{'，'.join(parts)}：总分 {_total_text(result.before)} → {_total_text(result.after)}"
    for r_before, r_after in zip(result.before.rows, result.after.rows, strict=True):
        if r_before.score != r_after.score:
            name = form.indicators[r_after.index].name
            text += (
                f"；第{r_after.index + 1}行「{name}」{fmt(r_before.score)} → {fmt(r_after.score)} 分"
                f"（{r_after.explanation.text_zh}）"
            )
    text += "。草稿未改动；点「采用」才会写入。"
    cards = [make_card(form, path, value, prof, source) for path, value in changes.items()]
    data = {
        "total_before": result.before.total,
        "total_after": result.after.total,
        "grade_before": result.grade_before,
        "grade_after": result.grade_after,
        "rows": [{"index": r.index, "score": r.score} for r in result.after.rows],
    }
    return ToolResult(text, data, cards)


def needed_answer(
    form: SelfEvaluation, index: int, score: float | None = None, profile: Profile | str | None = None
) -> ToolResult:
    """What row ``index``'s actual value must be for ``score`` (full marks by default)."""
    need = needed_for(form, index, score, profile)
    data = {
        "index": index,
        "score": need.score,
        "weight": need.weight,
        "actual": need.actual,
        "bound": need.bound,
    }
    return ToolResult(need.text_zh, data)


def goal_answer(form: SelfEvaluation, target: float, profile: Profile | str | None = None) -> ToolResult:
    """Which rows need how much for the total to reach ``target`` (:func:`perfeval.rules.whatif.goal_seek`)."""
    seek = goal_seek(form, target, profile)
    text = "\n".join([seek.text_zh, *(step.text_zh for step in seek.steps)])
    data = {
        "target": seek.target,
        "current": seek.current,
        "maximum": seek.maximum,
        "reachable": seek.reachable,
        "steps": [{"index": st.index, "to_score": st.to_score, "executed": st.executed} for st in seek.steps],
    }
    return ToolResult(text, data)


def problems_answer(form: SelfEvaluation, profile: Profile | str | None = None) -> ToolResult:
    """The findings a reviewer would send back, errors first, with hints."""
    findings = check_form(form, profile)
    if not findings:
        return ToolResult("没有发现会被退回的问题。", {"error_count": 0, "warning_count": 0})
    order = {"error": 0, "warning": 1, "info": 2}
    sev_zh = {"error": "错误", "warning": "警告", "info": "提示"}
    lines = []
    for f in sorted(findings, key=lambda f: order.get(f.severity, 3)):
        where = field_name(f.path, form) if f.path else ""
        hint = f"（建议：{f.hint}）" if f.hint else ""
        lines.append(f"[{sev_zh.get(f.severity, f.severity)}] {where}：{f.message}{hint}")
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    head = f"共 {len(findings)} 个问题（错误 {errors} 个，警告 {warnings} 个）："
    return ToolResult("\n".join([head, *lines]), {"error_count": errors, "warning_count": warnings})


_SUGGEST_PATH = {"goal": "goal_planned", "goal_actual": "goal_actual"}


def suggest_answer(
    form: SelfEvaluation,
    field_name: str,
    index: int | None = None,
    profile: Profile | str | None = None,
    backend: str = "template",
    settings: dict[str, Any] | None = None,
) -> ToolResult:
    """A suggested text for ``field_name`` (goal, goal_actual, deviation of row ``index``) as a change card."""
    suggestion = get_backend(backend, settings).suggest(field_name, form, index)
    path = f"indicators.{index}.deviation" if field_name == "deviation" else _SUGGEST_PATH[field_name]
    card = make_card(form, path, suggestion.text, profile, source=suggestion.backend)
    what = ASSIST_FIELD_LABELS[field_name]
    where = f"第{index + 1}行「{form.indicators[index].name}」的" if index is not None else ""
    text = f"建议的{where}{what}：\n{suggestion.text}"
    warnings = [w.message for w in suggestion.warnings]
    return ToolResult(text, {"notes": warnings}, [card])
