"""Text that runs past its cell in a PDF drawn without clipping (a direct drawer printing a
fixed-height table): every line of a paragraph belongs to the cell where the paragraph starts — or,
vertically centred, the cell its middle is in — never to the neighbour it spills into.  Drawn with
reportlab: ruled cells, each cell's lines drawn one after the other."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from perfeval.ingest.grid import Table, page_blocks
from perfeval.ingest.pdf import iter_pages

FONT = "STSong-Light"
SIZE = 8.0
PITCH = 10.0
ROW = 14.0
XS = (40.0, 120.0, 240.0)
TOP = 700.0


def _page(cells: dict[tuple[int, int], tuple[list[str], str]], n_rows: int = 4) -> bytes:
    """A 2-column table of ``n_rows`` rows of height ROW; ``cells[(row, col)] = (lines, align)``
    with ``align`` ``top`` or ``centre`` (lines centred on the row's middle)."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setLineWidth(0.5)
    ys = [TOP - i * ROW for i in range(n_rows + 1)]
    for y in ys:
        c.line(XS[0], y, XS[-1], y)
    for x in XS:
        c.line(x, ys[0], x, ys[-1])
    c.setFont(FONT, SIZE)
    for (row, col), (lines, align) in sorted(cells.items()):
        if align == "top":
            first = ys[row] - 2 - 0.88 * SIZE
        else:  # centred: the block of lines centred on the row's middle
            middle = (ys[row] + ys[row + 1]) / 2
            first = middle + (len(lines) - 1) * PITCH / 2 - 0.3 * SIZE
        for i, line in enumerate(lines):
            c.drawString(XS[col] + 2, first - i * PITCH, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def _texts(data: bytes) -> dict[tuple[int, int], str]:
    (page,) = iter_pages(data)
    (table,) = [b for b in page_blocks(page) if isinstance(b, Table)]
    return {(cell.row, cell.col): cell.text.replace("\n", "") for cell in table.cells if cell.text}


@pytest.mark.parametrize("below", ["无偏差", None])
def test_a_wrapped_deviation_keeps_its_last_characters(below: str | None) -> None:
    # `…确保按期完` + `成`: the second line falls into the next row, whose own deviation cell is
    # filled or empty
    cells = {
        (0, 0): (["资金拨付及时率"], "top"),
        (0, 1): (["设备到货延迟，确保按期完", "成"], "top"),
        (1, 0): (["群众满意度"], "top"),
        (2, 0): (["培训人次"], "top"),
    }
    if below:
        cells[(1, 1)] = ([below], "top")
    got = _texts(_page(cells))
    assert got[(0, 1)] == "设备到货延迟，确保按期完成"
    assert got.get((1, 1)) == below
    assert got[(0, 0)] == "资金拨付及时率" and got[(1, 0)] == "群众满意度"


def test_a_centred_paragraph_taller_than_its_row_belongs_to_its_middle_row() -> None:
    cells = {
        (0, 0): (["第一行"], "centre"),
        (1, 0): (["第二行"], "centre"),
        (1, 1): (["受政府采购流程延后影", "响，设备到货晚于计划", "2个月，项目完成初验"], "centre"),
        (2, 0): (["第三行"], "centre"),
        (2, 1): (["无"], "centre"),
    }
    got = _texts(_page(cells))
    assert got[(1, 1)] == "受政府采购流程延后影响，设备到货晚于计划2个月，项目完成初验"
    assert got[(2, 1)] == "无"
    assert (1, 0) in got and got[(0, 0)] == "第一行" and got[(2, 0)] == "第三行"


def test_one_line_cells_drawn_one_after_another_stay_apart() -> None:
    # a column of one-line cells drawn top to bottom, rows as high as a line pitch
    cells = {(r, 0): ([f"指标{r}"], "centre") for r in range(4)}
    got = _texts(_page(cells))
    assert [got[(r, 0)] for r in range(4)] == ["指标0", "指标1", "指标2", "指标3"]
