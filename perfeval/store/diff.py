"""Field-level differences between two revisions of a form, summarised in Chinese for the audit trail
(修改记录).

Works on interchange dicts (:func:`perfeval.interchange.form_to_dict`), so it sees exactly what is saved.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from ..interchange import FORM_KEYS, FUND_KEYS, INDICATOR_KEYS
from ..model import FIELD_LABELS

#: How many changes a one-line summary names before it says "等共 N 处修改".
SUMMARY_LIMIT = 5

#: Keys holding rows or a mapping, compared by their own rules below rather than as one value.
_NESTED_KEYS = ("funds", "indicators", "extra")
_FORM_FIELDS = tuple(k for k in FORM_KEYS if k not in _NESTED_KEYS)
#: A fund row's ``kind`` is part of its path (``funds.fiscal``), so it is not compared as a field.
_FUND_FIELDS = tuple(k for k in FUND_KEYS if k != "kind")
_INDICATOR_FIELDS = INDICATOR_KEYS


@dataclass(frozen=True)
class Change:
    """One changed field: ``path`` as in findings (``indicators.3.target``), ``label`` its Chinese name."""

    path: str
    label: str
    before: Any
    after: Any

    def text(self) -> str:
        """``绩效指标第4行「投诉处置满意度」「年度指标值」：=90% → =95%``."""
        if self.before is None and isinstance(self.after, dict):
            return f"{self.label}：新增"
        if self.after is None and isinstance(self.before, dict):
            return f"{self.label}：删除"
        return f"{self.label}：{_show(self.before)} → {_show(self.after)}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "before": self.before, "after": self.after}


def _show(value: Any, limit: int = 30) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    s = s.replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _field(name: str) -> str:
    return f"「{FIELD_LABELS.get(name, name)}」"


def _row_label(kind: str, index: int, row: dict[str, Any]) -> str:
    if kind == "funds":
        return f"项目资金「{row.get('label') or row.get('kind') or index + 1}」"
    name = row.get("name") or ""
    return f"绩效指标第{index + 1}行" + (f"「{name}」" if name else "")


def diff_forms(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """Changes from ``before`` to ``after`` (interchange dicts); ``before=None`` means a new form."""
    if before is None:
        return []
    changes: list[Change] = []
    for key in _FORM_FIELDS:
        if before.get(key) != after.get(key):
            changes.append(Change(key, _field(key), before.get(key), after.get(key)))
    changes += _diff_rows("funds", before.get("funds") or [], after.get("funds") or [], _FUND_FIELDS)
    changes += _diff_rows(
        "indicators", before.get("indicators") or [], after.get("indicators") or [], _INDICATOR_FIELDS
    )
    for key in ("extra",):
        if (before.get(key) or {}) != (after.get(key) or {}):
            changes += _diff_extra(key, before.get(key) or {}, after.get(key) or {})
    return changes


def _row_key(kind: str, row: dict[str, Any]) -> str:
    if kind == "funds":
        return f"{row.get('kind')}|{row.get('label')}"
    return f"{row.get('level1')}|{row.get('level2')}|{row.get('name')}"


def _diff_rows(kind: str, old: list[dict], new: list[dict], fields: tuple[str, ...]) -> list[Change]:
    """Rows are aligned by their names (difflib), so deleting or inserting a row reports that row
    only, not a change in every row after it."""
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(
        a=[_row_key(kind, r) for r in old], b=[_row_key(kind, r) for r in new], autojunk=False
    )
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        paired = (a1 - a0) if tag == "equal" else min(a1 - a0, b1 - b0) if tag == "replace" else 0
        for n in range(paired):
            out += _diff_row(kind, b0 + n, old[a0 + n], new[b0 + n], fields)
        for i in range(a0 + paired, a1):
            out.append(Change(_row_path(kind, i, old[i]), _row_label(kind, i, old[i]), old[i], None))
        for j in range(b0 + paired, b1):
            out.append(Change(_row_path(kind, j, new[j]), _row_label(kind, j, new[j]), None, new[j]))
    return out


def _row_path(kind: str, index: int, row: dict[str, Any]) -> str:
    return f"{kind}.{row.get('kind', index)}" if kind == "funds" else f"{kind}.{index}"


def _diff_row(kind: str, j: int, a: dict, b: dict, fields: tuple[str, ...]) -> list[Change]:
    out = []
    path, label = _row_path(kind, j, b), _row_label(kind, j, b)
    for f in fields:
        if a.get(f) != b.get(f):
            out.append(Change(f"{path}.{f}", label + _field(f), a.get(f), b.get(f)))
    if (a.get("extra") or {}) != (b.get("extra") or {}):
        out.append(Change(f"{path}.extra", label + "「附加信息」", a.get("extra"), b.get("extra")))
    return out


def _diff_extra(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for k in dict.fromkeys([*old, *new]):
        if old.get(k) != new.get(k):
            out.append(Change(f"{key}.{k}", f"附加信息「{k}」", old.get(k), new.get(k)))
    return out


def summarize(changes: list[Change], *, limit: int = SUMMARY_LIMIT) -> str:
    """A one-line Chinese summary: the first ``limit`` changes, then ``等共 N 处修改``."""
    if not changes:
        return "内容无变化"
    head = "；".join(c.text() for c in changes[:limit])
    if len(changes) > limit:
        return f"{head}；等共 {len(changes)} 处修改"
    return head
