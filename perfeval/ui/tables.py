"""Rows for the app's table editors, and applying an editor's delta back to the model.

Streamlit's ``st.data_editor`` reports a change as a delta against the table it was given:
``{"edited_rows": {i: {column: value}}, "added_rows": [{column: value}], "deleted_rows": [i]}``
(positions refer to the table as given).  The app keeps that table fixed for one revision of the
draft and applies the delta here, in a callback, to the pydantic model; the next revision gets a
fresh table built from the model.  Nothing here imports streamlit, so it is tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from ..errors import InvalidFormError
from ..interchange import FUND_KEYS, INDICATOR_KEYS
from ..model import (
    FIELD_LABELS,
    FundRow,
    Indicator,
    SelfEvaluation,
    describe_location,
    validation_messages,
)
from ..rules.fieldnames import FUND_KIND_LABELS

#: Editable columns of the 绩效指标 editor, in printed order (the interchange keys).
INDICATOR_COLUMNS: tuple[str, ...] = INDICATOR_KEYS
#: Editable columns of the 项目资金 editor (the execution rate is computed, not typed).
FUND_COLUMNS: tuple[str, ...] = tuple(k for k in FUND_KEYS if k != "execution_rate")

_TEXT_COLUMNS = frozenset({"level1", "level2", "name", "target", "actual", "deviation", "label"})

EMPTY_DELTA: dict[str, Any] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


def indicator_rows(form: SelfEvaluation) -> list[dict[str, Any]]:
    """The 绩效指标 rows as plain records for the editor (text columns as text, numbers or None)."""
    return [{c: getattr(ind, c) for c in INDICATOR_COLUMNS} for ind in form.indicators]


def fund_rows(form: SelfEvaluation) -> list[dict[str, Any]]:
    """The 项目资金 rows as plain records for the editor."""
    return [{c: getattr(row, c) for c in FUND_COLUMNS} for row in form.funds]


def delta_is_empty(delta: Mapping[str, Any] | None) -> bool:
    """Whether an editor delta changes nothing."""
    if not delta:
        return True
    return not (delta.get("edited_rows") or delta.get("added_rows") or delta.get("deleted_rows"))


def _clean(value: Any) -> Any:
    """Editor cells come back as None, NaN (an emptied number cell) or a value."""
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _merge(model: Any, changes: Mapping[str, Any], columns: Sequence[str], cls: type, where: str) -> Any:
    data = model.model_dump() if model is not None else {}
    for column, value in changes.items():
        if column in columns:
            value = _clean(value)
            if value is None and column in _TEXT_COLUMNS:
                value = ""
            data[column] = value
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise InvalidFormError([f"{where}{m}" for m in validation_messages(exc)]) from None


def _apply(
    items: Sequence[Any],
    delta: Mapping[str, Any],
    columns: Sequence[str],
    cls: type,
    table: str,
    new_item: Mapping[str, Any],
) -> list[Any]:
    edited = {int(k): v for k, v in (delta.get("edited_rows") or {}).items()}
    deleted = {int(i) for i in (delta.get("deleted_rows") or [])}
    out: list[Any] = []
    for i, item in enumerate(items):
        if i in deleted:
            continue
        changes = edited.get(i)
        out.append(_merge(item, changes, columns, cls, f"{table}第{i + 1}行") if changes else item)
    for j, added in enumerate(delta.get("added_rows") or []):
        data = dict(new_item)
        data.update({k: v for k, v in added.items() if _clean(v) is not None})
        out.append(_merge(None, data, columns, cls, f"{table}新增第{j + 1}行"))
    return out


def apply_indicator_delta(form: SelfEvaluation, delta: Mapping[str, Any]) -> SelfEvaluation:
    """A copy of ``form`` with a 绩效指标 editor delta applied.

    Rows keep what the editor does not show (``extra``, e.g. last year's figures of a draft).
    A bad value raises :class:`InvalidFormError` naming the row and column in Chinese."""
    if delta_is_empty(delta):
        return form
    rows = _apply(form.indicators, delta, INDICATOR_COLUMNS, Indicator, FIELD_LABELS["indicators"], {})
    return form.model_copy(update={"indicators": rows})


def apply_fund_delta(form: SelfEvaluation, delta: Mapping[str, Any]) -> SelfEvaluation:
    """A copy of ``form`` with a 项目资金 editor delta applied (a new row defaults to 其他资金)."""
    if delta_is_empty(delta):
        return form
    rows = _apply(
        form.funds,
        delta,
        FUND_COLUMNS,
        FundRow,
        FIELD_LABELS["funds"],
        {"label": "其他资金", "kind": "other"},
    )
    return form.model_copy(update={"funds": rows})


def field_label(path: str) -> str:
    """A Chinese name for an interchange path of a finding: ``indicators.3.score`` -> 绩效指标第4行「得分」,
    ``funds.total.executed`` -> 项目资金「年度资金总额」「全年执行数」.

    Fund rows are named by their kind; the rest is :func:`perfeval.model.describe_location`."""
    parts = path.split(".") if path else []
    if "funds" in parts[:-1]:
        at = parts.index("funds")
        nxt = parts[at + 1]
        kind = FUND_KIND_LABELS.get(nxt, f"第{int(nxt) + 1}行" if nxt.isdigit() else nxt)
        head = describe_location(tuple(_loc(parts[:at])))
        return f"{head}项目资金「{kind}」{field_label('.'.join(parts[at + 2 :]))}"
    return describe_location(tuple(_loc(parts)))


def _loc(parts: Sequence[str]) -> list[int | str]:
    return [int(p) if p.isdigit() else p for p in parts]
