"""Reading printed values: targets (年度指标值) such as ``=22个``, ``>=90%``, ``≤2小时``, ``及时`` and
actuals (实际完成值) such as ``16780``, ``<=2小时``, ``无``.

The printed text always stays the source of truth; :func:`parse_quantity` only reads it.
Rule 7 of docs/domain-rules.md: ``^(op)?\\s*(number)\\s*(unit)$``; no number means qualitative.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Operator = Literal["=", ">=", "<=", ">", "<"]
Direction = Literal["positive", "reverse"]

#: Printed operator spellings -> normalised operator.  Besides the usual signs, the glyphs seen on
#: real forms: ``═`` (box drawing) and ``﹦`` (small form) for ``=``; ``≧`` ``⩾`` for ≥ and ``≦``
#: ``⩽`` for ≤; full-width ``＞＝``; and typing oddities such as ``=>``, ``≥=``, ``> =``.
OPERATORS: dict[str, Operator] = {
    "==": "=",
    "=": "=",
    "＝": "=",
    "﹦": "=",
    "═": "=",
    "≥": ">=",
    "≧": ">=",
    "⩾": ">=",
    ">=": ">=",
    "=>": ">=",
    "≥=": ">=",
    "≧=": ">=",
    "＞=": ">=",
    ">＝": ">=",
    "＞＝": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "不小于": ">=",
    "大于等于": ">=",
    "大于或等于": ">=",
    "≤": "<=",
    "≦": "<=",
    "⩽": "<=",
    "<=": "<=",
    "=<": "<=",
    "≤=": "<=",
    "≦=": "<=",
    "＜=": "<=",
    "<＝": "<=",
    "＜＝": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "小于等于": "<=",
    "小于或等于": "<=",
    ">": ">",
    "＞": ">",
    "﹥": ">",
    "大于": ">",
    "<": "<",
    "＜": "<",
    "﹤": "<",
    "小于": "<",
}

#: An operator as printed, spaces inside it allowed (``> =``).
_OP_ALTERNATION = "|".join(r"\s*".join(map(re.escape, k)) for k in sorted(OPERATORS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"^\s*(?P<op>{_OP_ALTERNATION})?\s*(?P<num>[-+]?(?:\d[\d,，]*)?\.?\d+)\s*(?P<unit>[^\d]{{0,12}})\s*$"
)

#: Words that mean "nothing" in an actual cell: 无 (cancelled or not measured yet), blanks, dashes.
EMPTY_WORDS = frozenset({"", "无", "—", "-", "/", "／", "——", "－"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A printed value read as operator, number and unit.  ``value`` is as printed (``100%`` -> 100).

    A plain frozen dataclass: the rule engine reads thousands of these per second."""

    text: str
    operator: Operator | None = None
    printed_operator: str | None = None
    value: float | None = None
    unit: str = ""

    @property
    def qualitative(self) -> bool:
        """True when the text holds no number (定性): ``及时``, ``提升``, ``达成年度指标``."""
        return self.value is None

    @property
    def direction(self) -> Direction | None:
        """``positive`` for =, >=, > and a bare number (正向); ``reverse`` for <=, < (反向);
        None for a qualitative value."""
        if self.value is None:
            return None
        return "reverse" if self.operator in ("<=", "<") else "positive"

    @property
    def is_percent(self) -> bool:
        return self.unit.strip() in ("%", "％", "百分比")

    @property
    def is_empty(self) -> bool:
        """An actual printed as blank, ``无``, ``—`` or ``/``."""
        return _clean(self.text) in EMPTY_WORDS


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=4096)
def parse_quantity(text: str | None) -> Quantity:
    """Read ``text`` as operator + number + unit; a text without a leading number is qualitative.

    >>> parse_quantity("=25000家").value, parse_quantity("=25000家").unit
    (25000.0, '家')
    >>> parse_quantity("及时").qualitative
    True
    """
    raw = text or ""
    m = _QUANTITY.match(raw.replace("\n", ""))
    if not m:
        return Quantity(text=raw)
    num = m.group("num").replace(",", "").replace("，", "")
    printed = m.group("op")
    return Quantity(
        text=raw,
        operator=OPERATORS[re.sub(r"\s+", "", printed)] if printed else None,
        printed_operator=printed,
        value=float(num),
        unit=m.group("unit").strip(),
    )
