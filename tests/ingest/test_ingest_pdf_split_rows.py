"""Table rows that a page break splits (Word, WPS and LibreOffice let a row break across pages): the
rest of the row's wrapped texts sits under the repeated header on the next page and is appended to
the row above, column by column — names, level-1/level-2 labels (any label, not only standard ones)
and the 合计 row's numbers.  The PDF is drawn with reportlab: ruled cells, one table per page."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from perfeval.export.layout import CENTRAL_INDICATOR_HEADERS
from perfeval.ingest import read_bytes

FONT = "STSong-Light"
SIZE = 8.0
LINE = 10.0
WIDTHS = (50, 50, 80, 55, 55, 35, 35, 90)
HEADER = list(CENTRAL_INDICATOR_HEADERS.values())

#: A page's table: rows of cell texts (None: covered by the merged cell above), row spans of merged
#: cells by their top-left (row, column), and row heights in text lines.
Page = tuple[list[list[str | None]], dict[tuple[int, int], int], list[int]]


def _table(c: canvas.Canvas, top: float, page: Page) -> None:
    rows, spans, heights = page
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h * LINE - 4)
    xs = [40.0]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            if text is None:
                continue
            span = spans.get((r, k), 1)
            y0, y1 = ys[r + span], ys[r]
            c.rect(xs[k], y0, xs[k + 1] - xs[k], y1 - y0, stroke=1, fill=0)
            for n, line in enumerate(text.split("\n")):
                c.drawString(xs[k] + 2, y1 - 2 - SIZE - n * LINE, line)


def _pdf(pages: list[Page]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i, page in enumerate(pages):
        c.setFont(FONT, SIZE)
        c.setLineWidth(0.5)
        top = 780.0
        if i == 0:
            c.drawString(230, 800, "项目支出绩效自评表")
            c.drawString(245, 788, "（2022年度）")
            c.rect(40, 750, 100, 20)
            c.rect(140, 750, 350, 20)
            c.drawString(42, 757, "项目名称")
            c.drawString(142, 757, "测试项目")
            top = 720.0
        _table(c, top, page)
        c.drawString(280, 30, f"- {i + 1} -")
        c.showPage()
    c.save()
    return buf.getvalue()


def _row(l1: str | None, l2: str | None, name: str, *rest: str) -> list[str | None]:
    return [l1, l2, name, *rest, *[""] * (5 - len(rest))]


def test_split_rows_are_joined_to_the_row_above() -> None:
    page1: Page = (
        [
            HEADER,
            _row("产出指标", "数量指标", "甲", "=1个", "1个", "40", "40"),
            _row("效益指标", "经济效益指标", "乙", "提升", "提升", "10", "10"),
            _row(None, "时效指", "项目完工及", "及时", "及时", "10", "10", "因天气原\n因，"),
        ],
        {(2, 0): 2},
        [2, 1, 1, 2],
    )
    # the rest of the split row: 标 | 时性 | 推迟验收; the level-1 cell continues and covers 丙 too;
    # the last row is cut again: its level-2 label 群众获得感指标 is not a standard name
    page2: Page = (
        [
            HEADER,
            _row("", "标", "时性", "", "", "", "", "推迟验收"),
            _row(None, "社会效益指标", "丙", "提升", "提升", "10", "10"),
            _row("满意度指标", "群众获得", "丁", "≥90%", "95%", "10", "10"),
        ],
        {(1, 0): 2},
        [2, 1, 1, 1],
    )
    # 群众获得|感指标 is one merged cell cut by the break: its page-2 part covers the rest of 丁 and 戊
    page3: Page = (
        [
            HEADER,
            _row("", "感指标", "", "", "", "", ""),
            _row(None, None, "戊", "≥90%", "92%", "10", "9.4"),
            ["合计", "", "", "", "", "100", "97.4", ""],
        ],
        {(1, 0): 2, (1, 1): 2},
        [2, 1, 1, 1],
    )
    # the 合计 row's score 97.44 wraps in its narrow column and the break cuts it after 97.4
    page4: Page = ([HEADER, ["", "", "", "", "", "", "4", ""]], {}, [2, 1])
    (form,) = read_bytes("split.pdf", _pdf([page1, page2, page3, page4]))
    ind = form.indicators
    assert [i.name for i in ind] == ["甲", "乙", "项目完工及时性", "丙", "丁", "戊"]
    assert [i.level2 for i in ind] == [
        "数量指标",
        "经济效益指标",
        "时效指标",
        "社会效益指标",
        "群众获得感指标",
        "群众获得感指标",
    ]
    assert [i.level1 for i in ind] == ["产出指标", *["效益指标"] * 3, *["满意度指标"] * 2]
    assert ind[2].deviation == "因天气原因，推迟验收"
    assert [i.weight for i in ind] == [40, 10, 10, 10, 10, 10]
    assert (form.total_weight, form.total_score) == (100, 97.44)
    assert form.source["pages"] == [1, 2, 3, 4]
    assert form.parse_warnings == []


def test_a_row_after_the_break_with_its_own_weight_is_not_a_continuation() -> None:
    page1: Page = (
        [HEADER, _row("产出指标", "数量指标", "甲", "=1个", "1个", "50", "50")],
        {},
        [2, 1],
    )
    page2: Page = (
        [
            HEADER,
            _row("", "质量指标", "乙", "=100%", "100%", "50", "50"),
            ["合计", "", "", "", "", "100", "100", ""],
        ],
        {},
        [2, 1, 1],
    )
    (form,) = read_bytes("nosplit.pdf", _pdf([page1, page2]))
    assert [(i.name, i.level1, i.level2) for i in form.indicators] == [
        ("甲", "产出指标", "数量指标"),
        ("乙", "产出指标", "质量指标"),
    ]
    assert (form.total_weight, form.total_score) == (100, 100)
