"""Grounding: every number in a suggestion must come from the form.

A number counts as found when the form holds it, allowing for the conversions a writer makes:
元 <-> 万元, a fraction written as a percent (1.0 -> 100%), rounding to the decimals printed
(67.12% for 0.67120, 641.23万元 for 6412300元), a 万/亿 multiplier, the completion rate B/A of a row,
the gap between a target and its actual, the year (and the years next to it), and ordinals
(第1、（1）、1.) which are not figures at all.  Other numbers come back as ``UNGROUNDED_NUMBER`` warnings.

Numbers written in Chinese numerals count too: 九万八千七百六十五 (98765), 三成 (30%), 二〇二二 (2022),
十二, 三点五.  A lone digit without a unit (一是, 之一, 两个) and words such as 十分, 千万, 万一 are not figures.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import SelfEvaluation
from ..quantity import parse_quantity
from .base import UNGROUNDED_NUMBER, SuggestionWarning

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
#: A list marker or an ordinal: 第3, （2）, 1、 or "1." at the start of a clause.
_ORDINAL_BEFORE = re.compile(r"(第|[（(])\s*$")
_ORDINAL_AFTER = re.compile(r"^\s*([）)]|、|\.(?!\d))")
_CLAUSE_START = re.compile(r"(^|[。；;：:，,\n])\s*$")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile("[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
#: Words made of numeral characters that are not figures.
_CN_WORDS = ("一成不变", "一一", "千方百计", "万无一失", "一五一十", "三三两两", "十全十美", "九牛一毛")


def chinese_value(numeral: str) -> float | None:
    """The value of a Chinese numeral: 九万八千七百六十五 -> 98765, 二〇二二 -> 2022, 三点五 -> 3.5."""
    whole, _, fraction = numeral.partition("点")
    if not whole or any(ch not in _CN_DIGITS for ch in fraction):
        return None
    if all(ch in _CN_DIGITS for ch in whole):  # positional: 二〇二二
        value = float("".join(str(_CN_DIGITS[ch]) for ch in whole))
    else:
        total = section = number = 0
        for ch in whole:
            if ch in _CN_DIGITS:
                number = _CN_DIGITS[ch]
            elif ch in _CN_UNITS:
                section += (number or 1) * _CN_UNITS[ch]
                number = 0
            elif ch == "万":
                total += (section + number) * 10_000
                section = number = 0
            else:  # 亿
                total = (total + section + number) * 100_000_000
                section = number = 0
        value = float(total + section + number)
    if fraction:
        value += float("0." + "".join(str(_CN_DIGITS[ch]) for ch in fraction))
    return value


def _chinese_numbers(s: str) -> Iterator[tuple[str, float, int, str]]:
    for m in _CN_NUMBER.finditer(s):
        run, after = m.group(0), s[m.end() : m.end() + 4]
        around = s[max(0, m.start() - 3) : m.end() + 3]
        if any(w in around for w in _CN_WORDS) or s[max(0, m.start() - 1) : m.start()] == "第":
            continue
        whole = run.partition("点")[0]
        has_digit = any(ch in _CN_DIGITS for ch in whole)
        counted = any(ch in "十百千万亿" for ch in whole)
        starts_well = whole[0] in _CN_DIGITS or (whole[0] == "十" and len(run) > 1)
        if not starts_well or not (
            (counted and (has_digit or len(run) > 1))
            or (not counted and len(whole) >= 2)
            or (has_digit and after.startswith("成"))
            or "点" in run
        ):
            continue
        value = chinese_value(run)
        if value is not None:
            printed = run + "成" if after.startswith("成") else run
            yield printed, value, len(run.partition("点")[2]), after


def numbers_in(text: str) -> Iterator[tuple[str, float, int, str]]:
    """Each number in ``text``: (as printed, value, decimals printed, the text right after it), Arabic
    numerals first, then Chinese ones.

    Ordinals and list markers are skipped."""
    s = _normalise(text)
    yield from _arabic_numbers(s)
    yield from _chinese_numbers(s)


def _arabic_numbers(s: str) -> Iterator[tuple[str, float, int, str]]:
    for m in _NUMBER.finditer(s):
        before, after = s[max(0, m.start() - 3) : m.start()], s[m.end() : m.end() + 4]
        if _ORDINAL_BEFORE.search(before) and (before.endswith("第") or _ORDINAL_AFTER.match(after)):
            continue
        if _ORDINAL_AFTER.match(after) and _CLAUSE_START.search(before) and len(m.group(0)) <= 2:
            continue
        printed = m.group(0)
        decimals = len(m.group(2)) - 1 if m.group(2) else 0
        yield printed, float(printed.replace(",", "")), decimals, after


def _text_values(value: Any) -> Iterator[float]:
    """Numbers in any text or nested structure (the form's free text and extras)."""
    if isinstance(value, str):
        for _, v, _, after in numbers_in(value):
            yield v
            if after.startswith("万元"):
                yield v * 1e4
            elif after.startswith("元"):
                yield v / 1e4
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        if math.isfinite(value):
            yield float(value)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _text_values(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _text_values(v)


def form_numbers(form: SelfEvaluation, extra_values: Iterable[float] = ()) -> set[float]:
    """Every number a suggestion about ``form`` may use, with its usual conversions."""
    pool: set[float] = set(extra_values)
    pool.update({float(form.year), float(form.year + 1), float(form.year - 1)})
    pool.update({float(len(form.indicators)), float(len(form.funds))})
    wan = 1e4
    money_to_wan = 1 / wan if form.money_unit == "元" else 1.0
    money_to_yuan = wan if form.money_unit == "万元" else 1.0
    for f in form.funds:
        money = [f.initial_budget, f.annual_budget, f.executed]
        for m in money:
            if m is not None:
                pool.update({float(m), m * money_to_wan, m * money_to_yuan})
        if f.initial_budget is not None and f.annual_budget is not None:
            d = abs(f.initial_budget - f.annual_budget)
            pool.update({d, d * money_to_wan, d * money_to_yuan})
        if f.annual_budget is not None and f.executed is not None:
            d = abs(f.annual_budget - f.executed)
            pool.update({d, d * money_to_wan, d * money_to_yuan})
            if f.annual_budget:
                rate = f.executed / f.annual_budget
                pool.update({rate, rate * 100})
        for v in (f.execution_rate,):
            if v is not None:
                pool.update({float(v), v * 100})
        for v in (f.weight, f.score):
            if v is not None:
                pool.add(float(v))
    for v in (form.total_weight, form.total_score):
        if v is not None:
            pool.add(float(v))
    for ind in form.indicators:
        for v in (ind.weight, ind.score):
            if v is not None:
                pool.add(float(v))
        t, a = parse_quantity(ind.target), parse_quantity(ind.actual)
        if t.value is not None and a.value is not None:
            pool.add(abs(t.value - a.value))
            if t.value:
                pool.add(a.value / t.value * 100)
            if a.value:
                pool.add(t.value / a.value * 100)
        for text in (ind.target, ind.actual, ind.name, ind.level1, ind.level2, ind.deviation):
            pool.update(_text_values(text))
        pool.update(_text_values(ind.extra))
    for text in (form.project_name, form.project_code or "", form.department, form.implementing_unit):
        pool.update(_text_values(text))
    for text in (form.goal_planned, form.goal_actual):
        pool.update(_text_values(text))
    pool.update(_text_values(form.extra))
    return {v for v in pool if math.isfinite(v)}


def _found(value: float, decimals: int, pool: set[float]) -> bool:
    tolerance = 0.5 * 10.0**-decimals + 1e-9
    return any(abs(value - v) <= tolerance for v in pool)


def ungrounded_numbers(text: str, form: SelfEvaluation, extra_values: Iterable[float] = ()) -> list[str]:
    """The numbers of ``text`` (as printed) that the form does not hold, in order, without repeats."""
    pool = form_numbers(form, extra_values)
    out: list[str] = []
    for printed, value, decimals, after in numbers_in(text):
        candidates = [value]
        if after.startswith("成"):  # 三成 is 30 (%), not 3
            candidates = [value * 10]
        elif after.startswith("万") and not after.startswith("万元"):
            candidates.append(value * 1e4)
        elif after.startswith("亿"):
            candidates.append(value * 1e8)
        if any(_found(c, decimals, pool) for c in candidates):
            continue
        if printed not in out:
            out.append(printed)
    return out


def grounding_warnings(
    text: str, form: SelfEvaluation, extra_values: Iterable[float] = ()
) -> list[SuggestionWarning]:
    """``UNGROUNDED_NUMBER`` warnings for the numbers of ``text`` not found in ``form``."""
    return [
        SuggestionWarning(
            code=UNGROUNDED_NUMBER,
            number=n,
            message=f"数字「{n}」在表中找不到出处，请核对后再采用",
        )
        for n in ungrounded_numbers(text, form, extra_values)
    ]
