"""DOCX export (python-docx): the forms in their printed layout, a page break between forms.

A4 portrait, tables fitted to the text width with fixed column widths, borders on every cell,
宋体 through the east-Asian font slot (``w:rFonts w:eastAsia``), the indicator header row marked as a
repeating header (``w:tblHeader``), a 草稿 mark in the page header unless final.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from ..model import Finding, SelfEvaluation
from .base import exporter
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
)

FONT_NAME = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(9)
PAGE_WIDTH_MM = 210
MARGIN_MM = 18


#: Left and right padding inside a table cell (pt), ``w:tblCellMar``.
CELL_MARGIN_PT = 2.0


def table_widths(col_widths: Sequence[float]) -> list[float]:
    """Column widths (pt) scaled to the text width of the page (A4 less the margins)."""
    usable = (PAGE_WIDTH_MM - 2 * MARGIN_MM) / 25.4 * 72
    total = sum(col_widths)
    return [w * usable / total for w in col_widths]


def _songti(font: Any, element: Any) -> None:
    """Times New Roman for Latin, 宋体 in the eastAsia slot of ``w:rFonts`` (of a run or a style)."""
    font.name = LATIN_FONT
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), FONT_NAME)


def set_run_font(run: Any, size: Any = None, bold: bool | None = None, color: RGBColor | None = None) -> None:
    """宋体 for Chinese (the eastAsia slot of w:rFonts), Times New Roman for Latin."""
    _songti(run.font, run._element)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _default_font(doc: Any) -> None:
    style = doc.styles["Normal"]
    _songti(style.font, style.element)
    style.font.size = BODY_SIZE
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)


_JC = {"label": "center", "header": "center", "center": "center", "number": "center", "text": "left"}
_BORDERS = "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_SIDE = round(CELL_MARGIN_PT * 20)
_CELL_MARGINS = (
    f'<w:top w:w="20" w:type="dxa"/><w:left w:w="{_SIDE}" w:type="dxa"/>'
    f'<w:bottom w:w="20" w:type="dxa"/><w:right w:w="{_SIDE}" w:type="dxa"/>'
)


def _paragraph_xml(text: str, style: str) -> str:
    """One cell paragraph; 宋体 9 pt comes from the Normal style (its eastAsia slot)."""
    bold = "<w:rPr><w:b/></w:rPr>" if style == "header" else ""
    lines = (text or "").split("\n")
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r>{bold}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
        for line in lines
        if line is not None
    )
    return f'<w:p><w:pPr><w:jc w:val="{_JC.get(style, "left")}"/></w:pPr>{runs}</w:p>'


#: Line height of 9 pt 宋体/Noto CJK text in a word processor (pt).
LINE_PT = BODY_SIZE.pt * 1.45
#: A row no taller than this (pt) is kept on one page (``w:cantSplit``): LibreOffice otherwise breaks
#: a row across pages, cutting a wrapped level-2 label or the 合计 score in two.  A taller row (a
#: goal text of a whole page) could not fit and may break.
MAX_WHOLE_ROW_PT = 0.6 * (297 - 2 * 18) / 25.4 * 72


def row_heights(grid: Grid, widths_pt: Sequence[float]) -> list[float]:
    """Estimated height (pt) of each row of ``grid``: its tallest one-row cell's wrapped text."""
    heights = [LINE_PT + 2.0] * grid.nrows
    for cell in grid.cells:
        if cell.rowspan == 1:
            width = sum(widths_pt[cell.col : cell.col + cell.colspan])
            lines = estimate_lines(cell.text, width, BODY_SIZE.pt, padding=2 * CELL_MARGIN_PT)
            heights[cell.row] = max(heights[cell.row], lines * LINE_PT + 2.0)
    return heights


def grid_table_xml(grid: Grid, widths_pt: Sequence[float]) -> str:
    """A ``w:tbl`` for ``grid``: fixed column widths, single borders, merged cells as ``w:gridSpan``
    (across) and ``w:vMerge`` (down), the header rows marked ``w:tblHeader`` so they repeat, and every
    row that fits on a page marked ``w:cantSplit``."""
    twips = [round(w * 20) for w in widths_pt]
    owner: dict[tuple[int, int], Cell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            owner[(r, cell.col)] = cell
    heights = row_heights(grid, widths_pt)
    rows = []
    for r in range(grid.nrows):
        props = "<w:cantSplit/>" if heights[r] <= MAX_WHOLE_ROW_PT else ""
        if r < grid.header_rows:
            props += "<w:tblHeader/>"
        tr_pr = f"<w:trPr>{props}</w:trPr>" if props else ""
        tcs = []
        c = 0
        while c < grid.ncols:
            cell = owner.get((r, c))
            span = cell.colspan if cell else 1
            width = sum(twips[c : c + span])
            props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if span > 1:
                props += f'<w:gridSpan w:val="{span}"/>'
            if cell and cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if r == cell.row else "<w:vMerge/>"
            props += '<w:vAlign w:val="center"/>'
            body = _paragraph_xml(cell.text, cell.style) if cell and r == cell.row else "<w:p/>"
            tcs.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
            c += span
        rows.append(f"<w:tr>{tr_pr}{''.join(tcs)}</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)
    return (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f"<w:tblCellMar>{_CELL_MARGINS}</w:tblCellMar>"
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _add_grid(doc: Any, grid: Grid, widths_pt: Sequence[float]) -> None:
    tbl = parse_xml(grid_table_xml(grid, widths_pt))
    doc.element.body.find(qn("w:sectPr")).addprevious(tbl)


def _spacer(doc: Any) -> None:
    """A 1 pt paragraph between stacked tables, so Word keeps them apart (a repeating header row
    only works at the top of its own table) while they still look like one table."""
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    run = para.add_run("")
    run.font.size = Pt(1)


def _title(doc: Any, text: str, size: float, bold: bool, page_break: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.page_break_before = page_break
    para.paragraph_format.space_after = Pt(4)
    set_run_font(para.add_run(text), Pt(size), bold=bold)


def _keep_with_signoff(doc: Any, rows: int = 2) -> None:
    """The last ``rows`` rows of the form's last table stay on the page of the sign-off line (Word's
    「与下段同页」 on their paragraphs, and rows that do not break across pages)."""
    if not doc.tables:
        return
    for row in doc.tables[-1].rows[-rows:]:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True


def _signoff(doc: Any, layout: FormLayout) -> None:
    _keep_with_signoff(doc)
    para = doc.add_paragraph()
    para.paragraph_format.space_before = Pt(10)
    text = "　　".join(f"{label}：{value or '　' * 4}" for label, value in layout.signoff)
    set_run_font(para.add_run(text), Pt(10.5))


def write_form(doc: Any, layout: FormLayout, *, first: bool) -> None:
    """One form: title, year line, its tables stacked, the sign-off line."""
    _title(doc, layout.title, 18, True, page_break=not first)
    _title(doc, layout.subtitle, 12, False)
    widths = table_widths(layout.col_widths)
    for i, grid in enumerate(layout.grids):
        if i:
            _spacer(doc)
        _add_grid(doc, grid, widths)
    _signoff(doc, layout)


def _findings_page(doc: Any, rows: Sequence[Sequence[str]]) -> None:
    _title(doc, FINDINGS_TITLE, 16, True, page_break=True)
    if not rows:
        set_run_font(doc.add_paragraph().add_run("无。"), Pt(10.5))
        return
    widths = table_widths(FINDINGS_WIDTHS)
    grid = Grid(ncols=len(FINDINGS_HEADERS), header_rows=1, role="findings")
    for c, header in enumerate(FINDINGS_HEADERS):
        grid.add(0, c, header, "header")
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            grid.add(r, c, text, "text")
    _add_grid(doc, grid, widths)


def _page_setup(doc: Any, final: bool) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(MARGIN_MM)
    section.top_margin = section.bottom_margin = Mm(18)
    if not final:
        para = section.header.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_run_font(para.add_run(DRAFT_MARK), Pt(14), bold=True, color=RGBColor(0xC0, 0x00, 0x00))


@exporter
def export_docx(
    forms: list[SelfEvaluation],
    per_form: list[list[Finding]] | None,
    *,
    final: bool,
    signoff: Mapping[str, Any] | None,
) -> bytes:
    """The forms as one Word document, as bytes.  See :func:`perfeval.export.base.exporter`."""
    doc = Document()
    _default_font(doc)
    _page_setup(doc, final)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    for i, form in enumerate(forms):
        write_form(doc, form_layout(form, final=final, signoff=signoff), first=(i == 0))
    if per_form is not None:
        _findings_page(doc, findings_rows(forms, per_form))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
