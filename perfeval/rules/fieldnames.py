"""Chinese names of the fields a finding points to, for people who never see an interchange path.

``funds.total.initial_budget`` -> 项目资金·年度资金总额·年初预算数, ``indicators.3.deviation`` ->
第4行「指标名」·偏差原因分析及改进措施 (the indicator's name when the form is given), ``total_score`` ->
总分.  Used by the reviewer report (:mod:`perfeval.export.review_xlsx`) and the app.
"""

from __future__ import annotations

from ..model import FIELD_LABELS, SelfEvaluation

#: Chinese names of the fund kinds (资金类型).
FUND_KIND_LABELS: dict[str, str] = {
    "total": "年度资金总额",
    "fiscal": "财政拨款",
    "carryover": "上年结转资金",
    "special_account": "财政专户管理资金",
    "unit": "单位资金",
    "other": "其他资金",
}

#: Keys of a form's ``extra`` that templates print (四川 2023 and others).
EXTRA_LABELS: dict[str, str] = {
    "funds_reason": "预算调整及执行偏差原因",
    "implementation_summary": "项目实施情况",
    "conclusion": "评价结论",
    "problems": "存在问题",
    "improvements": "改进措施",
    "project_leader": "项目负责人",
    "finance_leader": "财务负责人",
}

SEPARATOR = "·"


def _label(key: str) -> str:
    return FIELD_LABELS.get(key) or EXTRA_LABELS.get(key) or key


def _indicator(index: int, form: SelfEvaluation | None) -> str:
    name = ""
    if form is not None and 0 <= index < len(form.indicators):
        name = form.indicators[index].name
    return f"第{index + 1}行「{name}」" if name else f"绩效指标第{index + 1}行"


def _fund(key: str, form: SelfEvaluation | None) -> str:
    if key in FUND_KIND_LABELS:
        return FUND_KIND_LABELS[key]
    if key.isdigit():
        index = int(key)
        if form is not None and 0 <= index < len(form.funds) and form.funds[index].label:
            return form.funds[index].label
        return f"第{index + 1}行"
    return key


def field_name(path: str, form: SelfEvaluation | None = None) -> str:
    """The Chinese name of an interchange path (see the module docstring); ``""`` names the whole form
    (整张表).  With ``form``, indicator rows are named by their 三级指标 and numbered fund rows by label.

    >>> field_name("funds.total.initial_budget")
    '项目资金·年度资金总额·年初预算数'
    >>> field_name("indicators.3.deviation")
    '绩效指标第4行·偏差原因分析及改进措施'
    """
    parts = [p for p in (path or "").split(".") if p]
    if not parts:
        return "整张表"
    head, rest = parts[0], parts[1:]
    names: list[str] = []
    if head == "indicators" and rest and rest[0].isdigit():
        names.append(_indicator(int(rest[0]), form))
        rest = rest[1:]
        if rest[:1] == ["extra"]:
            rest = rest[1:]
    elif head == "funds" and rest:
        names += [FIELD_LABELS["funds"], _fund(rest[0], form)]
        rest = rest[1:]
    elif head == "extra":
        names.append("其他信息" if not rest else _label(rest[0]))
        rest = rest[1:]
    else:
        names.append(_label(head))
    names += [_label(p) for p in rest]
    return SEPARATOR.join(names)
