"""Numbers as printed on the forms: decimal rounding (四舍五入, ROUND_HALF_UP), display without float
noise, unit conversion.  Shared by the rules, the exporters, the assistant and the app."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

_QUANTA = {n: Decimal(1).scaleb(-n) for n in range(0, 9)}
_BIG = Decimal("1e15")  # beyond this, rounding to decimals is meaningless (and beyond Decimal's precision)


def _quantize(d: Decimal, decimals: int) -> Decimal:
    if not d.is_finite() or abs(d) >= _BIG:
        return d
    return d.quantize(_QUANTA[decimals], rounding=ROUND_HALF_UP)


def dec(x: float | int) -> Decimal:
    """A float as the decimal it prints as (``0.1`` -> ``Decimal('0.1')``), so that rounding is decimal."""
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def round_half_up(x: Decimal | float | int, decimals: int) -> float:
    """Round like people do on paper (四舍五入): 6.8775 -> 6.9 (1 dp), 8.625 -> 8.63 (2 dp)."""
    d = x if isinstance(x, Decimal) else dec(x)
    return float(_quantize(d, decimals))


def add_up(values: Iterable[float | int | None]) -> float:
    """The sum of printed numbers (blanks skipped) without float noise: an exactly rounded sum
    (math.fsum) cut to 9 decimals, far below any printed precision."""
    return round(math.fsum(v for v in values if v is not None), 9)


def tidy(x: float | None) -> float | int | None:
    """An integral float as an int (10.0 -> 10) so that JSON shows scores as printed."""
    if x is None:
        return None
    if float(x).is_integer():
        return int(x)
    return x


def fmt(x: float | int | Decimal | None, max_decimals: int = 6) -> str:
    """A number as people write it: no exponent, no trailing zeros (6412300, 4.6984, 0.75)."""
    if x is None:
        return "—"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return str(int(x))
    d = _quantize(x if isinstance(x, Decimal) else dec(x), max_decimals)
    if abs(d) >= _BIG:
        return f"{float(d):g}"
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt_fixed(x: float, decimals: int) -> str:
    """A number with exactly ``decimals`` places, rounded half up (8.6183 -> '8.62')."""
    d = _quantize(dec(x), decimals)
    return f"{float(d):g}" if abs(d) >= _BIG else format(d, "f")


def percent(rate: float, decimals: int = 2) -> str:
    """A fraction as a printed percentage: 0.8618304 -> '86.18%'."""
    return fmt_fixed(rate * 100, decimals) + "%"


_PREFIX = {"万": 10_000.0, "亿": 100_000_000.0, "千": 1_000.0, "百": 100.0}
_TIME = {
    "秒": 1 / 60,
    "秒钟": 1 / 60,
    "分": 1.0,
    "分钟": 1.0,
    "小时": 60.0,
    "个小时": 60.0,
    "时": 60.0,
    "天": 1440.0,
    "日": 1440.0,
}
_ALIASES = {"％": "%", "百分比": "%", "百分点": "%"}


def norm_unit(unit: str) -> str:
    u = unicodedata.normalize("NFKC", unit or "").strip()
    return _ALIASES.get(u, u)


def _scale(unit: str) -> tuple[float, str]:
    if len(unit) > 1 and unit[0] in _PREFIX:
        return _PREFIX[unit[0]], unit[1:]
    return 1.0, unit


def convert(value: float, from_unit: str, to_unit: str) -> tuple[float, bool]:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (12000人 -> 1.2 万人, 90分钟 -> 1.5 小时).

    Returns the value and whether the units were compatible (an empty unit takes the other's)."""
    if from_unit == to_unit or not from_unit or not to_unit:
        return value, True
    a, b = norm_unit(from_unit), norm_unit(to_unit)
    if a == b or not a or not b:
        return value, True
    if a in _TIME and b in _TIME:
        return value * _TIME[a] / _TIME[b], True
    fa, ra = _scale(a)
    fb, rb = _scale(b)
    if ra == rb:
        return value * fa / fb, True
    return value, False
