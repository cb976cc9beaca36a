"""XLSX export (openpyxl): one worksheet per form, named by project, in the form's printed layout.

A4 portrait fitted to one page wide, 宋体, borders on every cell of a merged range, the indicator
header row repeated on every printed page (print titles), a 草稿 mark in the page header unless
final.  Money, rates and scores are numeric cells with number formats; printed text that starts with
``=``, ``+``, ``-`` or ``@`` (targets such as ``=22个``) is stored as text, never as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Finding, SelfEvaluation
from .base import exporter, xml_text
from .layout import (
    DRAFT_MARK,
    FINDINGS_HEADERS,
    FINDINGS_TITLE,
    FINDINGS_WIDTHS,
    Cell,
    FormLayout,
    Grid,
    estimate_lines,
    findings_rows,
    form_layout,
    keep_together_cut,
    sheet_names,
    split_grid,
    split_tall_rows,
)

FONT_NAME = "宋体"
FONT_SIZE = 10
#: Points per unit of openpyxl column width (the width of "0" in the default font, ~7 px).
_PT_PER_WIDTH_UNIT = 5.6
_LINE_HEIGHT = 1.4  # line height in font sizes, with the cell's own padding added separately

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONTS = {
    "title": Font(name=FONT_NAME, size=18, bold=True),
    "subtitle": Font(name=FONT_NAME, size=12),
    "header": Font(name=FONT_NAME, size=FONT_SIZE, bold=True),
    "body": Font(name=FONT_NAME, size=FONT_SIZE),
}
_ALIGN = {
    "label": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "header": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "number": Alignment(horizontal="center", vertical="center", shrink_to_fit=True),
    "text": Alignment(horizontal="left", vertical="center", wrap_text=True),
}
_FORMULA_START = ("=", "+", "-", "@")
#: The tallest row a spreadsheet keeps (Excel: 409 pt); a taller text spans several rows.
MAX_ROW_PT = 400.0


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` as a string cell, always: openpyxl would store ``=22个`` or ``=HYPERLINK(...)`` as a
    formula.  Text starting with ``=``, ``+``, ``-`` or ``@`` also gets a quote prefix, which keeps it
    text when someone edits the cell.  Characters XML cannot hold are mapped (:func:`xml_text`)."""
    cell.value = xml_text(text)
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


_STYLE_PREFIX = "perfeval-"


def _named_styles(wb: Workbook) -> None:
    """One named style per cell kind (font, alignment, border): one assignment per cell instead of
    three keeps a bundle's export fast."""
    for kind, align in _ALIGN.items():
        font = _FONTS["header" if kind == "header" else "body"]
        wb.add_named_style(NamedStyle(name=_STYLE_PREFIX + kind, font=font, alignment=align, border=_BORDER))


def _write_cell(ws: Worksheet, row: int, col: int, spec: Cell) -> None:
    cell = ws.cell(row=row, column=col)
    cell.style = _STYLE_PREFIX + spec.style
    if spec.value is not None and spec.number_format:
        cell.value = spec.value
        cell.number_format = spec.number_format
    else:
        set_text(cell, spec.text)


def _merge(ws: Worksheet, spec: Cell, r0: int, c0: int, r1: int, c1: int) -> None:
    """Merge a range whose every cell carries the owner's style, so the range is outlined.

    (``Worksheet.merge_cells`` would also re-create the borders of the range's edge cells one by
    one, which costs more than the rest of the sheet; the styled cells make that unnecessary.)"""
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            if r != r0 or c != c0:
                ws.cell(row=r, column=c).style = _STYLE_PREFIX + spec.style
    ws.merged_cells.add(MergedCellRange(ws, f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"))


def _row_heights(layout: FormLayout, grid_cells: Sequence[Cell], nrows: int, font_size: float) -> list[float]:
    """Row heights (pt) that fit each cell's wrapped text; a merged cell's need is spread over its rows."""
    widths = layout.col_widths
    line = font_size * _LINE_HEIGHT
    heights = [line + 6.0] * nrows
    for cell in grid_cells:
        if cell.rowspan != 1:
            continue
        width = sum(widths[cell.col : cell.col + cell.colspan])
        need = estimate_lines(cell.text, width, font_size) * line + 6.0
        heights[cell.row] = max(heights[cell.row], need)
    for cell in grid_cells:
        if cell.rowspan == 1:
            continue
        width = sum(widths[cell.col : cell.col + cell.colspan])
        need = estimate_lines(cell.text, width, font_size) * line + 6.0
        rows = range(cell.row, min(nrows, cell.row + cell.rowspan))
        have = sum(heights[r] for r in rows)
        if need > have:
            extra = (need - have) / len(rows)
            for r in rows:
                heights[r] += extra
    return [min(h, MAX_ROW_PT) for h in heights]


#: Printable height of an A4 page (pt) under the margins and header set in :func:`_page_setup`,
#: with a safety margin, so that the breaks placed here come before any automatic one.
PAGE_BODY_PT = (842 - 2 * 0.7 * 72 - 24) * 0.9


def paginate(layout: FormLayout, used: float = 0.0) -> list[tuple[Grid, list[float], bool]]:
    """The grids cut into page-sized parts: (part, its row heights, page break before it).

    A spreadsheet application prints a merged cell that runs over a page break in odd places (its
    text can land on the wrong page), so the pages are laid out here: explicit row breaks, merged
    level cells cut at them (their label printed again), the header rows repeated by print titles.
    A break moves back before a merged text (a long 预期目标 over several rows) and, in the head
    table, before a whole block (年度总体目标); a block taller than a page has its text divided."""
    out: list[tuple[Grid, list[float], bool]] = []
    repeat = 0.0  # height of the print-title rows, once they have been printed
    pending_break = False
    fresh = True  # nothing but repeated rows on the current page yet
    for whole in layout.grids:
        grid = split_tall_rows(
            whole, layout.col_widths, FONT_SIZE * _LINE_HEIGHT / 1.3, MAX_ROW_PT, chunk=False
        )
        heights = _row_heights(layout, grid.cells, grid.nrows, FONT_SIZE)
        if grid.header_rows and not repeat:
            repeat = sum(heights[: grid.header_rows])
        part, start, r = grid, 0, 0
        while r < part.nrows:
            h = heights[start + r]
            if used + h > PAGE_BODY_PT and not fresh:
                if r > 0:
                    # a merged text (a long goal) and the head's blocks stay whole when they can
                    cut = keep_together_cut(part, r, text_only=part.role == "indicators") or r
                    first, part = split_grid(part, cut, repeat_header=False)
                    out.append((first, heights[start : start + cut], pending_break))
                    start, r = start + cut, 0
                pending_break, fresh, used = True, True, repeat
                continue
            used += h
            fresh = False
            r += 1
        out.append((part, heights[start:], pending_break))
        pending_break = False
    return out


def _page_setup(ws: Worksheet, ncols: int, last_row: int, title_rows: str | None, final: bool) -> None:
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"
    if title_rows:
        ws.print_title_rows = title_rows
    if not final:
        ws.oddHeader.right.text = DRAFT_MARK
        ws.oddHeader.right.size = 14
        ws.oddHeader.right.color = "C00000"
        ws.oddHeader.right.font = f"{FONT_NAME},Bold"


def write_form_sheet(ws: Worksheet, layout: FormLayout) -> None:
    """Draw one form's layout on a worksheet."""
    ncols = layout.ncols
    for c, width in enumerate(layout.col_widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = round(width / _PT_PER_WIDTH_UNIT, 2)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    title = ws.cell(row=1, column=1)
    set_text(title, layout.title)
    title.font = _FONTS["title"]
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    sub = ws.cell(row=2, column=1)
    set_text(sub, layout.subtitle)
    sub.font = _FONTS["subtitle"]
    sub.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 20

    top = 3
    title_rows: str | None = None
    for grid, heights, page_break in paginate(layout, used=ws.row_dimensions[1].height + 20):
        if page_break:
            ws.row_breaks.append(Break(id=top - 1))
        for spec in grid.cells:
            r, c = top + spec.row, 1 + spec.col
            r1, c1 = r + spec.rowspan - 1, c + spec.colspan - 1
            _write_cell(ws, r, c, spec)
            if spec.rowspan > 1 or spec.colspan > 1:
                _merge(ws, spec, r, c, r1, c1)
        for i, h in enumerate(heights):
            ws.row_dimensions[top + i].height = round(h, 1)
        if grid.header_rows and title_rows is None:
            title_rows = f"{top}:{top + grid.header_rows - 1}"
        top += grid.nrows

    top += 1  # one blank row, then the sign-off block
    spans = _signoff_spans(ncols, len(layout.signoff))
    for (label, value), (c0, c1) in zip(layout.signoff, spans, strict=True):
        if c1 > c0:
            ws.merge_cells(start_row=top, start_column=c0, end_row=top, end_column=c1)
        cell = ws.cell(row=top, column=c0)
        set_text(cell, f"{label}：{value}")
        cell.font = _FONTS["body"]
        cell.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[top].height = 24
    _page_setup(ws, ncols, top, title_rows, layout.final)


def _signoff_spans(ncols: int, n: int) -> list[tuple[int, int]]:
    """Split columns 1..ncols into ``n`` nearly equal runs (1-based, inclusive)."""
    out = []
    start = 1
    for i in range(n):
        width = ncols // n + (1 if i < ncols % n else 0)
        out.append((start, start + max(width, 1) - 1))
        start += max(width, 1)
    return out


def write_findings_sheet(ws: Worksheet, rows: Sequence[Sequence[str]]) -> None:
    """The 未解决的校验问题 sheet: one row per finding, header repeated on every page."""
    ncols = len(FINDINGS_HEADERS)
    rows = rows or [("", "", "", "", "无", "")]
    for c, width in enumerate(FINDINGS_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = round(width / _PT_PER_WIDTH_UNIT, 2)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    title = ws.cell(row=1, column=1)
    set_text(title, FINDINGS_TITLE)
    title.font = _FONTS["title"]
    title.alignment = Alignment(horizontal="center")
    for c, header in enumerate(FINDINGS_HEADERS, start=1):
        cell = ws.cell(row=2, column=c)
        set_text(cell, header)
        cell.style = _STYLE_PREFIX + "header"
    for r, row in enumerate(rows, start=3):
        lines = 1
        for c, text in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.style = _STYLE_PREFIX + "text"
            set_text(cell, text)
            lines = max(lines, estimate_lines(text, FINDINGS_WIDTHS[c - 1], FONT_SIZE))
        ws.row_dimensions[r].height = round(lines * FONT_SIZE * _LINE_HEIGHT + 6, 1)
    _page_setup(ws, ncols, 2 + len(rows), "2:2", final=True)


@exporter
def export_xlsx(
    forms: list[SelfEvaluation],
    per_form: list[list[Finding]] | None,
    *,
    final: bool,
    signoff: Mapping[str, Any] | None,
) -> bytes:
    """The forms as one workbook (one sheet per form), as bytes.  See :func:`perfeval.export.base.exporter`."""
    wb = Workbook()
    wb.remove(wb.active)
    _named_styles(wb)
    for form, name in zip(forms, sheet_names([f.project_name for f in forms]), strict=True):
        ws = wb.create_sheet(title=name)
        write_form_sheet(ws, form_layout(form, final=final, signoff=signoff))
    rows = findings_rows(forms, per_form)
    if per_form is not None:
        names = {n.lower() for n in wb.sheetnames}
        title = FINDINGS_TITLE if FINDINGS_TITLE.lower() not in names else f"{FINDINGS_TITLE}(校验)"
        write_findings_sheet(wb.create_sheet(title=title), rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
