"""Page-fit details that make printed exports read back right: DOCX rows a word processor must not
split across pages, number columns wide enough for ``100.00``, a long goal written once in XLSX."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from perfeval.export import export_forms
from perfeval.export.docx import BODY_SIZE, CELL_MARGIN_PT, table_widths
from perfeval.export.layout import fmt_money, form_layout, text_em
from perfeval.ingest import read_forms
from perfeval.samples import sample_form


def _indicator_table(document: docx.document.Document) -> docx.table.Table:
    return next(t for t in document.tables if any(c.text == "三级指标" for c in t.rows[0].cells))


def _cant_split(row: docx.table._Row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize("template", ["central", "sichuan-2023"])
def test_docx_indicator_and_total_rows_never_split(template: str) -> None:
    form = sample_form(4, template, n_indicators=14)
    form.indicators[3].deviation = "偏差原因较长，需要说明。" * 400  # taller than a page: may split
    document = docx.Document(io.BytesIO(export_forms([form], "docx")))
    table = _indicator_table(document)
    rows = table.rows
    assert len(rows) == 1 + len(form.indicators) + 1
    total = rows[-1]
    assert total.cells[0].text in ("总分", "合计") and _cant_split(total)
    for i, row in enumerate(rows[1:-1]):
        assert _cant_split(row) == (i != 3), i
    goal = next(r for t in document.tables for r in t.rows if form.goal_planned in [c.text for c in r.cells])
    assert _cant_split(goal)  # a goal text that fits a page stays whole too
    form.goal_planned = "建设基础业务数据库，提升服务能力。" * 300
    document = docx.Document(io.BytesIO(export_forms([form], "docx")))
    tall = next(r for t in document.tables for r in t.rows if form.goal_planned in [c.text for c in r.cells])
    assert not _cant_split(tall)  # could not fit a page: the word processor may break it


#: Em widths of DejaVu Serif, the widest face LibreOffice prints Latin digits with (its stand-in for
#: Times New Roman where that is missing).
_DEJAVU_EM = {",": 0.318, ".": 0.318, "%": 0.95}


def _printed_width(text: str) -> float:
    return sum(_DEJAVU_EM.get(ch, 0.636) for ch in text) * BODY_SIZE.pt


def _fits(layout_widths: list[float], col: int, text: str) -> bool:
    """``text`` fits one line of column ``col`` in the DOCX table (less the cell margins) and in the
    PDF table (less its padding)."""
    need = _printed_width(text)
    return table_widths(layout_widths)[col] - 2 * CELL_MARGIN_PT >= need and layout_widths[col] - 5 >= need


@pytest.mark.parametrize("template", ["central", "anhui", "zhongjiang", "sichuan-2023"])
def test_number_columns_fit_their_widest_numbers(template: str) -> None:
    """分值/权重/得分 hold ``100.00`` on one line, 执行率 ``100.00%``, the central funds columns the
    form's amounts (and ``8,560,200.00`` on a form in 元)."""
    form = sample_form(2, template)
    layout = form_layout(form)
    widths = layout.col_widths
    head = layout.grids[0]
    table = next(g for g in layout.grids if g.role == "indicators")
    scores = {c.col for c in table.cells if c.row == 0 and c.text in ("分值", "权重", "得分")}
    scores |= {c.col for c in head.cells if c.text in ("分值", "权重", "得分")}
    assert len(scores) >= 3
    assert all(_fits(widths, col, "100.00") for col in scores), scores
    rates = {c.col for c in head.cells if c.text in ("执行率", "预算执行率")}
    assert len(rates) == 1 and all(_fits(widths, col, "100.00%") for col in rates)
    amounts = [v for r in form.funds for v in (r.initial_budget, r.annual_budget, r.executed) if v]
    widest = max((fmt_money(v) for v in amounts), key=len)
    if form.money_unit == "元":
        widest = max(widest, "8,560,200.00", key=len)
    money = {c.col for c in head.cells if c.text in ("年初预算数", "全年预算数", "全年执行数")}
    if template != "sichuan-2023":
        assert len(money) == 3 and all(_fits(widths, col, widest) for col in money), widest
        header = next(c for c in table.cells if c.text == "偏差原因分析及改进措施")
        assert table_widths(widths)[header.col] - 2 * CELL_MARGIN_PT >= text_em(header.text) * BODY_SIZE.pt


def test_xlsx_long_goal_is_written_once(tmp_path) -> None:
    form = sample_form(1, "central")
    form.goal_planned = "本项目共安排资金93.12万元，用于乡村振兴。" * 35  # 805 characters
    data = export_forms([form], "xlsx", final=True)
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "".join(v for v in cells if "本项目共安排资金" in v) == form.goal_planned
    assert cells.count("年度总体目标") == 1
    path = tmp_path / "goal.xlsx"
    path.write_bytes(data)
    (back,) = read_forms(path)
    assert back.goal_planned == form.goal_planned
    assert back.goal_actual == form.goal_actual
