"""Forms that run over a page break: LibreOffice PDFs (from our XLSX and DOCX exports, made by
data/make_pagebreak.py) and the assembler on hand-built pages for each way a break splits a table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfeval.compare import compare_bundle
from perfeval.export.layout import CENTRAL_INDICATOR_HEADERS
from perfeval.ingest import read_forms
from perfeval.ingest.assemble import assemble_forms
from perfeval.ingest.grid import Cell, Table, TextLine
from perfeval.interchange import form_to_dict

DATA = Path(__file__).resolve().parent / "data"


def _score(parsed: list, truth: list) -> tuple[int, int, list[str]]:
    errs: list[str] = []
    ok, tot = compare_bundle([form_to_dict(f) for f in parsed], truth, errs)
    return ok, tot, errs


@pytest.mark.parametrize("name", ["pagebreak-xlsx.pdf", "pagebreak-docx.pdf", "pagebreak-chromium.pdf"])
def test_libreoffice_pdfs_over_page_breaks(name: str) -> None:
    truth_file = "pagebreak-chromium.json" if "chromium" in name else "pagebreak.json"
    truth = json.loads((DATA / truth_file).read_text(encoding="utf-8"))["forms"]
    forms = read_forms(DATA / name)
    assert all(len(f.source["pages"]) >= 2 for f in forms)
    ok, tot, errs = _score(forms, truth)
    assert ok == tot, errs[:10]
    assert [f.source["template"] for f in forms] == [t["source"]["template"] for t in truth]


HEADER = list(CENTRAL_INDICATOR_HEADERS.values())


def _table(page: int, rows: list[list[str | None]], spans: dict[tuple[int, int], int] | None = None) -> Table:
    """A table whose cell (r, c) is rows[r][c]; None marks a cell covered by the merged cell above;
    spans gives row spans of merged cells by their top-left position."""
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            rs = (spans or {}).get((r, c), 1)
            cells.append(Cell(r, c, rs, 1, text, float(c), float(c + 1)))
    return Table(cells, len(rows), len(rows[0]), page)


def _head() -> list:
    return [
        TextLine("项目支出绩效自评表", 1),
        TextLine("（2022年度）", 1),
        _table(1, [["项目名称", "测试项目", "", "", "", "", "", ""]]),
    ]


def test_level_label_printed_only_on_the_second_page() -> None:
    page1 = [
        *_head(),
        _table(
            1,
            [
                HEADER,
                ["", "数量指标", "甲", "=1个", "1个", "10", "10", ""],
                [None, None, "乙", "=2个", "2个", "10", "10", ""],
            ],
            {(1, 0): 2, (1, 1): 2},
        ),
        TextLine("- 1 -", 1),
    ]
    page2 = [
        _table(
            2,
            [
                HEADER,
                ["产出指标", "质量指标", "丙", "=100%", "100%", "10", "10", ""],
                ["效益指标", "社会效益指标", "丁", "提升", "提升", "60", "60", ""],
                ["总分", "", "", "", "", "100", "100", ""],
            ],
        ),
    ]
    forms = assemble_forms([(1, page1), (2, page2)], kind="pdf")
    (form,) = forms
    assert [i.name for i in form.indicators] == ["甲", "乙", "丙", "丁"]
    assert [i.level1 for i in form.indicators] == ["产出指标", "产出指标", "产出指标", "效益指标"]
    assert [i.level2 for i in form.indicators] == ["数量指标", "数量指标", "质量指标", "社会效益指标"]
    assert form.source["pages"] == [1, 2]
    assert (form.total_weight, form.total_score) == (100, 100)


def test_level_label_lines_split_by_the_break_are_joined() -> None:
    page1 = [*_head(), _table(1, [HEADER, ["满意度指标", "服务对象满", "甲", "≥90%", "95%", "10", "10", ""]])]
    page2 = [
        _table(
            2,
            [
                ["", "意度指标", "乙", "=100%", "100%", "10", "10", ""],
                ["总分", "", "", "", "", "100", "100", ""],
            ],
        )
    ]
    (form,) = assemble_forms([(1, page1), (2, page2)], kind="pdf")
    assert [i.level2 for i in form.indicators] == ["服务对象满意度指标", "服务对象满意度指标"]
    assert [i.level1 for i in form.indicators] == ["满意度指标", "满意度指标"]


@pytest.mark.parametrize(
    ("before", "after"), [("服务对象满意度指标", "意度指标"), ("服务对象满", "服务对象满意度指标")]
)
def test_a_level_label_whole_on_one_side_of_the_break_and_cut_on_the_other(before: str, after: str) -> None:
    page1 = [*_head(), _table(1, [HEADER, ["满意度指标", before, "甲", "≥90%", "95%", "10", "10", ""]])]
    page2 = [
        _table(
            2,
            [
                ["", after, "乙", "=100%", "100%", "10", "10", ""],
                ["总分", "", "", "", "", "100", "100", ""],
            ],
        )
    ]
    (form,) = assemble_forms([(1, page1), (2, page2)], kind="pdf")
    assert [i.level2 for i in form.indicators] == ["服务对象满意度指标", "服务对象满意度指标"]


def test_a_row_split_by_the_break_is_one_indicator() -> None:
    page1 = [
        *_head(),
        _table(
            1,
            [
                HEADER,
                ["产出指标", "数量指标", "安全等第三方测试通", "=100%", "100%", "10", "10", "因疫情原因，"],
            ],
        ),
    ]
    page2 = [
        _table(
            2,
            [
                HEADER,
                ["", "", "过率", "", "", "", "", "推迟验收"],
                ["", "", "乙", "=2个", "2个", "10", "10", ""],
            ],
        ),
    ]
    (form,) = assemble_forms([(1, page1), (2, page2)], kind="pdf")
    assert [i.name for i in form.indicators] == ["安全等第三方测试通过率", "乙"]
    assert form.indicators[0].deviation == "因疫情原因，推迟验收"
    assert form.indicators[1].level1 == "产出指标"


def test_title_and_head_rows_repeated_on_the_next_page_do_not_split_the_form() -> None:
    rows1 = [HEADER, ["产出指标", "数量指标", "甲", "=1个", "1个", "45", "45", ""]]
    rows2 = [
        ["项目名称", "测试项目", "", "", "", "", "", ""],
        HEADER,
        ["效益指标", "社会效益指标", "乙", "提升", "提升", "45", "45", ""],
        ["总分", "", "", "", "", "100", "100", ""],
    ]
    second = [
        TextLine("项目支出绩效自评表", 3),
        TextLine("（2023年度）", 3),
        _table(
            3,
            [
                ["项目名称", "另一个项目", "", "", "", "", "", ""],
                HEADER,
                ["产出指标", "数量指标", "丙", "=1个", "1个", "90", "90", ""],
            ],
        ),
    ]
    pages = [
        (1, [*_head(), _table(1, rows1)]),
        (2, [TextLine("项目支出绩效自评表", 2), TextLine("（2022年度）", 2), _table(2, rows2)]),
        (3, second),
    ]
    forms = assemble_forms(pages, kind="pdf")
    assert [f.project_name for f in forms] == ["测试项目", "另一个项目"]
    assert [i.name for i in forms[0].indicators] == ["甲", "乙"]
    assert forms[0].source["pages"] == [1, 2] and forms[1].source["pages"] == [3]
    assert (forms[0].year, forms[1].year) == (2022, 2023)
