"""The ``template`` backend: offline and deterministic, written from the form's own figures.

- goal (年度总体目标): "本项目共安排资金X万元，用于…，完成…（数量），达到…（质量/时效/成本），实现…（效益/满意度）。"
  (docs/domain-rules.md §4.1, after the Anhui and 中江 samples);
- goal_actual (实际完成情况): mirrors the goal with the actual money and values, "本项目共完成预算资金X万元，
  预算执行率Y%，完成…，达到…，实现…；…因项目取消未实施，…尚在推进中。" (§4.1, the Anhui sample);
- deviation (偏差原因分析及改进措施) of a row: what was targeted, what was reached, the completion
  rate, the cause and a measure, as "原因：…；改进措施：…。" (§4.2); of the funds (no row): the
  budget, the execution and its rate, and the cause.

A cause is never invented: it is the form's own words (the row's current 偏差原因, the funds' 原因),
or the marked blank 「【请填写原因】」 for the person to fill in.  Otherwise only labels (project and
indicator names, cut at the first sentence mark) and figures are taken from the form; no text of the
form is read as an instruction.
"""

from __future__ import annotations

import re

from ..model import SelfEvaluation
from ..numbers import fmt
from ..quantity import parse_quantity
from .base import Assistant, Suggestion, check_request
from .facts import EngineView, FundFacts, RowFacts, engine_view, fund_facts, row_facts
from .grounding import looks_injected

_OP_WORDS = {"=": "", ">=": "不少于", ">": "超过", "<=": "不超过", "<": "低于"}
_OP_WORDS_RATE = {"=": "", ">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于"}
_PURPOSE_SUFFIXES = (
    "专项费用",
    "专项经费",
    "专项资金",
    "项目经费",
    "项目资金",
    "经费",
    "费用",
    "资金",
    "项目",
)
_MAX_LABEL = 40
_MAX_PER_CLAUSE = 8


def fmt_number(value: float) -> str:
    """``25000.0`` -> ``25000``; ``0.6712`` -> ``0.67`` (2 decimals at most, trailing zeros dropped)."""
    return fmt(value, 2)


def money_wan(value: float, money_unit: str) -> str:
    """An amount in 万元 (the register of 年度总体目标), from the form's unit."""
    return fmt_number(value / 1e4 if money_unit == "元" else value)


def percent(fraction: float) -> str:
    return fmt_number(fraction * 100)


def label(text: str) -> str:
    """A name from the form as a label: whitespace removed, cut at the first sentence mark."""
    s = re.sub(r"\s+", "", text or "")
    s = re.split(r"[。！？；;!?]", s, maxsplit=1)[0]
    return s[:_MAX_LABEL]


def purpose(project_name: str) -> str:
    """What the money is for, from the project name: ``深化“一网通办”专项费用`` -> ``深化“一网通办”``."""
    s = label(project_name)
    s = re.sub(r"[（(][^（）()]*[）)]$", "", s)
    for suffix in _PURPOSE_SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix) + 1:
            s = s[: -len(suffix)]
            break
    return s


def _quantity_phrase(text: str, unit_fallback: str = "") -> str:
    """``>=12000件`` -> ``不少于12000件``; ``及时`` -> ``及时``."""
    q = parse_quantity(text)
    if q.value is None:
        return label(text)
    unit = q.unit or unit_fallback
    words = _OP_WORDS_RATE if q.is_percent or unit in ("%", "％") else _OP_WORDS
    return f"{words.get(q.operator or '=', '')}{fmt_number(q.value)}{unit}"


def _qualitative_phrase(name: str, target: str) -> str:
    """``项目完工及时性`` + ``及时`` -> ``项目完工及时``; ``窗口工作效能`` + ``提高`` -> ``窗口工作效能提高``."""
    n, t = label(name), label(target)
    if not t or t in n:
        if n.endswith("性") and n[:-1].endswith(t) and t:
            return n[:-1]
        return n
    if n.endswith("性"):
        return n[:-1] + t if n[:-1].endswith(t) else f"{n[:-1]}{t}"
    return f"{n}{t}"


def _indicator_phrase(name: str, target: str) -> str:
    q = parse_quantity(target)
    if q.value is None:
        return _qualitative_phrase(name, target)
    phrase = _quantity_phrase(target)
    n = label(name)
    if (q.operator == "=" and q.value == 0) or (n[-1:].isdigit() and phrase[:1].isdigit()):
        phrase = "为" + phrase  # 事故次数为0次; 满意度2为100% (never 满意度2100%)
    return f"{n}{phrase}"


def goal_text(form: SelfEvaluation) -> str:
    """年度总体目标 in the §4.1 shape, from the funds block and the indicator rows."""
    clauses = _new_clauses()
    for ind in form.indicators:
        if ind.name.strip():
            _add_to_clause(clauses, ind.level1, ind.level2, _indicator_phrase(ind.name, ind.target))
    funds = fund_facts(form)
    parts = []
    money = None
    if funds is not None:
        money = funds.annual_budget if funds.annual_budget is not None else funds.initial_budget
    use = purpose(form.project_name)
    if money is not None:
        parts.append(f"本项目共安排资金{money_wan(money, form.money_unit)}万元")
        if use:
            parts.append(f"用于{use}")
    else:
        parts.append(f"本项目用于{use}" if use else "本项目")
    parts += _clause_texts(clauses)
    return "，".join(parts) + "。"


def _clause_of(level1: str, level2: str) -> str:
    """Which clause of the goal text a row belongs to: 完成 (数量), 达到 (质量/时效/成本), 实现 (效益/满意度)."""
    if "数量" in level2:
        return "完成"
    if "产出" in level1 or any(k in level2 for k in ("质量", "时效", "成本")) or "成本" in level1:
        return "达到"
    return "实现"


def _new_clauses() -> dict[str, list[str]]:
    return {"完成": [], "达到": [], "实现": []}


def _add_to_clause(clauses: dict[str, list[str]], level1: str, level2: str, phrase: str) -> None:
    """Put a row's phrase in its clause (:func:`_clause_of`), once."""
    items = clauses[_clause_of(level1, level2)]
    if phrase and phrase not in items:
        items.append(phrase)


def _clause_texts(clauses: dict[str, list[str]], verbs: dict[str, str] | None = None) -> list[str]:
    """``完成A、B``, ``达到C``, ``实现D`` for the clauses that have phrases (``verbs`` renames the verb)."""
    verbs = verbs or {}
    return [
        verbs.get(key, key) + "、".join(items[:_MAX_PER_CLAUSE]) for key, items in clauses.items() if items
    ]


def goal_actual_text(form: SelfEvaluation, view: EngineView | None = None) -> str:
    """实际完成情况: the money executed and its rate, what each row reached, and what was not done."""
    clauses = _new_clauses()
    cancelled: list[str] = []
    ongoing: list[str] = []
    for i, ind in enumerate(form.indicators):
        if not ind.name.strip():
            continue
        row = row_facts(form, i, view)
        if row.situation == "cancelled":
            cancelled.append(label(ind.name))
            continue
        if row.situation == "in_progress":
            ongoing.append(label(ind.name))
            continue
        actual = parse_quantity(ind.actual)
        if actual.value is None:
            phrase = _qualitative_phrase(ind.name, ind.actual)
        else:
            phrase = _reached(row).removeprefix("实际完成").removeprefix("实际为")
            n = label(ind.name)
            phrase = f"{n}{'为' if n[-1:].isdigit() and phrase[:1].isdigit() else ''}{phrase}"
        _add_to_clause(clauses, ind.level1, ind.level2, phrase)
    funds = fund_facts(form, view.execution_rate if view is not None else None)
    parts = []
    if funds is not None and funds.executed is not None:
        head = f"本项目共完成预算资金{money_wan(funds.executed, form.money_unit)}万元"
        if funds.execution_rate is not None:
            head += f"，预算执行率{percent(funds.execution_rate)}%"
        parts.append(head)
    else:
        parts.append("本项目")
    parts += _clause_texts(clauses, {"完成": "实际完成"})
    text = "，".join(parts)
    tails = []
    if cancelled:
        tails.append(f"{'、'.join(cancelled[:_MAX_PER_CLAUSE])}因项目取消未实施")
    if ongoing:
        tails.append(f"{'、'.join(ongoing[:_MAX_PER_CLAUSE])}尚在推进中")
    if tails:
        text += "；" + "，".join(tails)
    return text + "。"


def _reached(row: RowFacts) -> str:
    """``实际完成16780家`` (positive), ``实际为不超过2小时`` (reverse), ``实际完成情况为「稳定」``."""
    actual = parse_quantity(row.actual)
    if actual.value is None or parse_quantity(row.target).value is None:
        return f"实际完成情况为「{label(row.actual)}」"
    words = _OP_WORDS_RATE if row.unit in ("%", "％") else _OP_WORDS
    value = row.actual_value if row.actual_value is not None else actual.value
    phrase = f"{words.get(actual.operator or '=', '')}{fmt_number(value)}{row.unit}"
    return f"实际为{phrase}" if row.operator in ("<=", "<") else f"实际完成{phrase}"


#: What a row's figures say (the fact, never a cause) and the measure, by its case
#: (:func:`_deviation_case`); ``{reached}`` is what the row reached (:func:`_reached`), ``{rate}`` its
#: completion rate when known.  The cause comes from the form's own words or is left as
#: :data:`BLANK_CAUSE` for the person to fill in.
_DEVIATIONS: dict[str, tuple[str, str]] = {
    "cancelled": (
        "年度内未实施，实际完成值为「{actual}」",
        "项目取消的，及时调整预算、收回资金，同步调整绩效目标和指标",
    ),
    "in_progress": (
        "年度内暂未形成实际完成值",
        "加强与实施单位沟通，按时间节点推进项目实施，完成后及时开展绩效评价",
    ),
    "shortfall_quantity": (
        "{reached}{rate}，未达到年度指标值",
        "加强需求调研和数据分析，结合历年实际完成情况科学合理设定绩效指标值",
    ),
    "shortfall": (
        "{reached}{rate}，未达到年度指标值",
        "加强需求调研和数据分析，结合历年实际完成情况科学合理设定绩效指标值",
    ),
    "over": (
        "{reached}{rate}，超出年度指标值较多",
        "结合历年实际完成情况科学合理设定指标值，适当提高下一年度指标值",
    ),
    "missed_schedule": (
        "{reached}，实际用时超出年度指标值",
        "优化工作流程，加强进度跟踪，按时间节点完成各项工作",
    ),
    "missed": ("{reached}，未达到年度指标值", "加强风险研判和过程管理，科学合理设定绩效指标值"),
    "savings": ("{reached}，低于年度指标值较多", "科学合理测算项目成本，据实设定成本指标值"),
    "partial": (
        "{reached}，部分达成年度指标",
        "加强项目进度管理，按时间节点推进，确保年度目标全面达成",
    ),
    "met": ("{reached}{rate}，已达成年度指标值，无偏差", "继续加强项目管理，保持现有工作成效"),
}

#: The marked blank where the form does not say why (the template never invents a cause).
BLANK_CAUSE = "【请填写原因】"
_CAUSE_LEADS = ("主要原因是", "主要是由于", "主要是因为", "主要是", "原因是", "由于", "因为", "因")


def own_cause(text: str) -> str:
    """The cause in the form's own words (a row's 偏差原因 or the funds' 原因), without the
    「原因：」 label, the 改进措施 part or a leading 主要是/由于; "" when the text gives none or
    carries an instruction, markup or a link."""
    if looks_injected(text):
        return ""
    s = re.sub(r"\s+", "", text or "")
    s = s.split("改进措施")[0]
    s = re.sub(r"^(偏差)?原因(分析)?[:：]", "", s)
    if "主要原因是" in s:
        s = s.split("主要原因是", 1)[1]
    for lead in _CAUSE_LEADS:
        if s.startswith(lead):
            s = s[len(lead) :]
            break
    s = s.replace("；", "，").replace(";", "，").replace("。", "，")
    s = s.strip("，,。；;：: ")
    if s in ("", "无", "无偏差", "/", "—", BLANK_CAUSE.strip("【】")):
        return ""
    return s


def _cause(text: str) -> str:
    return own_cause(text) or BLANK_CAUSE


def _deviation_case(row: RowFacts) -> str:
    """The row's situation, told apart further where the reason differs (数量 shortfall, schedule miss)."""
    if row.situation == "shortfall" and "数量" in row.level2:
        return "shortfall_quantity"
    if row.situation == "missed" and row.reason == "schedule":
        return "missed_schedule"
    return row.situation


def deviation_text(row: RowFacts, own_words: str = "") -> str:
    """偏差原因分析及改进措施 of one row, "原因：…；改进措施：…。": the row's figures, then the cause
    in the form's own words (``own_words``, e.g. the row's current text) or :data:`BLANK_CAUSE`."""
    name = label(row.name) or "该指标"
    quantitative = parse_quantity(row.target).value is not None
    targeted = (
        f"年初设定指标值{_quantity_phrase(row.target)}"
        if quantitative
        else f"年初设定指标值为「{label(row.target)}」"
    )
    rate = f"，完成率{percent(row.completion)}%" if row.completion is not None else ""
    case = _deviation_case(row)
    body, measure = _DEVIATIONS.get(case, _DEVIATIONS["met"])
    body = body.format(reached=_reached(row), rate=rate, actual=label(row.actual) or "无")
    reason = f"{name}{targeted}，{body}"
    if case != "met":
        reason += f"，主要原因是{_cause(own_words)}"
    return f"原因：{reason}；改进措施：{measure}。"


def funds_deviation_text(funds: FundFacts | None, own_words: str = "") -> str:
    """The reason for the budget execution (预算执行情况的「原因」): rate and adjustment from the
    figures, the cause from ``own_words`` (the form's current 原因) or :data:`BLANK_CAUSE`."""
    if funds is None or funds.annual_budget is None:
        return "原因：项目资金未填写全年预算数，无法计算预算执行率；改进措施：补充填写年初预算数、全年预算数和全年执行数。"
    unit = funds.money_unit
    reason = f"全年预算数{money_wan(funds.annual_budget, unit)}万元"
    if funds.executed is not None:
        reason += f"，全年执行数{money_wan(funds.executed, unit)}万元"
    if funds.execution_rate is not None:
        reason += f"，预算执行率{percent(funds.execution_rate)}%"
    measures = []
    if funds.low:
        reason += f"，部分资金未支出，主要原因是{_cause(own_words)}"
        measures.append("加强预算执行监控，加快支出进度，结余资金及时收回")
    if funds.adjusted and funds.initial_budget is not None:
        reason += (
            f"；年初预算数{money_wan(funds.initial_budget, unit)}万元，年中调整为"
            f"{money_wan(funds.annual_budget, unit)}万元，调整原因是{BLANK_CAUSE}"
        )
        measures.append("提高预算编制的科学性和精准性，减少年中预算调整")
    if not measures:
        reason += "，资金按计划执行，无偏差"
        measures.append("继续加强预算执行管理")
    return f"原因：{reason}；改进措施：{'，'.join(measures)}。"


class TemplateAssistant(Assistant):
    """内置模板（离线）: deterministic text from the form's own figures."""

    name = "template"
    title = "内置模板（离线，确定性）"
    offline = True

    def suggest(self, field: str, form: SelfEvaluation, indicator: int | None = None) -> Suggestion:
        check_request(field, form, indicator)
        if field == "goal":
            text = goal_text(form)
        else:
            view = engine_view(form)
            if field == "goal_actual":
                text = goal_actual_text(form, view)
            elif indicator is None:
                text = funds_deviation_text(
                    fund_facts(form, view.execution_rate if view is not None else None),
                    str(form.extra.get("funds_reason") or ""),
                )
            else:
                own = form.indicators[indicator].deviation
                text = deviation_text(row_facts(form, indicator, view), own)
        return Suggestion(text=text, backend=self.name, field=field, indicator=indicator)
