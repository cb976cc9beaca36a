"""The model <-> the interchange JSON of the spec (single forms and ``{"forms": [...]}`` bundles).

Round-tripping any valid interchange document gives the same document: the spec's keys are written
in the spec's order (nulls included), and keys the spec does not name are written back as they came.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import InputFormatError, read_file
from .model import MAX_DIGITS, FundRow, Indicator, SelfEvaluation, build_form, lone_surrogate

#: How deep a JSON document may nest (a form needs 4 levels; ``extra`` may add some).  See docs/model.md.
MAX_DEPTH = 64

FORM_KEYS = (
    "year",
    "project_name",
    "project_code",
    "department",
    "implementing_unit",
    "money_unit",
    "funds",
    "goal_planned",
    "goal_actual",
    "indicators",
    "total_weight",
    "total_score",
    "extra",
)
FUND_KEYS = (
    "label",
    "kind",
    "initial_budget",
    "annual_budget",
    "executed",
    "execution_rate",
    "weight",
    "score",
)
INDICATOR_KEYS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
#: Keys the model has beyond the spec; written only when set.
_OPTIONAL_FORM_KEYS = ("source", "parse_warnings")


def _ordered(model: Any, keys: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    out = {k: data[k] for k in keys}
    for k in optional:
        if k in model.model_fields_set or data.get(k):
            out[k] = data[k]
    for k, v in (model.model_extra or {}).items():
        out[k] = v
    return out


def fund_to_dict(row: FundRow) -> dict[str, Any]:
    return _ordered(row, FUND_KEYS)


def indicator_to_dict(row: Indicator) -> dict[str, Any]:
    return _ordered(row, INDICATOR_KEYS, ("extra",))


def form_to_dict(form: SelfEvaluation) -> dict[str, Any]:
    """The interchange view of one form."""
    out = _ordered(form, FORM_KEYS, _OPTIONAL_FORM_KEYS)
    out["funds"] = [fund_to_dict(f) for f in form.funds]
    out["indicators"] = [indicator_to_dict(i) for i in form.indicators]
    return out


def bundle_to_dict(forms: Iterable[SelfEvaluation]) -> dict[str, Any]:
    """``{"forms": [...]}``, the shape ``perfeval parse --json`` prints."""
    return {"forms": [form_to_dict(f) for f in forms]}


def dumps(forms: Iterable[SelfEvaluation] | SelfEvaluation, *, indent: int | None = 1) -> str:
    """Interchange JSON text: a bundle for an iterable, a single form for one form."""
    doc = form_to_dict(forms) if isinstance(forms, SelfEvaluation) else bundle_to_dict(forms)
    return json.dumps(doc, ensure_ascii=False, indent=indent)


def forms_from_document(doc: Any, *, source: str | None = None) -> list[SelfEvaluation]:
    """Forms from a parsed interchange document: one form, ``{"forms": [...]}`` or a list of forms."""
    if isinstance(doc, dict) and "forms" in doc:
        items = doc["forms"]
        if not isinstance(items, list):
            raise InputFormatError("「forms」应为表单列表", english="'forms' must be a list", source=source)
    elif isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict):
        items = [doc]
    else:
        raise InputFormatError(
            "不是绩效自评表的 JSON 数据", english="not an interchange document", source=source
        )
    forms = []
    for i, item in enumerate(items):
        try:
            forms.append(build_form(item, source=source))
        except Exception as exc:  # InvalidFormError: say which form when there are several
            if len(items) > 1 and hasattr(exc, "problems"):
                exc.problems = [f"第{i + 1}张表：{p}" for p in exc.problems]  # type: ignore[attr-defined]
                exc.message = "；".join(exc.problems)  # type: ignore[attr-defined]
                exc.args = (exc.message,)  # type: ignore[attr-defined]
            raise
    return forms


class _BadNumber(Exception):
    def __init__(self, message: str, english: str) -> None:
        super().__init__(message)
        self.message, self.english = message, english


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _BadNumber(
            f"JSON 中有位数过多的整数（{len(text)} 位，上限 {MAX_DIGITS} 位）", "integer too long"
        )
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _BadNumber(f"JSON 中的数值超出范围：{text[:40]}", "number out of range")
    return value


def _constant(text: str) -> Any:
    raise _BadNumber(f"JSON 中不能有 {text}（不是数字）", f"{text} is not a number")


def parse_json(text: str, *, source: str | None = None) -> Any:
    """A JSON document within perfeval's limits: at most :data:`MAX_DEPTH` levels, integers of at most
    ``MAX_DIGITS`` digits, finite numbers (no NaN, Infinity or overflow), no lone surrogate in any
    string.  Anything else raises :class:`InputFormatError` with one Chinese line."""

    def bad(message: str, english: str) -> InputFormatError:
        return InputFormatError(message, english=english, source=source)

    try:
        doc = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _BadNumber as exc:
        raise bad(exc.message, exc.english) from None
    except json.JSONDecodeError as exc:
        raise bad(f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}", "malformed JSON") from None
    except RecursionError:
        raise bad(f"JSON 嵌套层数过多（上限 {MAX_DEPTH} 层）", "nested too deeply") from None
    _check_document(doc, bad)
    return doc


def _check_document(doc: Any, bad: Any) -> None:
    """Depth and lone surrogates, without recursion (a deep document must not overflow the stack)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            char = lone_surrogate(value)
            if char is not None:
                raise bad(f"JSON 中含有无法保存的字符（孤立的代理码位 {char}）", "lone surrogate")
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise bad(f"JSON 嵌套层数过多（上限 {MAX_DEPTH} 层）", "nested too deeply")
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None:
                    stack.append((key, depth))
                stack.append((item, depth + 1))


def loads(text: str, *, source: str | None = None) -> list[SelfEvaluation]:
    """Forms from interchange JSON text; malformed JSON, or JSON beyond the limits of :func:`parse_json`,
    raises :class:`InputFormatError`."""
    return forms_from_document(parse_json(text, source=source), source=source)


def load_path(path: str | Path) -> list[SelfEvaluation]:
    """Forms from an interchange JSON file (UTF-8, with or without a BOM)."""
    p = Path(path)
    raw = read_file(p)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFormatError(
            "文件不是 UTF-8 编码的 JSON", english="not UTF-8 JSON", source=str(p)
        ) from None
    return loads(text, source=str(p))
