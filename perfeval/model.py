"""The domain model of one 项目支出绩效自评表 (project expenditure performance self-evaluation form).

The model accepts real-world inconsistency (sums that do not add up, a score above its weight: those
are findings of the rule engine), but rejects what cannot be a form (a weight that is not a number, a
negative amount of money) with a Chinese message naming the field.  See docs/model.md.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .errors import InvalidFormError
from .quantity import Quantity, parse_quantity

Number = int | float
MoneyUnit = Literal["元", "万元"]
#: 年度资金总额 / 总额 (total), 当年/本年财政拨款 or 财政资金 (fiscal), 上年结转资金 (carryover),
#: 财政专户管理资金 (special_account), 单位资金 (unit), 其他资金 (other).
FundKind = Literal["total", "fiscal", "carryover", "special_account", "unit", "other"]
FUND_KINDS: tuple[str, ...] = ("total", "fiscal", "carryover", "special_account", "unit", "other")
Severity = Literal["error", "warning", "info"]

#: Chinese names of fields, for messages (and the UI's column headers).
FIELD_LABELS: dict[str, str] = {
    "year": "年度",
    "project_name": "项目名称",
    "project_code": "项目编码",
    "department": "主管部门",
    "implementing_unit": "实施单位",
    "money_unit": "资金单位",
    "funds": "项目资金",
    "goal_planned": "预期目标",
    "goal_actual": "实际完成情况",
    "indicators": "绩效指标",
    "total_weight": "总分分值",
    "total_score": "总分",
    "label": "名称",
    "kind": "资金类型",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "execution_rate": "执行率",
    "weight": "分值",
    "score": "得分",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "deviation": "偏差原因分析及改进措施",
}

_BLANKS = {"", "—", "——", "-", "－", "/", "／", "无"}

# Bounds of the numbers a form can hold (docs/model.md, "Limits").  Anything beyond them is no real form
# (and would overflow the rounding, the exports and the what-if arithmetic), so it is refused with a
# Chinese message naming the field, like any other value that cannot be a form.
#: Money (年初预算数, 全年预算数, 全年执行数) in the form's unit: 0, or 10^-6 to 10^15 (千万亿).
MAX_MONEY = 1e15
MIN_MONEY = 1e-6
#: Weights (分值) of a row from 0 to 1000; scores (得分) of a row within ±1000.
MAX_WEIGHT = 1000
MAX_SCORE = 1000
#: The form's 总分分值 and 总分 within ±10^9 (a sum of rows: recomputed totals always fit).
MAX_TOTAL = 1e9
#: Execution rates as a fraction: finite and within ±10^30, so that every rate computed from valid
#: money (at most 10^15 / 10^-6) fits too.
MAX_RATE = 1e30
#: A number printed in a target or an actual (年度指标值, 实际完成值): within ±10^30, so that the scoring
#: arithmetic (ratios, products with weights) stays finite.
MAX_QUANTITY = 1e30
#: Digits a printed number may have; a longer digit string is not read as a number at all.
MAX_DIGITS = 40


def read_number(value: Any) -> Number | None:
    """A printed number as int or float: ``"6,412,300"`` -> 6412300; blank, ``—``, ``/`` -> None.
    Percent strings are not numbers here (rates use :func:`read_rate`).

    Raises ValueError when the value is not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("not finite")
        return value
    if isinstance(value, str):
        s = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", value))
        if s in _BLANKS:
            return None
        if len(s) > MAX_DIGITS + 2:
            raise ValueError("too many digits")
        if re.fullmatch(r"[-+]?\d+", s):
            return int(s)
        if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", s):
            return float(s)
    raise ValueError(value)


def read_rate(value: Any) -> Number | None:
    """An execution rate as a fraction: ``"100.00%"`` -> 1.0, ``0.8618`` -> 0.8618."""
    if isinstance(value, str):
        s = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
        if s.endswith("%"):
            n = read_number(s[:-1])
            return None if n is None else round(n / 100, 10)
    return read_number(value)


def show_value(value: Any) -> str:
    """A value for a message, short whatever it is (a 5000-digit number, a 300,000-character text)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"{len(str(abs(value))) if value.bit_length() < 14000 else '上万'}位的整数"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number_error(value: Any) -> PydanticCustomError:
    return PydanticCustomError("not_a_number", "不是数字：{value}", {"value": show_value(value)})


def _bound(x: float) -> str:
    exponent = math.log10(abs(x)) if x else 0
    if exponent >= 6 and exponent.is_integer():
        return f"{'-' if x < 0 else ''}10^{int(exponent)}"
    return f"{x:g}"


def _out_of_range(n: Number, low: float, high: float) -> PydanticCustomError:
    return PydanticCustomError(
        "out_of_range",
        "数值超出合理范围（{low}～{high}）：{value}",
        {"low": _bound(low), "high": _bound(high), "value": show_value(n)},
    )


def _number(value: Any, high: float = MAX_SCORE, *, negative: str | None = None) -> Number | None:
    """A finite number within ±high (a score by default), or None for a blank; with ``negative`` (a
    message), within [0, high]."""
    try:
        n = read_number(value)
    except ValueError:
        raise _number_error(value) from None
    if n is None:
        return None
    if negative is not None and n < 0:
        raise PydanticCustomError("negative", negative, {"value": show_value(n)})
    if abs(n) > high:
        raise _out_of_range(n, 0 if negative else -high, high)
    return n


def _money(value: Any) -> Number | None:
    n = _number(value, MAX_MONEY, negative="金额不能为负数：{value}")
    if n and n < MIN_MONEY:
        raise _out_of_range(n, MIN_MONEY, MAX_MONEY)
    return n


#: A lone surrogate (U+D800–U+DFFF): JSON can spell one (``"\\ud800"``) but no file can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` as ``U+D800``, or None."""
    m = _SURROGATE.search(text)
    return None if m is None else f"U+{ord(m.group()):04X}"


def _not_text(value: Any) -> PydanticCustomError:
    return PydanticCustomError("not_text", "应为文字：{value}", {"value": show_value(value)})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _not_text(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_text(value)
        return f"{value:g}"
    if isinstance(value, int):
        if value.bit_length() > 128:
            raise _not_text(value)
        return str(value)
    if isinstance(value, str):
        bad = lone_surrogate(value)
        if bad is not None:
            raise PydanticCustomError(
                "lone_surrogate", "含有无法保存的字符（孤立的代理码位 {char}）", {"char": bad}
            )
        return value
    raise _not_text(value)


def _weight(value: Any) -> Number | None:
    return _number(value, MAX_WEIGHT, negative="分值不能为负数：{value}")


def _rate(value: Any) -> Number | None:
    try:
        n = read_rate(value)
    except (ValueError, OverflowError):
        raise _number_error(value) from None
    if n is not None and not -MAX_RATE <= n <= MAX_RATE:
        raise _out_of_range(n, -MAX_RATE, MAX_RATE)
    return n


def _printed_quantity(value: Any) -> str:
    """A target or actual: text whose leading number, if any, is within ±MAX_QUANTITY."""
    text = _text(value)
    q = parse_quantity(text)
    if q.value is not None and not (math.isfinite(q.value) and abs(q.value) <= MAX_QUANTITY):
        raise _out_of_range(q.value, -MAX_QUANTITY, MAX_QUANTITY)
    return text


#: Field types that read printed values and reject, in Chinese, what cannot be one.
Text = Annotated[str, BeforeValidator(_text)]
Money = Annotated[Number | None, BeforeValidator(_money)]
Weight = Annotated[Number | None, BeforeValidator(_weight)]
Score = Annotated[Number | None, BeforeValidator(_number)]
Rate = Annotated[Number | None, BeforeValidator(_rate)]
PrintedQuantity = Annotated[str, BeforeValidator(_printed_quantity)]
Total = Annotated[Number | None, BeforeValidator(lambda v: _number(v, MAX_TOTAL))]


class _Base(BaseModel):
    # Unknown keys are kept (and written back) so that any interchange document round-trips.
    model_config = ConfigDict(extra="allow", validate_assignment=True, populate_by_name=True)


class FundRow(_Base):
    """One row of the funds block (项目资金): 年初预算数, 全年预算数 (A), 全年执行数 (B), 分值, 执行率, 得分."""

    label: Text
    kind: FundKind
    initial_budget: Money = None
    annual_budget: Money = None
    executed: Money = None
    execution_rate: Rate = None
    weight: Weight = None
    score: Score = None


class Indicator(_Base):
    """One row of the 绩效指标 table: 一级/二级/三级指标, 年度指标值 (target), 实际完成值 (actual),
    分值 (weight), 得分 (score), 偏差原因分析及改进措施 (deviation)."""

    level1: Text = ""
    level2: Text = ""
    name: Text = ""
    target: PrintedQuantity = ""
    actual: PrintedQuantity = ""
    weight: Weight = None
    score: Score = None
    deviation: Text = ""
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def parsed_target(self) -> Quantity:
        """The target read as operator, number and unit (the printed text stays the source of truth).

        A Sichuan-style row whose 指标性质 is 定性 is qualitative whatever its text holds."""
        if self.extra.get("nature") == "定性":
            return Quantity(text=self.target)
        return parse_quantity(self.target)

    @property
    def parsed_actual(self) -> Quantity:
        return parse_quantity(self.actual)


class Finding(BaseModel):
    """One result of a consistency check, as in the interchange spec."""

    code: str
    severity: Severity
    path: str
    message: str
    hint: str = ""


class SelfEvaluation(_Base):
    """One 项目支出绩效自评表.  ``source`` (provenance: file, pages, template, region) and
    ``parse_warnings`` are kept beside the interchange fields."""

    year: int
    project_name: Text = ""
    project_code: str | None = None
    department: Text = ""
    implementing_unit: Text = ""
    money_unit: MoneyUnit = "元"
    funds: list[FundRow] = Field(default_factory=list)
    goal_planned: Text = ""
    goal_actual: Text = ""
    indicators: list[Indicator] = Field(default_factory=list)
    total_weight: Total = None
    total_score: Total = None
    extra: dict[str, Any] = Field(default_factory=dict)
    source: dict[str, Any] | None = None
    parse_warnings: list[str] = Field(default_factory=list)

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v: Any) -> int:
        if isinstance(v, str):
            m = re.fullmatch(r"\s*(\d{4})\s*年?(度)?\s*", v)
            v = int(m.group(1)) if m else v
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if not isinstance(v, int) or isinstance(v, bool):
            raise PydanticCustomError("bad_year", "年度应为四位数年份：{value}", {"value": repr(v)})
        if not 1990 <= v <= 2100:
            raise PydanticCustomError("bad_year", "年度不在合理范围（1990–2100）：{value}", {"value": v})
        return v

    @field_validator("money_unit", mode="before")
    @classmethod
    def _unit(cls, v: Any) -> str:
        s = re.sub(r"[\s（）()]", "", _text(v))
        if s not in ("元", "万元"):
            raise PydanticCustomError(
                "bad_unit", "资金单位只能是「元」或「万元」：{value}", {"value": repr(v)}
            )
        return s

    def fund(self, kind: str) -> FundRow | None:
        """The first funds row of ``kind`` (``total`` is 年度资金总额)."""
        return next((f for f in self.funds if f.kind == kind), None)

    @property
    def total_fund(self) -> FundRow | None:
        return self.fund("total")


def describe_location(loc: tuple[int | str, ...]) -> str:
    """A Chinese name for a validation error location: ('indicators', 2, 'weight') -> 绩效指标第3行「分值」."""
    parts: list[str] = []
    i = 0
    while i < len(loc):
        key = loc[i]
        if isinstance(key, str) and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            parts.append(f"{FIELD_LABELS.get(key, key)}第{int(loc[i + 1]) + 1}行")
            i += 2
            continue
        parts.append(f"「{FIELD_LABELS.get(str(key), str(key))}」")
        i += 1
    return "".join(parts)


def validation_messages(exc: ValidationError) -> list[str]:
    """Chinese one-liners for a pydantic ValidationError, each naming its field."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        where = describe_location(loc) or "表单"
        kind = err["type"]
        if kind == "missing":
            msg = "缺少此项"
        elif kind == "literal_error" and loc and loc[-1] == "kind":
            msg = f"资金类型应为 {'、'.join(FUND_KINDS)} 之一"
        elif kind in ("model_type", "dict_type"):
            msg = "应为一个对象（JSON 中的 {…}）"
        elif kind == "list_type":
            msg = "应为一个列表（JSON 中的 […]）"
        elif kind.startswith(("string_", "int_", "float_")) and kind.endswith("_type"):
            msg = f"类型不对：{err.get('input')!r}"
        else:
            msg = err["msg"]
        out.append(f"{where}：{msg}")
    return out


def build_form(data: Any, *, source: str | None = None) -> SelfEvaluation:
    """Validate ``data`` into a form, raising :class:`InvalidFormError` with Chinese messages."""
    if not isinstance(data, dict):
        raise InvalidFormError(["表单应为一个 JSON 对象"], source=source)
    try:
        return SelfEvaluation.model_validate(data)
    except ValidationError as exc:
        raise InvalidFormError(validation_messages(exc), source=source) from None
