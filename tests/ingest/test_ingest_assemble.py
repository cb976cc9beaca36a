"""Cells -> forms on hand-built tables: anchors, printed units, warnings, forms without titles."""

from __future__ import annotations

from perfeval.ingest.assemble import _read_number, _read_rate, assemble_forms
from perfeval.ingest.grid import Cell, Table, TextLine


def _table(rows: list[list[str]], page: int = 1) -> Table:
    cells = [
        Cell(r, c, 1, 1, text, float(c), float(c + 1))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    return Table(cells, len(rows), max(len(r) for r in rows), page)


def _form_rows(name: str, weight: str = "90", score: str = "90") -> list[list[str]]:
    return [
        ["项目名称", name, "", "", "", "", "", ""],
        [
            "项目资金（万元）",
            "",
            "年初预算数",
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
        ],
        ["", "年度资金总额", "90万元", "89.974", "89.974", "10分", "99.97", "10"],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值（A）",
            "实际完成值（B）",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        ["产出", "数量", "培训人次", "≥100人次", "120人次", weight, score, ""],
        ["总分", "", "", "", "", "100", "100", ""],
    ]


def test_printed_units_and_percentages() -> None:
    assert _read_number("90万元") == 90
    assert _read_number("10分") == 10
    assert _read_number("6,412,300") == 6412300
    assert _read_rate("99.97") == 0.9997
    assert _read_rate("100.00%") == 1.0
    assert _read_rate("1.2") == 1.2  # a fraction stays a fraction


def test_forms_without_titles_split_at_the_second_project_name() -> None:
    pages = [(1, [TextLine("（2022年度）", 1), _table([*_form_rows("甲"), *_form_rows("乙")])])]
    forms = assemble_forms(pages, kind="xlsx")
    assert [f.project_name for f in forms] == ["甲", "乙"]
    first = forms[0]
    assert first.money_unit == "万元"
    assert first.funds[0].initial_budget == 90 and first.funds[0].weight == 10
    assert first.funds[0].execution_rate == 0.9997
    assert (first.indicators[0].level1, first.indicators[0].level2) == ("产出指标", "数量指标")
    assert first.year == 2022 and not first.parse_warnings
    # the second form printed no year of its own
    assert forms[1].year == 2000 and any("年度" in w for w in forms[1].parse_warnings)


def test_unreadable_numbers_become_warnings_not_failures() -> None:
    rows = _form_rows("丙", weight="九十", score="")
    (form,) = assemble_forms(
        [(1, [TextLine("项目支出绩效自评表（2023年度）", 1), _table(rows)])], kind="docx"
    )
    assert form.year == 2023
    assert form.indicators[0].weight is None
    assert any("不是数字" in w and "九十" in w for w in form.parse_warnings)
    assert any("没有分值" in w for w in form.parse_warnings)


def test_nothing_form_like_gives_no_forms() -> None:
    assert assemble_forms([(1, [TextLine("会议纪要", 1), _table([["姓名", "电话"], ["张三", "1"]])])]) == []


def test_cut_and_shrunk_headers_still_name_their_columns() -> None:
    # a spreadsheet printed with rows too low for its wrapped headers: only their first lines show
    rows = _form_rows("丁")
    rows[1] = ["项目资金（万元）", "", "年初预", "全年预算", "全年执行", "分值", "执行率", "得分"]
    rows[3] = ["一级", "二级", "三级", "年度指标", "实际完成", "分值", "得分", "偏差原因分析及"]
    (form,) = assemble_forms([(1, [TextLine("项目支出绩效自评表（2022年度）", 1), _table(rows)])], kind="pdf")
    total = form.funds[0]
    assert (total.initial_budget, total.annual_budget, total.executed) == (90, 89.974, 89.974)
    ind = form.indicators[0]
    assert (ind.name, ind.target, ind.actual, ind.weight, ind.score) == (
        "培训人次",
        "≥100人次",
        "120人次",
        90,
        90,
    )
