"""The printed layout of a 项目支出绩效自评表, shared by the XLSX, DOCX and PDF writers.

:func:`form_layout` turns one form into a format-neutral grid: cells with their row/column spans, a
style, and (for numbers) the typed value an XLSX cell keeps.  Each writer only draws the grid.

Two templates (docs/model.md, ``form.source["template"]``):

- ``central``: the 2020 central template (财预〔2020〕10号 附件) as printed on 普陀/松江/池州/中江 forms:
  title and ``（YYYY年度）``, 项目名称/主管部门/实施单位, 项目资金（元|万元） with 年初预算数/全年预算数/全年执行数/
  分值/执行率/得分, 年度总体目标 with 预期目标/实际完成情况, 绩效指标 with merged level cells and the 总分 row;
- ``sichuan-2023``: 部门预算项目支出绩效自评表 (报表编号 510000_0013zp, domain-rules §2.2): code-name,
  项目基本情况, 预算执行情况（10分） with 原因, 绩效指标（90分） with 指标性质/指标值/度量单位, 合计, 评价结论/
  存在问题/改进措施 and 项目负责人/财务负责人.

The labels are the printed labels of the templates: the importers find columns by header labels and
assemble forms by label anchors (perfeval/ingest/vocab.py), which is what makes an export round-trip.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from ..model import Finding, FundRow, Indicator, SelfEvaluation
from ..numbers import dec, fmt, percent, round_half_up, tidy
from ..quantity import parse_quantity
from ..rules.fieldnames import field_name
from ..taxonomy import canonical_level

CellStyle = Literal["label", "header", "text", "number", "center"]

#: Field -> printed header of the central indicator table (columns in the template's order).
CENTRAL_INDICATOR_HEADERS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因分析及改进措施",
}
CENTRAL_INDICATOR_COLUMNS: tuple[str, ...] = tuple(CENTRAL_INDICATOR_HEADERS)
#: Relative widths of the central indicator columns (points on a 510 pt wide A4 text block).  In
#: every writer the 分值/得分 columns (权重/得分 on Sichuan's) hold ``100.00`` on one line and the funds
#: columns ``8,560,200.00`` and ``100.00%``, even in DejaVu Serif (LibreOffice's stand-in for Times
#: New Roman where that is missing); the header 偏差原因分析及改进措施 fits one line.
_CENTRAL_WIDTHS: dict[str, float] = {
    "level1": 42,
    "level2": 44,
    "name": 68,
    "target": 68,
    "actual": 68,
    "weight": 38,
    "score": 46,
    "deviation": 108,
}

#: Field -> printed header of the Sichuan 2023 indicator table.
SICHUAN_INDICATOR_HEADERS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "nature": "指标性质",
    "value": "指标值",
    "unit": "度量单位",
    "actual": "完成值",
    "weight": "权重",
    "score": "得分",
    "deviation": "未完成原因分析",
}
_SICHUAN_WIDTHS: dict[str, float] = {
    "level1": 36,
    "level2": 40,
    "name": 62,
    "nature": 56,
    "value": 56,
    "unit": 50,
    "actual": 44,
    "weight": 40,
    "score": 40,
    "deviation": 76,
}
_LABEL_WIDTH = 28.0

#: Sign-off block fields (form.extra["signoff"] keys -> printed labels).
SIGNOFF_LABELS: dict[str, str] = {
    "unit_leader": "单位负责人",
    "filled_by": "填表人",
    "phone": "联系电话",
    "date": "填报日期",
}

MONEY_FORMAT = "#,##0.00##"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.##"


@dataclass
class Cell:
    """One printed cell; ``value`` is the typed number an XLSX cell stores (None: write ``text``)."""

    row: int
    col: int
    text: str
    style: CellStyle = "text"
    rowspan: int = 1
    colspan: int = 1
    value: float | int | None = None
    number_format: str | None = None


@dataclass
class Grid:
    """A bordered table: ``header_rows`` rows at its top are repeated on every page it spans."""

    ncols: int
    cells: list[Cell] = field(default_factory=list)
    nrows: int = 0
    header_rows: int = 0
    role: str = "head"

    def add(self, row: int, col: int, text: str, style: CellStyle = "text", **kw: Any) -> Cell:
        cell = Cell(row=row, col=col, text=text, style=style, **kw)
        self.cells.append(cell)
        self.nrows = max(self.nrows, row + cell.rowspan)
        return cell


@dataclass
class FormLayout:
    """What a writer draws for one form: title lines, the bordered grids (stacked without gaps, the
    same column widths), and the sign-off line under them."""

    title: str
    subtitle: str
    col_widths: list[float]
    grids: list[Grid]
    signoff: list[tuple[str, str]]
    final: bool = False

    @property
    def ncols(self) -> int:
        return len(self.col_widths)


# ---------------------------------------------------------------------------------------------
# Printed numbers


def fmt_money(value: float | int | None) -> str:
    """Money as printed: thousands separators and 2 decimals, more only when the data has them
    (``8560200`` -> ``8,560,200.00``, ``89.974`` -> ``89.974``); blank for None."""
    if value is None:
        return ""
    exponent = dec(value).normalize().as_tuple().exponent
    places = max(2, min(6, -exponent)) if isinstance(exponent, int) and exponent < 0 else 2
    q = dec(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}"


def fmt_rate(value: float | int | None) -> str:
    """An execution rate as printed: ``1.0`` -> ``100.00%``; blank for None."""
    return "" if value is None else percent(value)


def fmt_score(value: float | int | None, blank: str = "") -> str:
    """A weight or score as printed: up to 2 decimals, no trailing zeros (``10``, ``4.7``, ``8.62``)."""
    return blank if value is None else fmt(value, 2)


def _score_value(value: float | int | None) -> float | int | None:
    return None if value is None else tidy(round_half_up(value, 2))


def text_em(text: str) -> float:
    """The width of ``text`` in em: CJK and full-width characters 1, others about 0.55."""
    width = 0.0
    for ch in text:
        width += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55
    return width


def estimate_lines(text: str, width_pt: float, font_size: float, padding: float = 6.0) -> int:
    """How many lines ``text`` wraps to in a cell ``width_pt`` wide (for row heights in XLSX)."""
    avail = max(width_pt - padding, font_size)
    lines = 0
    for para in (text or "").split("\n"):
        lines += max(1, math.ceil(text_em(para) * font_size / avail - 1e-9))
    return lines


# ---------------------------------------------------------------------------------------------
# Template selection and helpers


def template_of(form: SelfEvaluation) -> str:
    """``sichuan-2023`` when the form came from that template, else ``central``."""
    source = form.source or {}
    return "sichuan-2023" if source.get("template") == "sichuan-2023" else "central"


def _layout_hints(form: SelfEvaluation) -> Mapping[str, Any]:
    hints = (form.source or {}).get("layout")
    return hints if isinstance(hints, Mapping) else {}


def indicator_columns(form: SelfEvaluation) -> tuple[str, ...]:
    """The central indicator columns in printed order: the layout hint when it names exactly the
    template's eight fields (中江 prints 分值 before 年度指标值), else the template's order."""
    hinted = _layout_hints(form).get("indicator_columns")
    if isinstance(hinted, Sequence) and sorted(hinted) == sorted(CENTRAL_INDICATOR_COLUMNS):
        return tuple(str(c) for c in hinted)
    return CENTRAL_INDICATOR_COLUMNS


def _extra(mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    """``extra`` without ``previous`` (last year's reference figures of a draft, not this year's)."""
    return {k: v for k, v in (mapping or {}).items() if k != "previous"}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _level_runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """(start, length) of runs of equal, non-empty consecutive values (merged level cells)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(values):
        j = i + 1
        while j < len(values) and values[i] and values[j] == values[i]:
            j += 1
        runs.append((i, j - i))
        i = j
    return runs


def _group_runs(indicators: Sequence[Indicator]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    level1 = [canonical_level(i.level1) for i in indicators]
    runs1 = _level_runs(level1)
    runs2: list[tuple[int, int]] = []
    for start, length in runs1:  # level-2 cells never merge across a level-1 boundary
        sub = [canonical_level(i.level2) for i in indicators[start : start + length]]
        runs2.extend((start + s, n) for s, n in _level_runs(sub))
    return runs1, runs2


def _level1_label(name: str, rows: Sequence[Indicator], with_weight: bool) -> str:
    if not with_weight:
        return name
    weights = [r.weight for r in rows if r.weight is not None]
    return f"{name}（{fmt_score(sum(weights))}分）" if weights else name


def split_target(ind: Indicator) -> tuple[str, str, str]:
    """Sichuan's 指标性质 / 指标值 / 度量单位 of an indicator: from ``indicator.extra`` when the importer
    kept them, else read from the target (``≥95%`` -> ``≥``, ``95``, ``%``; ``及时`` -> ``定性``, ``及时``, ``"")."""
    extra = ind.extra or {}
    if any(k in extra for k in ("nature", "value", "unit")):
        return _text(extra.get("nature")), _text(extra.get("value")), _text(extra.get("unit"))
    q = parse_quantity(ind.target)
    if q.qualitative:
        return "定性", ind.target, ""
    rest = ind.target.strip()
    if q.printed_operator and rest.startswith(q.printed_operator):
        rest = rest[len(q.printed_operator) :].strip()
    if q.unit and rest.endswith(q.unit):
        rest = rest[: -len(q.unit)].strip()
    return q.printed_operator or "=", rest, q.unit


def _year_line(form: SelfEvaluation) -> str:
    return f"（{form.year}年度）"


def _title(form: SelfEvaluation, default: str) -> str:
    """The printed title without its year part (a layout hint ``财政项目支出绩效自评表`` wins)."""
    hinted = _layout_hints(form).get("title")
    if isinstance(hinted, str) and "绩效自评表" in hinted:
        return re.sub(r"\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$", "", hinted).strip() or default
    return default


def _signoff_pairs(form: SelfEvaluation, signoff: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    own = _extra(form.extra).get("signoff")
    given = dict(own) if isinstance(own, Mapping) else {}
    given.update({k: v for k, v in (signoff or {}).items() if v not in (None, "")})
    return [(label, _text(given.get(key)).strip()) for key, label in SIGNOFF_LABELS.items()]


def _scaled(widths: Sequence[float], total: float = 510.0) -> list[float]:
    s = sum(widths)
    return [w * total / s for w in widths]


def _department_row(grid: Grid, r: int, form: SelfEvaluation, unit_label: str, *, unit_col: int) -> None:
    """主管部门 | department | ``unit_label`` (two columns from ``unit_col``) | implementing unit."""
    grid.add(r, 0, "主管部门", "label")
    grid.add(r, 1, form.department, "text", colspan=unit_col - 1)
    grid.add(r, unit_col, unit_label, "label", colspan=2)
    grid.add(r, unit_col + 2, form.implementing_unit, "text", colspan=grid.ncols - unit_col - 2)


_FUND_FORMATS: dict[str, tuple[Any, str]] = {
    "initial_budget": (fmt_money, MONEY_FORMAT),
    "annual_budget": (fmt_money, MONEY_FORMAT),
    "executed": (fmt_money, MONEY_FORMAT),
    "execution_rate": (fmt_rate, RATE_FORMAT),
    "weight": (fmt_score, SCORE_FORMAT),
    "score": (fmt_score, SCORE_FORMAT),
}


def _fund_rows(
    grid: Grid, r: int, funds: Sequence[FundRow], columns: Sequence[str], blank: str, rate_blank: str
) -> int:
    """The funds rows from row ``r``: the row's own label (the first sub-row after the total prefixed
    ``其中：``) over columns 1-2, then ``columns`` from column 3 as printed (a missing weight or score
    printed ``blank``, a missing execution rate ``rate_blank``).  Returns the row after the last."""
    first_sub = True
    for row in funds:
        label = row.label or ""
        if row.kind != "total" and first_sub:
            first_sub = False
            if not label.startswith("其中"):
                label = f"其中：{label}"
        grid.add(r, 1, label, "label", colspan=2)
        for c, name in enumerate(columns, start=3):
            value = getattr(row, name)
            fmt, number_format = _FUND_FORMATS[name]
            if fmt is fmt_money:
                text = fmt_money(value)
            elif fmt is fmt_rate:
                text = fmt_rate(value) or rate_blank
            else:
                text, value = fmt_score(value, blank), _score_value(value)
            grid.add(r, c, text, "number", value=value, number_format=number_format)
        r += 1
    return r


# ---------------------------------------------------------------------------------------------
# Central template


def _central_layout(form: SelfEvaluation) -> tuple[list[Grid], list[float]]:
    cols = indicator_columns(form)
    widths = [_LABEL_WIDTH, *(_CENTRAL_WIDTHS[c] for c in cols)]
    n = len(widths)  # 9: the block-label column and the eight indicator columns
    extra = _extra(form.extra)

    head = Grid(ncols=n, role="head")
    r = 0
    head.add(r, 0, "项目名称", "label")
    head.add(r, 1, form.project_name, "text", colspan=n - 1)
    r += 1
    if extra.get("project_leader"):
        head.add(r, 0, "项目负责人及电话", "label")
        head.add(r, 1, _text(extra["project_leader"]), "text", colspan=n - 1)
        r += 1
    _department_row(head, r, form, "实施单位", unit_col=4)
    r += 1

    # Funds block: label column spans the header row and every funds row.
    funds = form.funds
    head.add(r, 0, f"项目资金（{form.money_unit}）", "label", rowspan=1 + len(funds))
    head.add(r, 1, "", "header", colspan=2)
    for c, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=3):
        head.add(r, c, label, "header")
    r = _fund_rows(
        head,
        r + 1,
        funds,
        ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"),
        "—",
        "—",
    )

    # 年度总体目标: 预期目标 | 实际完成情况, then the two texts.
    split = 1 + (n - 1) // 2
    head.add(r, 0, "年度总体目标", "label", rowspan=2)
    head.add(r, 1, "预期目标", "header", colspan=split - 1)
    head.add(r, split, "实际完成情况", "header", colspan=n - split)
    head.add(r + 1, 1, form.goal_planned, "text", colspan=split - 1)
    head.add(r + 1, split, form.goal_actual, "text", colspan=n - split)

    table = _indicator_grid(
        form,
        n,
        label="绩效指标",
        columns=cols,
        headers=CENTRAL_INDICATOR_HEADERS,
        cell_text=_central_cell,
        total_label="总分",
    )
    return [head, table], widths


def _central_cell(ind: Indicator, col: str) -> tuple[str, CellStyle, Any]:
    if col == "weight":
        return fmt_score(ind.weight), "number", _score_value(ind.weight)
    if col == "score":
        return fmt_score(ind.score), "number", _score_value(ind.score)
    if col in ("target", "actual"):
        return getattr(ind, col), "center", None
    return _text(getattr(ind, col)), "text", None


def _indicator_grid(
    form: SelfEvaluation,
    n: int,
    *,
    label: str,
    columns: Sequence[str],
    headers: Mapping[str, str],
    cell_text: Any,
    total_label: str,
) -> Grid:
    """The 绩效指标 table: its header row (repeated on every page), one row per indicator with the
    level cells merged over equal neighbours, and the 总分/合计 row."""
    inds = form.indicators
    grid = Grid(ncols=n, header_rows=1, role="indicators")
    grid.add(0, 0, label, "label", rowspan=1 + len(inds))
    for c, col in enumerate(columns, start=1):
        grid.add(0, c, headers[col], "header")
    runs1, runs2 = _group_runs(inds)
    with_weights = bool(_layout_hints(form).get("level1_weights"))
    col_of = {col: c for c, col in enumerate(columns, start=1)}
    for start, length in runs1:
        name = canonical_level(inds[start].level1)
        text = _level1_label(name, inds[start : start + length], with_weights)
        grid.add(1 + start, col_of["level1"], text, "center", rowspan=length)
    for start, length in runs2:
        grid.add(1 + start, col_of["level2"], canonical_level(inds[start].level2), "center", rowspan=length)
    for i, ind in enumerate(inds):
        for col in columns:
            if col in ("level1", "level2"):
                continue
            text, style, value = cell_text(ind, col)
            fmt = SCORE_FORMAT if value is not None else None
            grid.add(1 + i, col_of[col], text, style, value=value, number_format=fmt)
    # 总分 / 合计: the label runs up to the first of 分值/得分, then the two figures.
    r = 1 + len(inds)
    wcol, scol = col_of["weight"], col_of["score"]
    first = min(wcol, scol)
    grid.add(r, 0, total_label, "label", colspan=first)
    used = {wcol, scol}
    for col, total in ((wcol, form.total_weight), (scol, form.total_score)):
        grid.add(r, col, fmt_score(total), "number", value=_score_value(total), number_format=SCORE_FORMAT)
    c = first + 1
    while c < n:  # the blank rest of the row, merged into runs between the figures
        if c in used:
            c += 1
            continue
        end = c
        while end + 1 < n and end + 1 not in used:
            end += 1
        grid.add(r, c, "", "text", colspan=end - c + 1)
        c = end + 1
    return grid


# ---------------------------------------------------------------------------------------------
# Sichuan 2023 template


def _sichuan_cell(ind: Indicator, col: str) -> tuple[str, CellStyle, Any]:
    if col in ("nature", "value", "unit"):
        nature, value, unit = split_target(ind)
        return {"nature": nature, "value": value, "unit": unit}[col], "center", None
    if col == "actual":
        return ind.actual, "center", None
    return _central_cell(ind, col)


def _sichuan_layout(form: SelfEvaluation) -> tuple[list[Grid], list[float]]:
    cols = tuple(SICHUAN_INDICATOR_HEADERS)
    widths = [_LABEL_WIDTH + 6, *(_SICHUAN_WIDTHS[c] for c in cols)]
    n = len(widths)  # 11
    extra = _extra(form.extra)
    head = Grid(ncols=n, role="head")
    r = 0
    name = f"{form.project_code}-{form.project_name}" if form.project_code else form.project_name
    head.add(r, 0, "项目名称", "label")
    head.add(r, 1, name, "text", colspan=n - 1)
    r += 1
    _department_row(head, r, form, "实施单位（盖章）", unit_col=5)
    r += 1
    # 项目基本情况: 1.项目年度目标完成情况 (two texts) and 2.项目实施内容及过程概述.
    head.add(r, 0, "项目基本情况", "label", rowspan=3)
    head.add(r, 1, "1.项目年度目标完成情况", "label", colspan=2, rowspan=2)
    head.add(r, 3, "项目年度目标", "header", colspan=4)
    head.add(r, 7, "年度目标完成情况", "header", colspan=n - 7)
    head.add(r + 1, 3, form.goal_planned, "text", colspan=4)
    head.add(r + 1, 7, form.goal_actual, "text", colspan=n - 7)
    head.add(r + 2, 1, "2.项目实施内容及过程概述", "label", colspan=2)
    head.add(r + 2, 3, _text(extra.get("implementation_summary")), "text", colspan=n - 3)
    r += 3
    # 预算执行情况（10分）: 年度预算数（万元） | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因
    funds = form.funds
    total = form.total_fund
    exec_weight = fmt_score(total.weight) if total and total.weight is not None else "10"
    head.add(r, 0, f"预算执行情况（{exec_weight}分）", "label", rowspan=1 + len(funds))
    head.add(r, 1, f"年度预算数（{form.money_unit}）", "header", colspan=2)
    for c, label in enumerate(
        ("年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"), start=3
    ):
        head.add(r, c, label, "header")
    head.add(r, 9, "原因", "header", colspan=2)
    if funds:
        head.add(r + 1, 9, _text(extra.get("funds_reason")), "text", colspan=2, rowspan=len(funds))
    r = _fund_rows(
        head,
        r + 1,
        funds,
        ("initial_budget", "annual_budget", "executed", "execution_rate", "weight", "score"),
        "/",
        "",
    )

    ind_weight = sum(float(i.weight) for i in form.indicators if i.weight is not None)
    table = _indicator_grid(
        form,
        n,
        label=f"绩效指标（{fmt_score(ind_weight) if form.indicators else '90'}分）",
        columns=cols,
        headers=SICHUAN_INDICATOR_HEADERS,
        cell_text=_sichuan_cell,
        total_label="合计",
    )
    tail = Grid(ncols=n, role="tail")
    for t, (key, label) in enumerate(
        (("conclusion", "评价结论"), ("problems", "存在问题"), ("improvements", "改进措施"))
    ):
        tail.add(t, 0, label, "label")
        tail.add(t, 1, _text(extra.get(key)), "text", colspan=n - 1)
    tail.add(3, 0, f"项目负责人：{_text(extra.get('project_leader'))}", "text", colspan=6)
    tail.add(3, 6, f"财务负责人：{_text(extra.get('finance_leader'))}", "text", colspan=n - 6)
    return [head, table, tail], widths


# ---------------------------------------------------------------------------------------------
# Public entry points


def form_layout(
    form: SelfEvaluation,
    *,
    final: bool = False,
    signoff: Mapping[str, Any] | None = None,
) -> FormLayout:
    """The printed layout of one form in its own template."""
    if template_of(form) == "sichuan-2023":
        grids, widths = _sichuan_layout(form)
        title = _title(form, "部门预算项目支出绩效自评表")
    else:
        grids, widths = _central_layout(form)
        title = _title(form, "项目支出绩效自评表")
    return FormLayout(
        title=title,
        subtitle=_year_line(form),
        col_widths=_scaled(widths),
        grids=grids,
        signoff=_signoff_pairs(form, signoff),
        final=final,
    )


def split_grid(grid: Grid, cut: int, *, repeat_header: bool = True) -> tuple[Grid, Grid]:
    """Rows ``[0, cut)`` and ``[cut, end)`` of ``grid`` as two grids; a label cell spanning the cut
    appears in both parts with its text (a level-1 label cut by a page break is printed on both
    pages), a text cell spanning it has its text divided between them (it reads back once).

    With ``repeat_header`` the second part starts with a copy of the header rows (a PDF table);
    without it the caller repeats them another way (XLSX print titles)."""
    head = grid.header_rows if repeat_header else 0
    first = Grid(ncols=grid.ncols, header_rows=grid.header_rows, role=grid.role)
    rest = Grid(ncols=grid.ncols, header_rows=head, role=grid.role)
    shift = cut - head

    def put(part: Grid, cell: Cell, row: int, rowspan: int, text: str | None = None) -> None:
        part.cells.append(replace(cell, row=row, rowspan=rowspan, text=cell.text if text is None else text))
        part.nrows = max(part.nrows, row + rowspan)

    for c in grid.cells:
        end = c.row + c.rowspan
        before = after = None
        if c.style == "text" and c.row < cut < end and c.row >= head:
            pieces = _chunks(c.text, c.rowspan)
            before, after = "".join(pieces[: cut - c.row]), "".join(pieces[cut - c.row :])
        if c.row < cut:
            put(first, c, c.row, min(end, cut) - c.row, before)
        if c.row < head:  # header rows are repeated; a label spanning into the body keeps spanning
            put(rest, c, c.row, c.rowspan if end <= head else head - c.row + max(0, end - cut))
        elif end > cut:
            start = max(c.row, cut)
            put(rest, c, start - shift, end - start, after)
    return first, rest


def keep_together_cut(grid: Grid, cut: int, *, text_only: bool) -> int:
    """The last row boundary at or before ``cut`` that runs through no merged text cell (and, unless
    ``text_only``, through no merged cell at all): where a page break keeps such a block whole.
    0 when the block starts at the grid's first body row (the break cannot move back)."""
    while cut > grid.header_rows:
        inside = [
            c.row
            for c in grid.cells
            if c.row < cut < c.row + c.rowspan
            and c.row >= grid.header_rows
            and (c.style == "text" or not text_only)
        ]
        if not inside:
            return cut
        cut = min(inside)
    return 0


def _chunks(text: str, k: int) -> list[str]:
    """``text`` in ``k`` consecutive pieces of similar length, cut after punctuation when possible."""
    out: list[str] = []
    rest = text
    for i in range(k, 0, -1):
        if i == 1:
            out.append(rest)
            break
        size = math.ceil(len(rest) / i)
        window = rest[int(size * 0.7) : size + 1]
        marks = [j for j, ch in enumerate(window) if ch in "。；;，,、\n "]
        cut = int(size * 0.7) + marks[-1] + 1 if marks else size
        out.append(rest[:cut])
        rest = rest[cut:]
    return out


def split_tall_rows(
    grid: Grid, col_widths: Sequence[float], font_size: float, max_height: float, *, chunk: bool = True
) -> Grid:
    """``grid`` with every row whose wrapped text would be taller than ``max_height`` turned into
    several rows; the short cells of the row and the cells spanning it are stretched over them.

    With ``chunk`` a long text continues in the rows below (a PDF table can then break between
    them); without it the long text's cell spans the new rows too (a spreadsheet row cannot be
    taller than 409 pt, a merged range can)."""
    line = font_size * 1.3
    out = grid
    r = 0
    while r < out.nrows:
        need = 0.0
        for c in out.cells:
            if c.row == r and c.rowspan == 1:
                width = sum(col_widths[c.col : c.col + c.colspan])
                need = max(need, estimate_lines(c.text, width, font_size) * line + 4)
        k = math.ceil(need / (max_height * 0.85)) if need > max_height else 1
        if k == 1:
            r += 1
            continue
        cells: list[Cell] = []
        for c in out.cells:
            if c.row > r:
                cells.append(replace(c, row=c.row + k - 1))
            elif c.row == r and c.rowspan == 1:
                width = sum(col_widths[c.col : c.col + c.colspan])
                if not chunk or estimate_lines(c.text, width, font_size) * line + 4 <= max_height * 0.85:
                    cells.append(replace(c, rowspan=k))
                else:
                    cells.extend(
                        replace(c, row=r + i, text=part) for i, part in enumerate(_chunks(c.text, k))
                    )
            elif c.row + c.rowspan > r:  # spans this row (from above or down from it)
                cells.append(replace(c, rowspan=c.rowspan + k - 1))
            else:
                cells.append(c)
        out = Grid(
            ncols=out.ncols, cells=cells, nrows=out.nrows + k - 1, header_rows=out.header_rows, role=out.role
        )
        r += k
    return out


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(titles: Sequence[str], limit: int = 31) -> list[str]:
    """Worksheet names for the projects of a bundle: forbidden characters removed, at most 31
    characters, unique (a clash gets ``(2)``, ``(3)`` ...), never blank."""
    out: list[str] = []
    seen: set[str] = set()
    for i, title in enumerate(titles):
        base = _SHEET_FORBIDDEN.sub("", title or "").strip().strip("'") or f"表{i + 1}"
        name = base[:limit]
        k = 2
        while name.lower() in seen:
            suffix = f"({k})"
            name = base[: limit - len(suffix)] + suffix
            k += 1
        seen.add(name.lower())
        out.append(name)
    return out


SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def findings_rows(
    forms: Sequence[SelfEvaluation], findings: Sequence[Sequence[Finding]] | None
) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of the findings page (未解决的校验问题): 序号, 项目, 级别, 位置, 问题, 建议; errors first."""
    if not findings:
        return []
    rows: list[tuple[str, str, str, str, str, str]] = []
    for form, items in zip(forms, findings, strict=False):
        ordered = sorted(items, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
        for f in ordered:
            rows.append(
                (
                    str(len(rows) + 1),
                    form.project_name,
                    SEVERITY_LABELS.get(f.severity, f.severity),
                    field_name(f.path, form),
                    f.message,
                    f.hint,
                )
            )
    return rows


FINDINGS_TITLE = "未解决的校验问题"
FINDINGS_HEADERS = ("序号", "项目", "级别", "位置", "问题", "建议")
FINDINGS_WIDTHS = (28.0, 90.0, 32.0, 80.0, 160.0, 120.0)
DRAFT_MARK = "草稿"
