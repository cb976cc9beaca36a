"""PDF export (reportlab): the forms in their printed layout, each form starting on a new page.

A4 portrait, the tables fitted to the text width, ruled borders on every cell, a CJK TrueType font
embedded when one is installed (see :mod:`perfeval.export.fonts`).  A table longer than the page is
split between rows: the indicator header row is repeated at the top of the next page and a merged
cell cut by the break (a level-1 or level-2 label) is printed again on the new page, so each page
reads on its own.  A 草稿 stamp sits in the top margin, outside the table, unless final.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..model import Finding, SelfEvaluation
from .base import exporter
from .fonts import any_cjk_font_file, cjk_font, covers, latin_font
from .layout import (
    DRAFT_MARK,
    FINDINGS_HEADERS,
    FINDINGS_TITLE,
    FINDINGS_WIDTHS,
    Cell,
    Grid,
    findings_rows,
    form_layout,
    split_grid,
    split_tall_rows,
)

BODY_SIZE = 9.0
MARGIN = 15 * mm
_FRAME_HEIGHT = A4[1] - 2 * MARGIN - 6 - 12  # the frame's height, less its own padding
_PAD = 2.5


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.3, wordWrap="CJK")
    return {
        "text": ParagraphStyle("text", parent=base, alignment=TA_LEFT),
        "label": ParagraphStyle("label", parent=base, alignment=TA_CENTER),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER),
        "header": ParagraphStyle("header", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=2
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=12, leading=16, alignment=TA_CENTER, spaceAfter=6
        ),
        "signoff": ParagraphStyle("signoff", parent=base, fontSize=10.5, leading=14, spaceBefore=10),
    }


def markup(text: str, font: str) -> str:
    """Paragraph markup of ``text``: runs of characters the CJK ``font`` lacks (Latin letters and
    digits in Droid Sans Fallback) are set in :func:`latin_font`; line breaks kept."""
    out: list[str] = []
    run: list[str] = []
    other = False
    for ch in text or "":
        missing = ch != "\n" and not covers(font, ch)
        if missing != other and run:
            out.append(_run("".join(run), other))
            run = []
        other = missing
        run.append(ch)
    if run:
        out.append(_run("".join(run), other))
    return "".join(out)


def text_width(text: str, font: str, size: float) -> float:
    """The printed width of ``text`` in points, each character in the face that draws it."""
    latin = latin_font()
    return sum(stringWidth(ch, font if covers(font, ch) else latin, size) for ch in text or "")


def _run(text: str, other: bool) -> str:
    body = escape(text).replace("\n", "<br/>")
    return f'<font name="{latin_font()}">{body}</font>' if other else body


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text, style.fontName), style)


class _CellParagraph(Paragraph):
    """A table cell's paragraph that remembers its last wrap: a long table is measured again after every
    page break (the rest of it), and re-breaking every remaining line each time made exports of long
    texts quadratic."""

    _wrapped_for: tuple[float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        if self._wrapped_for is not None and self._wrapped_for[0] == availWidth:
            return self._wrapped_for[1], self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_for = (availWidth, width)
        return width, height


class GridFlowable(Flowable):
    """A :class:`Grid` drawn as a reportlab Table that splits itself between rows.

    reportlab cannot split a table inside a row span; this flowable cuts the spans at the break,
    prints a cut cell's text again on the next page and repeats the grid's header rows there.

    A long grid is measured once: the rest after a page break takes its row heights from the whole
    (``heights``, an estimate) and builds its reportlab Table only when it is drawn or could fit whole,
    so a text of hundreds of pages exports in time linear in its length."""

    def __init__(
        self,
        grid: Grid,
        widths: Sequence[float],
        styles: Mapping[str, ParagraphStyle],
        paragraphs: dict[tuple[Any, ...], Paragraph] | None = None,
        heights: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.grid = grid
        self.widths = list(widths)
        self.styles = styles
        # The cells' paragraphs, shared with the parts this flowable splits into: a cell that moves to
        # the next page keeps its measured paragraph.
        self._paragraphs = {} if paragraphs is None else paragraphs
        self._table: Table | None = None
        self._heights: list[float] | None = heights  # estimated until measured
        self._measured = False

    @property
    def table(self) -> Table:
        if self._table is None:
            self._table = self._make_table(self.grid)
        return self._table

    def _measure(self, avail_width: float) -> None:
        self.table.wrap(avail_width, 1e7)  # every row's height, not just those that fit
        self._heights = list(self.table._rowHeights)
        self._measured = True

    def _make_table(self, grid: Grid) -> Table:
        data: list[list[Any]] = [["" for _ in range(grid.ncols)] for _ in range(grid.nrows)]
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for cell in grid.cells:
            style = self.styles[cell.style]
            if cell.style == "number":  # a number never wraps: a smaller size when it is too wide
                room = sum(self.widths[cell.col : cell.col + cell.colspan]) - 2 * _PAD - 1
                width = text_width(cell.text, style.fontName, style.fontSize)
                if width > room > 0:
                    size = style.fontSize * room / width
                    style = ParagraphStyle("fit", parent=style, fontSize=size, leading=style.leading)
            key = (cell.text, style.name, style.fontSize, cell.col, cell.colspan)
            para = self._paragraphs.get(key)
            if para is None:
                para = self._paragraphs[key] = _CellParagraph(markup(cell.text, style.fontName), style)
            data[cell.row][cell.col] = para
            if cell.rowspan > 1 or cell.colspan > 1:
                end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
                commands.append(("SPAN", (cell.col, cell.row), end))
        return Table(data, colWidths=self.widths, style=TableStyle(commands), repeatRows=0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # An estimate is good enough to learn that the grid must split; a grid that may fit is measured.
        if not self._measured and (self._heights is None or sum(self._heights) <= avail_height * 1.5):
            self._measure(avail_width)
        self.width, self.height = sum(self.widths), sum(self._heights or [])
        return self.width, self.height

    def draw(self) -> None:
        if not self._measured:
            self._measure(self.width)
        self.table.drawOn(self.canv, 0, 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self._heights is None:
            self.wrap(avail_width, avail_height)
        heights = self._heights or []
        head = self.grid.header_rows
        used = sum(heights[:head])
        cut = head
        while cut < len(heights) and used + heights[cut] <= avail_height:
            used += heights[cut]
            cut += 1
        while cut > head and cut < len(heights):
            first, rest = split_grid(self.grid, cut)
            part = GridFlowable(first, self.widths, self.styles, self._paragraphs)
            # a cut merged cell may need taller rows than it did whole: check that the part fits
            part._measure(avail_width)
            if sum(part._heights or []) <= avail_height:
                estimate = heights[: rest.header_rows] + heights[cut:]
                known = estimate if len(estimate) == rest.nrows else None
                return [part, GridFlowable(rest, self.widths, self.styles, self._paragraphs, known)]
            cut -= 1
        return []  # nothing fits (or everything does): let the frame move on


def _grid_from_rows(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Grid:
    grid = Grid(ncols=len(headers), header_rows=1, role="findings")
    for c, header in enumerate(headers):
        grid.add(0, c, header, "header")
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            grid.add(r, c, text, "text")
    return grid


def _signoff_table(
    pairs: Sequence[tuple[str, str]], width: float, styles: Mapping[str, ParagraphStyle]
) -> Table:
    """The sign-off line (单位负责人 / 填表人 / 联系电话 / 填报日期), without borders."""
    cells = [_para(f"{label}：{value}", styles["signoff"]) for label, value in pairs]
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


@lru_cache(maxsize=1)
def draft_stamp_image() -> ImageReader | None:
    """草稿 in a red box as a picture: drawn as text, an importer reading the page's text runs could
    take the mark for a cell of the table below it."""
    path = any_cjk_font_file()
    if path is None:
        return None
    from PIL import Image, ImageDraw, ImageFont

    scale = 8
    w, h = STAMP_SIZE[0] * scale, STAMP_SIZE[1] * scale
    image = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    red = (192, 0, 0, 255)
    draw.rectangle((scale, scale, w - scale, h - scale), outline=red, width=int(1.5 * scale))
    font = ImageFont.truetype(path, 14 * scale)
    draw.text((w / 2, h / 2), DRAFT_MARK, font=font, fill=red, anchor="mm")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    buf.seek(0)
    return ImageReader(buf)


STAMP_SIZE = (44, 24)


def _draft_stamp(canvas: Any, doc: Any, font: str) -> None:
    """草稿 in a red box in the top-right margin of every page."""
    width, height = doc.pagesize
    x, y = width - MARGIN - STAMP_SIZE[0], height - MARGIN - 2
    image = draft_stamp_image()
    if image is not None:
        canvas.drawImage(image, x, y, width=STAMP_SIZE[0], height=STAMP_SIZE[1], mask="auto")
        return
    canvas.saveState()  # no font file to draw a picture with: the mark as text
    canvas.setFillColor(colors.HexColor("#C00000"))
    canvas.setFont(font, 14)
    canvas.drawString(x + 8, y + 7, DRAFT_MARK)
    canvas.restoreState()


@exporter
def export_pdf(
    forms: list[SelfEvaluation],
    per_form: list[list[Finding]] | None,
    *,
    final: bool,
    signoff: Mapping[str, Any] | None,
) -> bytes:
    """The forms as one PDF, as bytes.  See :func:`perfeval.export.base.exporter`."""
    font, _path = cjk_font()
    styles = _styles(font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6,
        bottomMargin=MARGIN,
        title="项目支出绩效自评表",
        author="perfeval",
    )
    usable = A4[0] - 2 * MARGIN
    story: list[Flowable] = []
    for i, form in enumerate(forms):
        layout = form_layout(form, final=final, signoff=signoff)
        if i:
            story.append(PageBreak())
        story.append(_para(layout.title, styles["title"]))
        story.append(_para(layout.subtitle, styles["subtitle"]))
        scale = usable / sum(layout.col_widths)
        widths = [w * scale for w in layout.col_widths]
        for grid in layout.grids:
            grid = split_tall_rows(grid, widths, BODY_SIZE, _FRAME_HEIGHT - 60)
            story.append(GridFlowable(grid, widths, styles))
        story.append(Spacer(1, 10))
        story.append(_signoff_table(layout.signoff, usable, styles))
    if per_form is not None:
        story.append(PageBreak())
        story.append(_para(FINDINGS_TITLE, styles["title"]))
        story.append(Spacer(1, 6))
        rows = findings_rows(forms, per_form)
        if rows:
            widths = [w * usable / sum(FINDINGS_WIDTHS) for w in FINDINGS_WIDTHS]
            story.append(GridFlowable(_grid_from_rows(FINDINGS_HEADERS, rows), widths, styles))
        else:
            story.append(_para("无。", styles["signoff"]))

    def on_page(canvas: Any, document: Any) -> None:
        if not final:
            _draft_stamp(canvas, document, font)

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


__all__ = ["Cell", "GridFlowable", "export_pdf", "split_grid"]
