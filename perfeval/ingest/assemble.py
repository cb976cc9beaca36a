"""Table cells -> forms, by label anchors.  Shared by every positioned source (PDF, XLSX, DOCX).

The input is a sequence of pages, each a list of blocks (:class:`~perfeval.ingest.grid.Table` and
:class:`~perfeval.ingest.grid.TextLine`) from top to bottom.  Rows are read in order and recognised by
their labels (:mod:`perfeval.ingest.vocab`), never by fixed positions:

- a title (``…绩效自评表``) starts a form; ``（2022年度）`` gives its year;
- ``项目名称`` / ``主管部门`` / ``实施单位`` / ``项目负责人`` … are followed by their value cell;
- a row of funds headers (年初预算数, 全年预算数（A）, 调整后预算数 …) fixes the funds columns, and rows
  labelled 年度资金总额 / 其中：当年财政拨款 / 财政资金 … are read against them;
- 预期目标 | 实际完成情况 (or 项目年度目标 | 年度目标完成情况) headers fix the goal columns;
- a row of indicator headers (一级指标 … 偏差原因分析及改进措施, in any order, with Sichuan's
  指标性质/指标值/度量单位) fixes the indicator columns; each following row is an indicator until
  the 总分 / 合计 row;
- 评价结论 / 存在问题 / 改进措施 and ``项目负责人：`` / ``财务负责人：`` go to ``form.extra``.

Columns are matched by horizontal position (points for PDF, column numbers for spreadsheets), so a
table that continues on the next page (with or without its header repeated) is read with the
columns of the page before.  Merged level-1/level-2 cells split by a page break take the label from
whichever part printed it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import FIELD_LABELS, InvalidFormError, SelfEvaluation, build_form, read_number, read_rate
from ..taxonomy import LEVEL1_NAMES, LEVEL2_NAMES, canonical_level, printed_level_weight
from .grid import Block, Cell, Table, TextLine
from .vocab import (
    clean_text,
    form_label,
    fund_column,
    fund_kind,
    fund_row_label,
    indicator_column,
    is_title,
    money_unit,
    norm_label,
    split_project_code,
    strip_seal,
    title_year,
)

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页\s*[,，/]?\s*(?:共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_INLINE = re.compile(
    r"(项目负责人(?:及电话)?|财务负责人|单位负责人|填表人|联系电话|填报日期)\s*[:：]\s*(.*?)(?=\s*(?:项目负责人|财务负责人|单位负责人|填表人|联系电话|填报日期)\s*[:：]|$)"
)
_INLINE_KEYS = {
    "项目负责人": "project_leader",
    "项目负责人及电话": "project_leader",
    "财务负责人": "finance_leader",
    "单位负责人": "unit_leader",
    "填表人": "filled_by",
    "联系电话": "phone",
    "填报日期": "date",
}
_KNOWN_LEVELS = frozenset((*LEVEL1_NAMES, *LEVEL2_NAMES))
_TEXT_FIELDS = ("project_name", "department", "implementing_unit")
_EXTRA_FIELDS = (
    "conclusion",
    "problems",
    "improvements",
    "implementation_summary",
    "project_leader",
    "finance_leader",
)


@dataclass
class _Col:
    field: str
    x0: float
    x1: float
    label: str = ""


@dataclass
class _IndRow:
    values: dict[str, str]
    level_keys: dict[str, tuple[int, int, int]]
    table: int
    at_table_start: bool
    at_table_end: bool
    """Whether the row was the last row of its page's table (and might continue on the next page)."""


@dataclass
class _Draft:
    """A form being assembled."""

    pages: list[int] = field(default_factory=list)
    title: str = ""
    year: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    funds: list[dict[str, Any]] = field(default_factory=list)
    funds_reason: str = ""
    goal_planned: list[str] = field(default_factory=list)
    goal_actual: list[str] = field(default_factory=list)
    ind_rows: list[_IndRow] = field(default_factory=list)
    ind_columns: list[str] = field(default_factory=list)
    total_weight: str = ""
    total_score: str = ""
    """The printed 总分/合计 weight and score (parsed when the form is built)."""
    saw_total: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    signoff: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    template_hint: str | None = None

    def has_content(self) -> bool:
        return bool(self.fields or self.funds or self.ind_rows)

    def is_form(self) -> bool:
        """Whether this is a form and not a few labels in some grid: it has a title or a year, or it has
        funds or indicator rows.  (A label cell such as ``项目名称 | 年度`` alone made 「2000年度 年度」.)"""
        return bool(self.ind_rows or self.funds or (self.fields and (self.title or self.year)))


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _assign(cells: list[Cell], cols: list[_Col]) -> dict[str, str]:
    """Texts of a row's cells by the column each overlaps most (several cells of one column are joined)."""
    out: dict[str, list[str]] = {}
    for c in cells:
        best, best_ov = None, 0.0
        for col in cols:
            ov = _overlap(c.x0, c.x1, col.x0, col.x1)
            if ov > best_ov:
                best, best_ov = col, ov
        if best is not None and c.text.strip():
            out.setdefault(best.field, []).append(c.text)
    return {k: "\n".join(v) for k, v in out.items()}


class _Assembler:
    def __init__(self, source_name: str | None, kind: str) -> None:
        self.source_name = source_name
        self.kind = kind
        self.forms: list[_Draft] = []
        self.cur = _Draft()
        self.state = "head"
        self.fund_cols: list[_Col] = []
        self.ind_cols: list[_Col] = []
        self.goal_cols: list[_Col] = []
        self.table_serial = 0
        self.page = 0
        #: Rows with content read so far in the current table (headers, titles and blanks not counted).
        self.data_rows = 0
        #: ``(table serial, page, kind of its last row)`` of the table before the current one.
        self.prev_table: tuple[int, int, str | None] | None = None
        #: A level cell on a continuation page -> the level cell of the row it continues (a merged
        #: level-1/level-2 cell cut by a page break is one cell).
        self.level_alias: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        #: A title met in the middle of a form's indicator table: the title repeated on a continuation
        #: page (print titles) unless a new form's header rows follow it.
        self.pending: tuple[str, int | None] | None = None

    # -- form boundaries
    def _new_form(self) -> None:
        if self.cur.has_content():
            self.forms.append(self.cur)
        self.cur = _Draft()
        self.state = "head"
        self.goal_cols = []

    def _touch_page(self) -> None:
        if self.page and (not self.cur.pages or self.cur.pages[-1] != self.page):
            self.cur.pages.append(self.page)

    # -- input
    def feed_page(self, page_number: int, blocks: Iterable[Block]) -> None:
        self.page = page_number
        for block in blocks:
            if isinstance(block, TextLine):
                self._text_line(block.text)
            else:
                self._table(block)

    def _text_line(self, text: str) -> None:
        s = text.strip()
        if not s or _PAGE_NUMBER.match(s):
            return
        if is_title(s):
            self._title(s)
            return
        year = title_year(s)
        if year and len(norm_label(s)) <= 12:
            if self.pending is not None:
                self.pending = (self.pending[0], year)
            elif self.cur.year is None:
                self.cur.year = year
            return
        if _INLINE.search(s):
            self._inline(s)
            return
        unit = money_unit(s)
        if unit and len(norm_label(s)) <= 12:
            self.cur.unit = self.cur.unit or unit

    def _title(self, text: str) -> None:
        if self.cur.has_content() and self.state == "indicators" and not self.cur.saw_total:
            self.pending = (text, None)
            return
        self._start(text)

    def _resolve_pending(self, new_form: bool) -> None:
        """Settle a deferred title: start the new form it belongs to, or drop it as a repeat."""
        if self.pending is None:
            return
        text, year = self.pending
        self.pending = None
        if new_form:
            self._start(text)
            if year and title_year(text) is None:
                self.cur.year = year

    def _start(self, text: str) -> None:
        self._new_form()
        self._touch_page()
        label = norm_label(text)
        year = title_year(label)
        self.cur.title = re.sub(r"\(?((?:19|20)\d{2})年度?\)?", "", label).strip()
        if year:
            self.cur.year = year
        if "部门预算项目支出" in label:
            self.cur.template_hint = "sichuan-2023"

    def _inline(self, text: str) -> None:
        for m in _INLINE.finditer(text):
            key = _INLINE_KEYS.get(re.sub(r"\s", "", m.group(1)))
            value = clean_text(m.group(2))
            if key in ("project_leader", "finance_leader"):
                self.cur.extra[key] = value
            elif key:
                self.cur.signoff[key] = value

    def _table(self, table: Table) -> None:
        self.table_serial += 1
        self.data_rows = 0
        last_kind: str | None = None
        for r, row in enumerate(table.rows()):
            kind = self._row(table, r, row)
            if kind not in _NOT_DATA:
                self.data_rows += 1
                last_kind = kind
        if (
            last_kind == "indicator"
            and self.cur.ind_rows
            and self.cur.ind_rows[-1].table == self.table_serial
        ):
            self.cur.ind_rows[-1].at_table_end = True
        self.prev_table = (self.table_serial, table.page, last_kind)

    # -- one row
    def _row(self, table: Table, r: int, row: list[Cell]) -> str:
        own = [c for c in row if c.row == r]
        if not any(c.text.strip() for c in own):
            return "blank"
        # title inside the table
        for c in own:
            if is_title(c.text) and len(norm_label(c.text)) <= 40:
                self._title(c.text)
                rest = [x for x in own if x is not c]
                if not rest:
                    return "title"
        filled = [c for c in own if c.text.strip()]
        if len(filled) == 1 and len(norm_label(filled[0].text)) <= 14:
            only = filled[0].text
            if _PAGE_NUMBER.match(only.strip()) and not self._continued_row(table):  # not a cut-off `4`
                return "blank"
            if title_year(only) and not form_label(only):
                if self.pending is not None:
                    self.pending = (self.pending[0], title_year(only))
                elif self.cur.year is None:
                    self.cur.year = title_year(only)
                return "year"
            if money_unit(only) and not form_label(only):  # （单位：万元） above the funds table
                self.cur.unit = self.cur.unit or money_unit(only)
                return "unit"
        labels = [form_label(c.text) for c in row]
        if self.pending is not None:
            # a new form's head rows follow a real title; anything else means the title was repeated
            heads = {"department", "implementing_unit", "funds", "goal"}
            name = next((c for c, lab in zip(row, labels, strict=True) if lab == "project_name"), None)
            same = name is not None and self._value_after(row, name) == self.cur.fields.get("project_name")
            self._resolve_pending(bool(heads & set(filter(None, labels))) or (name is not None and not same))
        self._touch_page()
        # funds header
        fcols = [(c, fund_column(c.text)) for c in row]
        money_cols = [f for _, f in fcols if f in ("initial_budget", "annual_budget", "executed")]
        if len(money_cols) >= 2:
            self.fund_cols = self._columns(table, [(c, f) for c, f in fcols if f])
            for c in row:
                self.cur.unit = self.cur.unit or money_unit(c.text)
            self.state = "funds"
            return "funds_header"
        # indicator header
        icols = [(c, indicator_column(c.text)) for c in row if c.row == r or c.rowspan == 1]
        found = [f for _, f in icols if f]
        if len(set(found)) >= 4 and ("name" in found or "level1" in found):
            self.ind_cols = self._columns(table, [(c, f) for c, f in icols if f])
            if not self.cur.ind_columns:
                self.cur.ind_columns = [f for _, f in icols if f]
            self.state = "indicators"
            return "indicator_header"
        # goal header: 预期目标 | 实际完成情况
        if "goal_planned" in labels and "goal_actual" in labels:
            self.goal_cols = self._columns(
                table,
                [
                    (c, lab)
                    for c, lab in zip(row, labels, strict=True)
                    if lab in ("goal_planned", "goal_actual")
                ],
            )
            self.state = "goal"
            return "goal_header"
        # total row
        if any(lab == "total" for c, lab in zip(row, labels, strict=True) if c.row == r):
            self._total(row)
            self.state = "tail"
            return "total"
        # a funds row
        if self.state == "funds":
            for c in own:
                kind = fund_kind(c.text)
                if kind:
                    self._fund(row, c, kind)
                    return "fund"
        # label -> value pairs
        if self._pairs(row, labels, r):
            return "labels"
        if self.state == "goal":
            vals = _assign(own, self.goal_cols)
            if vals.get("goal_planned"):
                self.cur.goal_planned.append(vals["goal_planned"])
            if vals.get("goal_actual"):
                self.cur.goal_actual.append(vals["goal_actual"])
            return "goal"
        if self.state == "indicators":
            self._indicator(table, r, row)
            return "indicator"
        for c in own:
            if _INLINE.search(c.text):
                self._inline(clean_text(c.text))
        return "other"

    def _columns(self, table: Table, pairs: list[tuple[Cell, str]]) -> list[_Col]:
        cols = [_Col(f, c.x0, c.x1, c.text) for c, f in pairs]
        # Text-position tables (no ruling lines): columns reach halfway to their neighbours.
        if not table.ruled:
            cols.sort(key=lambda c: c.x0)
            for a, b in zip(cols, cols[1:], strict=False):
                mid = (a.x1 + b.x0) / 2
                a.x1, b.x0 = mid, mid
            cols[0].x0 = float("-inf")
            cols[-1].x1 = float("inf")
        return cols

    @staticmethod
    def _value_after(row: list[Cell], label: Cell) -> str:
        after = row[row.index(label) + 1 :]
        return next((c.text for c in after if c.text.strip()), "")

    def _pairs(self, row: list[Cell], labels: list[str | None], r: int) -> bool:
        """``label | value`` cells: 项目名称, 主管部门, 实施单位, 评价结论 … and inline ``项目负责人：…``."""
        hit = False
        for i, (c, lab) in enumerate(zip(row, labels, strict=True)):
            if c.row != r:
                continue
            if lab in (
                "project_name",
                "department",
                "implementing_unit",
                *_EXTRA_FIELDS,
                "goal",
                "goal_planned",
            ):
                if lab in ("project_leader", "finance_leader") and _INLINE.search(c.text):
                    continue
                value = None
                for nxt, nlab in zip(row[i + 1 :], labels[i + 1 :], strict=True):
                    if nlab is not None and nlab not in ("goal",) and nxt.text.strip():
                        break
                    if nxt.text.strip():
                        value = nxt
                        break
                if lab == "goal":
                    hit = hit or value is None
                    if value is not None and self.state != "goal":
                        self.cur.goal_planned.append(value.text)
                        hit = True
                    continue
                if lab == "goal_planned":
                    if value is not None:
                        self.cur.goal_planned.append(value.text)
                        hit = True
                    continue
                hit = True
                text = value.text if value is not None else ""
                if lab in _TEXT_FIELDS:
                    if lab == "project_name" and self.cur.fields.get("project_name") and self.cur.ind_rows:
                        if text == self.cur.fields["project_name"] and not self.cur.saw_total:
                            continue  # the head rows repeated on a continuation page
                        self._new_form()  # a second form without a title of its own
                        self._touch_page()
                    elif lab in self.cur.fields and self.cur.ind_rows and not self.cur.saw_total:
                        continue
                    self.cur.fields[lab] = text
                else:
                    self.cur.extra[lab] = clean_text(text)
                if self.state in ("funds", "goal", "indicators") and lab in _TEXT_FIELDS:
                    self.state = "head"
        for c in row:
            if c.row == r and _INLINE.search(c.text):
                self._inline(clean_text(c.text))
                hit = True
        return hit

    # -- blocks
    def _fund(self, row: list[Cell], label_cell: Cell, kind: str) -> None:
        vals = _assign([c for c in row if c is not label_cell and c.x0 >= label_cell.x0], self.fund_cols)
        item: dict[str, Any] = {"label": fund_row_label(clean_text(label_cell.text)), "kind": kind}
        n = len(self.cur.funds) + 1
        for key in ("initial_budget", "annual_budget", "executed", "execution_rate", "weight", "score"):
            raw = clean_text(vals.get(key, ""))
            try:
                value = _read_rate(raw) if key == "execution_rate" else _read_number(raw)
            except ValueError:
                self.cur.warnings.append(f"项目资金第{n}行「{FIELD_LABELS[key]}」不是数字：{raw!r}，已留空")
                value = None
            if value is not None and key in ("initial_budget", "annual_budget", "executed") and value < 0:
                self.cur.warnings.append(f"项目资金第{n}行「{FIELD_LABELS[key]}」为负数：{raw!r}，已留空")
                value = None
            item[key] = value
        reason = clean_text(vals.get("reason", ""))
        if reason and reason not in ("/", "—") and not self.cur.funds_reason:
            self.cur.funds_reason = reason
        self.cur.funds.append(item)

    def _continued_row(self, table: Table) -> str | None:
        """The kind of row (``indicator`` or ``total``) that the current row continues, when it is the
        first row of a table on a new page and the previous table, on the page before, ended with a
        row of that kind: a word processor lets a row break across pages, so the rest of its wrapped
        texts sits under the repeated header on the next page."""
        prev = self.prev_table
        if (
            self.data_rows
            or prev is None
            or prev[0] != self.table_serial - 1
            or prev[1] == table.page
            or prev[2] not in ("indicator", "total")
        ):
            return None
        if prev[2] == "indicator" and not (self.cur.ind_rows and self.cur.ind_rows[-1].at_table_end):
            return None
        if prev[2] == "total" and not self.cur.saw_total:  # a new form began in between
            return None
        return prev[2]

    def _indicator(self, table: Table, r: int, row: list[Cell]) -> None:
        vals = _assign(row, self.ind_cols)
        keys: dict[str, tuple[int, int, int]] = {}
        for level in ("level1", "level2"):
            col = next((c for c in self.ind_cols if c.field == level), None)
            if col is None:
                continue
            best = max(row, key=lambda c: _overlap(c.x0, c.x1, col.x0, col.x1), default=None)
            if best is not None and _overlap(best.x0, best.x1, col.x0, col.x1) > 0:
                key = (self.table_serial, best.row, best.col)
                keys[level] = self.level_alias.get(key, key)
                vals[level] = best.text
        own_values = {k: v for k, v in vals.items() if k not in ("level1", "level2") and v.strip()}
        continued = self._continued_row(table)
        if continued == "total" and not own_values.get("name"):
            self._total_continued(vals)
            return
        if (
            continued == "indicator"
            and not own_values.get("weight")
            and not (own_values.get("name") and own_values.get("score"))
        ):
            self._row_continued(vals, keys)
            return
        if not own_values:
            return
        first_data = not any(x.table == self.table_serial for x in self.cur.ind_rows)
        prev = self.cur.ind_rows[-1] if self.cur.ind_rows else None
        if (
            not table.ruled
            and prev is not None
            and not any(own_values.get(k) for k in ("target", "actual", "weight", "score", "value", "nature"))
        ):
            # a wrapped line of the row above, in a table without ruling lines
            for key, text in own_values.items():
                prev.values[key] = f"{prev.values.get(key, '')}\n{text}"
            return
        self.cur.ind_rows.append(_IndRow(vals, keys, self.table_serial, first_data, False))

    def _row_continued(self, vals: dict[str, str], keys: dict[str, tuple[int, int, int]]) -> None:
        """Append the texts of a row's continuation to the row above, column by column; a level cell
        of the continuation is the same (merged) cell as the one above it, for every row it covers."""
        prev = self.cur.ind_rows[-1]
        for key, text in vals.items():
            if key not in ("level1", "level2"):
                if text.strip():
                    prev.values[key] = _join(prev.values.get(key, ""), text)
                continue
            old, new = prev.level_keys.get(key), keys.get(key)
            if old is None:
                continue
            if new is not None and new != old:
                self.level_alias[new] = old
            if text.strip():
                for x in self.cur.ind_rows:
                    if x.level_keys.get(key) == old:
                        x.values[key] = _join(x.values.get(key, ""), text)
        # The cut is mended: the level cells the break split are known, no guessing across it.
        prev.at_table_end = False

    def _total_continued(self, vals: dict[str, str]) -> None:
        """Append a continuation of the 总分/合计 row (``97.4`` | ``4`` -> ``97.44``) to it."""
        if vals.get("weight", "").strip():
            self.cur.total_weight = _join(self.cur.total_weight, vals["weight"])
        if vals.get("score", "").strip():
            self.cur.total_score = _join(self.cur.total_score, vals["score"])
        self.state = "tail"

    def _total(self, row: list[Cell]) -> None:
        self.cur.saw_total = True
        vals = (
            _assign([c for c in row if form_label(c.text) != "total"], self.ind_cols) if self.ind_cols else {}
        )
        weight, score = vals.get("weight"), vals.get("score")
        if weight is None and score is None:
            nums = [c.text for c in row if _is_number(c.text)]
            if len(nums) >= 2:
                weight, score = nums[-2], nums[-1]
            elif nums:
                score = nums[-1]
        self.cur.total_weight, self.cur.total_score = weight or "", score or ""

    # -- output
    def finish(self) -> list[SelfEvaluation]:
        self.pending = None
        if self.cur.has_content():
            self.forms.append(self.cur)
        return [self._build(draft) for draft in self.forms if draft.is_form()]

    def _build(self, d: _Draft) -> SelfEvaluation:
        warnings = list(d.warnings)
        year = d.year
        if year is None:
            warnings.append("未找到表头的年度（如「（2022年度）」）")
            year = 2000
        name = clean_text(d.fields.get("project_name", ""))
        code, name = split_project_code(name)
        unit = d.unit
        if unit is None:
            if d.funds:
                warnings.append("未找到资金单位（元/万元），按「元」处理")
            unit = "元"
        indicators, template_cols = self._indicators(d, warnings)
        totals = {}
        for key, label, raw in (
            ("total_weight", "分值", d.total_weight),
            ("total_score", "得分", d.total_score),
        ):
            try:
                totals[key] = _read_number(clean_text(raw))
            except ValueError:
                warnings.append(f"总分行「{label}」不是数字：{clean_text(raw)!r}，已留空")
                totals[key] = None
        template = d.template_hint or (
            "sichuan-2023"
            if "nature" in template_cols or any(f["kind"] in ("special_account", "unit") for f in d.funds)
            else "central"
        )
        if not d.ind_rows:
            warnings.append("未找到绩效指标")
        if not d.saw_total and d.ind_rows:
            warnings.append("未找到总分（合计）行")
        extra = {k: v for k, v in d.extra.items() if v}
        if d.funds_reason:
            extra["funds_reason"] = d.funds_reason
        if any(d.signoff.values()):
            extra["signoff"] = d.signoff
        layout: dict[str, Any] = {}
        if template_cols:
            layout["indicator_columns"] = template_cols
        if any(printed_level_weight(r.values.get("level1")) is not None for r in d.ind_rows):
            layout["level1_weights"] = True
        if d.title:
            layout["title"] = d.title
        source: dict[str, Any] = {"template": template, "layout": layout}
        if self.source_name:
            source = {"file": self.source_name, **source}
        if self.kind == "pdf":
            source["pages"] = d.pages
        data = {
            "year": year,
            "project_name": name,
            "project_code": code,
            "department": clean_text(d.fields.get("department", "")),
            "implementing_unit": strip_seal(clean_text(d.fields.get("implementing_unit", ""))),
            "money_unit": unit,
            "funds": d.funds,
            "goal_planned": clean_text("\n".join(d.goal_planned)),
            "goal_actual": clean_text("\n".join(d.goal_actual)),
            "indicators": indicators,
            **totals,
            "extra": extra,
            "source": source,
            "parse_warnings": warnings,
        }
        try:
            return build_form(data, source=self.source_name)
        except InvalidFormError as exc:  # pragma: no cover - values are read defensively above
            data["parse_warnings"] = [*warnings, *exc.problems]
            data["funds"], data["indicators"] = [], []
            return build_form(data, source=self.source_name)

    def _indicators(self, d: _Draft, warnings: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
        rows = d.ind_rows
        levels: dict[str, list[str]] = {}
        for level in ("level1", "level2"):
            levels[level] = _fill_levels(rows, level)
        out = []
        for i, row in enumerate(rows):
            v = {k: clean_text(t) for k, t in row.values.items()}
            item: dict[str, Any] = {
                "level1": canonical_level(levels["level1"][i]),
                "level2": canonical_level(levels["level2"][i]),
                "name": v.get("name", ""),
                "actual": v.get("actual", ""),
                "deviation": v.get("deviation", ""),
            }
            if "nature" in v or "unit" in v or ("value" in v and "target" not in v):
                nature, value, unit = v.get("nature", ""), v.get("value", ""), v.get("unit", "")
                item["target"] = v.get("target") or (value if nature == "定性" else f"{nature}{value}{unit}")
                if "nature" in v or "unit" in v:
                    item["extra"] = {"nature": nature, "value": value, "unit": unit}
            else:
                item["target"] = v.get("target", "")
            for key, label in (("weight", "分值"), ("score", "得分")):
                raw = v.get(key, "")
                try:
                    num = _read_number(raw)
                except ValueError:
                    warnings.append(f"绩效指标第{i + 1}行「{label}」不是数字：{raw!r}，已留空")
                    num = None
                if num is not None and key == "weight" and num < 0:
                    warnings.append(f"绩效指标第{i + 1}行「分值」为负数：{raw!r}，已留空")
                    num = None
                item[key] = num
            if not item["name"]:
                warnings.append(f"绩效指标第{i + 1}行没有三级指标名称")
            if item["weight"] is None:
                warnings.append(f"绩效指标第{i + 1}行没有分值")
            out.append(item)
        cols = [c for c in d.ind_columns if c]
        return out, list(dict.fromkeys(cols))


#: Row kinds that are not content rows of a table (a continuation is the first content row on its page).
_NOT_DATA = frozenset(("blank", "title", "year", "unit", "funds_header", "indicator_header", "goal_header"))


def _join(text: str, more: str) -> str:
    """A cell's text continued by more lines (``clean_text`` joins the wrap later)."""
    return f"{text}\n{more}" if text.strip() else more


_UNIT_SUFFIX = re.compile(r"\s*(?:万元|元|分)$")


def _read_number(text: str) -> Any:
    """A printed amount, weight or score; a unit printed after it (``90万元``, ``10分``) is dropped."""
    try:
        return read_number(text)
    except ValueError:
        return read_number(_UNIT_SUFFIX.sub("", text))


def _read_rate(text: str) -> Any:
    """An execution rate as a fraction; ``99.97`` printed without ``%`` is read as a percentage."""
    value = read_rate(text)
    if value is not None and "%" not in text and "％" not in text and value > 2:
        return round(value / 100, 10)
    return value


def _is_number(text: str) -> bool:
    try:
        return _read_number(clean_text(text)) is not None
    except ValueError:
        return False


def _known_level(text: str) -> bool:
    return canonical_level(text) in _KNOWN_LEVELS


def _fill_levels(rows: list[_IndRow], level: str) -> list[str]:
    """Level labels for every row: a merged cell gives its label to each row it covers; a part of a
    merged cell split by a page break takes the label printed on the other part; a row left blank
    otherwise takes the label above it (or below, for the first rows)."""
    groups: list[list[int]] = []
    for i, row in enumerate(rows):
        key = row.level_keys.get(level)
        if groups and key is not None and rows[groups[-1][0]].level_keys.get(level) == key:
            groups[-1].append(i)
        else:
            groups.append([i])
    text = [clean_text(rows[g[0]].values.get(level, "")) for g in groups]
    filled = list(text)
    for gi in range(len(groups) - 1):
        # one merged cell split by a page break, its label's lines printed on both sides of the break
        a, b = rows[groups[gi][-1]], rows[groups[gi + 1][0]]
        if text[gi] and text[gi + 1] and a.at_table_end and b.at_table_start and a.table != b.table:
            joined = text[gi] + text[gi + 1]
            if _known_level(joined) and not (_known_level(text[gi]) and _known_level(text[gi + 1])):
                filled[gi] = filled[gi + 1] = joined
            # the whole label on one side (a spreadsheet clips a merged cell to each page's part
            # and the text is whole where its middle is), a piece of it on the other
            elif (
                _known_level(text[gi]) and text[gi].endswith(text[gi + 1]) and not _known_level(text[gi + 1])
            ):
                filled[gi + 1] = text[gi]
            elif (
                _known_level(text[gi + 1])
                and text[gi + 1].startswith(text[gi])
                and not _known_level(text[gi])
            ):
                filled[gi] = text[gi + 1]
    for gi, g in enumerate(groups):
        if filled[gi]:
            continue
        first, last = rows[g[0]], rows[g[-1]]
        if gi > 0 and first.at_table_start and rows[groups[gi - 1][-1]].table != first.table and text[gi - 1]:
            filled[gi] = text[gi - 1]
        elif (
            gi + 1 < len(groups)
            and last.at_table_end
            and rows[groups[gi + 1][0]].table != last.table
            and text[gi + 1]
        ):
            filled[gi] = text[gi + 1]
    for gi in range(len(groups)):  # forward, then backward fill
        if not filled[gi] and gi > 0:
            filled[gi] = filled[gi - 1]
    for gi in range(len(groups) - 2, -1, -1):
        if not filled[gi]:
            filled[gi] = filled[gi + 1]
    out = [""] * len(rows)
    for gi, g in enumerate(groups):
        for i in g:
            out[i] = filled[gi]
    return out


def assemble_forms(
    pages: Iterable[tuple[int, list[Block]]], *, source_name: str | None = None, kind: str = "pdf"
) -> list[SelfEvaluation]:
    """Forms from ``(page_number, blocks)`` pairs in reading order."""
    asm = _Assembler(source_name, kind)
    for number, blocks in pages:
        asm.feed_page(number, blocks)
    return asm.finish()
