"""Chinese names of interchange paths, for people: ``funds.total.initial_budget`` ->
「项目资金·年度资金总额·年初预算数」, ``indicators.3.deviation`` -> 「第4行「满意度」·偏差原因分析及改进措施」.

Findings, diffs and exports point at fields by interchange path (see the spec); users never see
those paths, only these names.  With the form at hand an indicator row is named by its 三级指标 and a
fund row by its printed label.
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

#: Names of keys kept beside the interchange fields.
_OTHER_LABELS: dict[str, str] = {
    "extra": "附加信息",
    "source": "来源",
    "signoff": "签字栏",
    "unit_leader": "单位负责人",
    "finance_leader": "财务负责人",
    "preparer": "填报人",
    "phone": "联系电话",
    "date": "填报日期",
    "nature": "指标性质",
    "conclusion": "自评结论",
    "problems": "存在问题",
    "improvements": "改进措施",
}

SEP = "·"


def _label(key: str) -> str:
    return FIELD_LABELS.get(key) or _OTHER_LABELS.get(key) or key


def _row(key: str, index: int) -> str:
    return f"{_label(key)}{SEP}第{index + 1}行"


def _indicator(index: int, form: SelfEvaluation | None) -> str:
    if form is not None and 0 <= index < len(form.indicators):
        name = form.indicators[index].name.strip()
        if name:
            return f"第{index + 1}行「{name}」"
    return _row("indicators", index)


def _fund(key: str, form: SelfEvaluation | None) -> str:
    if key.isdigit():
        index = int(key)
        if form is not None and 0 <= index < len(form.funds):
            label = form.funds[index].label.strip()
            if label:
                return f"{_label('funds')}{SEP}{label}"
        return _row("funds", index)
    return f"{_label('funds')}{SEP}{FUND_KIND_LABELS.get(key, key)}"


def field_name(path: str, form: SelfEvaluation | None = None) -> str:
    """The Chinese name of an interchange ``path`` (as in findings and diffs); ``""`` -> ``""``.

    >>> field_name("funds.total.initial_budget")
    '项目资金·年度资金总额·年初预算数'
    >>> field_name("indicators.3.deviation")
    '绩效指标·第4行·偏差原因分析及改进措施'
    """
    parts = [p for p in path.split(".") if p] if path else []
    out: list[str] = []
    i = 0
    while i < len(parts):
        key = parts[i]
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if key == "indicators" and nxt is not None and nxt.isdigit():
            out.append(_indicator(int(nxt), form if not out else None))
            i += 2
        elif key == "funds" and nxt is not None:
            out.append(_fund(nxt, form if not out else None))
            i += 2
        elif nxt is not None and nxt.isdigit():
            out.append(_row(key, int(nxt)))
            i += 2
        else:
            out.append(_label(key))
            i += 1
    return SEP.join(out)
