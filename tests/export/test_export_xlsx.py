"""XLSX specifics: sheets per project, no formulas, fonts, merged borders, print setup, draft mark."""

from __future__ import annotations

import io

import openpyxl
import pytest

from perfeval.export import export_forms
from perfeval.export.layout import form_layout
from perfeval.export.xlsx import PAGE_BODY_PT, paginate
from perfeval.model import Finding
from perfeval.samples import sample_form


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_one_sheet_per_form_named_by_project(seed_forms) -> None:
    forms = seed_forms + [seed_forms[0].model_copy(deep=True)]
    wb = _book(export_forms(forms, "xlsx"))
    assert len(wb.sheetnames) == 6
    assert wb.sheetnames[1] == "深化“一网通办”专项费用"
    assert wb.sheetnames[0] == "网络信息系统开发、升级、建设（历年已批复）"
    assert wb.sheetnames[5] == "网络信息系统开发、升级、建设（历年已批复）(2)"
    long = seed_forms[0].model_copy(update={"project_name": "很长的项目名称" * 8})
    names = _book(export_forms([long, long], "xlsx")).sheetnames
    assert names == [("很长的项目名称" * 8)[:31], ("很长的项目名称" * 8)[:28] + "(2)"]
    assert all(len(n) <= 31 for n in wb.sheetnames)


def test_targets_starting_with_formula_characters_stay_text(seed_forms) -> None:
    form = seed_forms[0]
    form.indicators[1].actual = "+16个"
    form.indicators[2].deviation = "-项目正在开展中"
    form.indicators[3].name = "@稳定性"
    ws = _book(export_forms([form], "xlsx")).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in ("=22个", "=16个", "=100%", "+16个", "-项目正在开展中", "@稳定性"):
        assert texts[text].data_type == "s", text
    assert texts["=22个"].quotePrefix


def test_numbers_are_numeric_cells_with_formats(seed_forms) -> None:
    ws = _book(export_forms(seed_forms[:1], "xlsx")).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)}
    assert cells[8560200].number_format.startswith("#,##0.00")
    assert cells[1].number_format == "0.00%" or cells[1.0].number_format == "0.00%"


def test_fonts_borders_and_print_setup(seed_forms) -> None:
    ws = _book(export_forms(seed_forms[:1], "xlsx")).active
    assert ws["A1"].value == "项目支出绩效自评表" and ws["A2"].value == "（2022年度）"
    assert ws["A1"].font.name == "宋体"
    assert all(c.font.name == "宋体" for row in ws.iter_rows(min_row=3) for c in row if c.value)
    # every cell of a merged range inside the table carries its border
    merged = [r for r in ws.merged_cells.ranges if r.min_row > 2 and r.max_row > r.min_row]
    assert merged
    for rng in merged:  # the outline of every merged range is drawn
        for row in ws.iter_rows(
            min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col
        ):
            for cell in row:
                b = cell.border
                assert cell.column != rng.min_col or b.left.style == "thin", cell.coordinate
                assert cell.column != rng.max_col or b.right.style == "thin", cell.coordinate
                assert cell.row != rng.min_row or b.top.style == "thin", cell.coordinate
                assert cell.row != rng.max_row or b.bottom.style == "thin", cell.coordinate
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    title_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert ws.cell(row=title_row, column=2).value == "一级指标"


def test_draft_mark_unless_final(seed_forms) -> None:
    draft = _book(export_forms(seed_forms[:1], "xlsx")).active
    final = _book(export_forms(seed_forms[:1], "xlsx", final=True)).active
    assert draft.oddHeader.right.text == "草稿"
    assert not final.oddHeader.right.text


def test_findings_sheet_lists_each_finding(seed_forms) -> None:
    finding = Finding(
        code="TOTAL_MISMATCH", severity="error", path="total_score", message="总分不等于各项得分之和"
    )
    wb = _book(export_forms(seed_forms[:2], "xlsx", findings=[[finding], []]))
    assert wb.sheetnames[-1] == "未解决的校验问题"
    ws = wb[wb.sheetnames[-1]]
    assert [c.value for c in ws[2]] == ["序号", "项目", "级别", "位置", "问题", "建议"]
    assert [c.value for c in ws[3]][:5] == [
        "1",
        seed_forms[0].project_name,
        "错误",
        "总分",
        finding.message,
    ]


def test_long_form_is_paginated_with_labels_repeated() -> None:
    form = sample_form(5, "central", n_indicators=40)
    parts = paginate(form_layout(form), used=50)
    assert sum(1 for _, _, brk in parts if brk) >= 1
    for _grid, heights, _brk in parts:
        assert sum(heights) <= PAGE_BODY_PT * 2  # a part never runs on for pages
    ws = _book(export_forms([form], "xlsx")).active
    assert ws.row_breaks.brk, "explicit row breaks expected"
    # a merged cell never runs over a break
    breaks = [b.id for b in ws.row_breaks.brk]
    for rng in ws.merged_cells.ranges:
        assert not any(rng.min_row <= b < rng.max_row for b in breaks), rng.coord


@pytest.mark.parametrize("family", ["anhui", "sichuan-2023"])
def test_variant_sheets_have_their_template_labels(family: str) -> None:
    form = sample_form(8, family)
    ws = _book(export_forms([form], "xlsx")).active
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert ("预算执行情况（10分）" in texts) == (family == "sichuan-2023")
    assert ("项目资金（万元）" in texts) == (family == "anhui")


def test_empty_findings_page_says_none(seed_forms) -> None:
    wb = _book(export_forms(seed_forms[:2], "xlsx", findings=[[], []]))
    ws = wb["未解决的校验问题"]
    assert [c.value for c in ws[3]][4] == "无"
    assert "未解决的校验问题" not in _book(export_forms(seed_forms[:2], "xlsx")).sheetnames
