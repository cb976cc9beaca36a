"""The content-stream tokenizer and the page reader (runs, ruling lines, clipping)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from seedpaths import SEED_PDF

from perfeval.ingest.content import ContentSyntaxError, operations
from perfeval.ingest.grid import Table, page_blocks
from perfeval.ingest.pdf import iter_pages

DATA = Path(__file__).resolve().parent / "data"


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return str(value)


@pytest.mark.parametrize("name", ["seed", "pagebreak-docx.pdf"])
def test_same_operations_as_pypdf(name: str) -> None:
    path = SEED_PDF if name == "seed" else DATA / name
    reader = PdfReader(path)
    for page in reader.pages[:3]:
        ours = list(operations(page.get_contents().get_data()))
        theirs = ContentStream(page.get_contents(), reader, "bytes").operations
        assert [(_plain(o), op) for o, op in ours] == [(_plain(o), op) for o, op in theirs]


def test_tokens() -> None:
    data = (
        b"q 1 0 0 1 -2.5 .5 cm % a comment\n"
        b"BT /F#201 9 Tf (a\\(b\\)c (nested) \\101\\n\\\\) Tj <48 65 6C6C6F> Tj "
        b"[(A) -250 (B)] TJ ET BI /W 2 /H 1 /CS /G ID \x00\xff EI Q"
    )
    ops = list(operations(data))
    assert ops[0] == ([], b"q")
    assert ops[1] == ([1.0, 0.0, 0.0, 1.0, -2.5, 0.5], b"cm")
    assert ops[3] == (["/F 1", 9.0], b"Tf")
    assert ops[4] == ([b"a(b)c (nested) A\n\\"], b"Tj")
    assert ops[5] == ([b"Hello"], b"Tj")
    assert ops[6] == ([[b"A", -250.0, b"B"]], b"TJ")
    assert ops[8] == ([], b"INLINE IMAGE")
    assert ops[9] == ([], b"Q")
    with pytest.raises(ContentSyntaxError):
        list(operations(b"BT (unterminated Tj ET"))


@given(st.binary(max_size=40))
def test_any_bytes_round_trip_as_an_escaped_string(raw: bytes) -> None:
    escaped = b"".join(b"\\%03o" % b if b in b"()\\\r\n" or b > 126 or b < 32 else bytes([b]) for b in raw)
    assert list(operations(b"(" + escaped + b") Tj")) == [([raw], b"Tj")]


def _pdf(draw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_clipped_text_is_invisible_and_thin_boxes_are_lines() -> None:
    def draw(c):
        c.setFont("Helvetica", 10)
        c.drawString(100, 700, "visible")
        c.saveState()
        p = c.beginPath()
        p.rect(90, 600, 100, 30)
        c.clipPath(p, stroke=0, fill=0)
        c.drawString(100, 610, "inside")
        c.drawString(100, 500, "outside")
        c.restoreState()
        c.rect(50, 400, 300, 0.5, stroke=0, fill=1)  # a rule drawn as a thin filled box
        c.rect(50, 300, 0.6, 100, stroke=0, fill=1)
        c.rect(60, 300, 100, 50, stroke=0, fill=1)  # a shaded area is not a line

    (page,) = iter_pages(_pdf(draw))
    # every run is kept with the clip it was drawn in; the one outside its clip is hidden
    assert [(r.text, r.hidden) for r in page.runs] == [
        ("visible", False),
        ("inside", False),
        ("outside", True),
    ]
    assert page.runs[0].clip is None and page.runs[1].clip == page.runs[2].clip
    assert [round(v) for v in page.runs[1].clip] == [90, 600, 190, 630]
    # text hidden outside a clip that is no table cell is not read
    assert [b.text for b in page_blocks(page)] == ["visible", "inside"]
    assert [(round(y, 1), round(a), round(b)) for y, a, b in page.hlines] == [(400.2, 50, 350)]
    assert [(round(x, 1), round(a), round(b)) for x, a, b in page.vlines] == [(50.3, 300, 400)]


def test_rotated_page_and_cells_with_spans() -> None:
    def draw(c):
        c.setFont("Helvetica", 10)
        xs, ys = (50, 150, 250), (700, 680, 660)
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        c.setStrokeColorRGB(1, 1, 1)  # a white line erases nothing: it is not a border
        c.line(150, 700, 150, 660)
        c.drawString(55, 685, "merged")
        c.drawString(155, 665, "b2")

    data = _pdf(draw)
    (page,) = iter_pages(data)
    (table,) = [b for b in page_blocks(page) if isinstance(b, Table)]
    assert (table.n_rows, table.n_cols) == (2, 2)
    texts = {(c.row, c.col, c.rowspan, c.colspan): c.text for c in table.cells}
    assert texts[(0, 0, 1, 1)] == "merged" and texts[(1, 1, 1, 1)] == "b2"

    reader = PdfReader(io.BytesIO(data))
    reader.pages[0].rotate(90)
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=reader)
    out = io.BytesIO()
    writer.write(out)
    (turned,) = iter_pages(out.getvalue())
    (table,) = [b for b in page_blocks(turned) if isinstance(b, Table)]
    assert sorted(c.text for c in table.cells if c.text) == ["b2", "merged"]


def test_centred_text_wider_than_its_cell_stays_in_its_cell() -> None:
    def draw(c):
        c.setFont("Helvetica", 10)
        xs, ys = (50, 150, 170, 300), (700, 680)
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        c.drawString(55, 685, "left")
        c.drawCentredString(160, 685, "100.00%")  # wider than the 20pt column, centred on it
        c.drawString(175, 685, "right")

    (page,) = iter_pages(_pdf(draw))
    (table,) = [b for b in page_blocks(page) if isinstance(b, Table)]
    assert [c.text for c in sorted(table.cells, key=lambda c: c.col)] == ["left", "100.00%", "right"]


def test_a_line_printed_past_the_table_bottom_returns_to_its_cell() -> None:
    def draw(c):
        c.setFont("Helvetica", 10)
        xs, ys = (50, 150, 300), (700, 680, 660)
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        c.drawString(55, 685, "a")
        c.drawString(155, 665, "first line of")  # the last row's cell ...
        c.drawString(155, 653, "its wrap")  # ... and its line below the bottom border
        c.drawString(55, 620, "footer")  # further down: free text

    (page,) = iter_pages(_pdf(draw))
    blocks = page_blocks(page)
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert [c.text for c in table.cells if c.row == 1 and c.col == 1] == ["first line of\nits wrap"]
    assert [b.text for b in blocks if not isinstance(b, Table)] == ["footer"]
