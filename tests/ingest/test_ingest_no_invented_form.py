"""A grid with a few form labels but no title, year, funds or indicators is no form: the assembly does
not invent one (it once gave 「2000年度 年度」 for a big sheet with a 项目名称 | 年度 row)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from perfeval.ingest import read_bytes
from perfeval.ingest.errors import NotAFormError


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws.cell(row=3000, column=1, value="备注")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "rows", [[["项目名称", "年度"]], [["项目名称", "年度"], ["主管部门", "某局"], ["实施单位", "某所"]]]
)
def test_labels_without_title_year_funds_or_indicators_are_not_a_form(rows):
    with pytest.raises(NotAFormError):
        read_bytes("labels.xlsx", _xlsx(rows))


def test_a_title_with_its_labels_is_still_a_form():
    rows = [["项目支出绩效自评表"], ["（2022年度）"], ["项目名称", "宣传与推广"], ["主管部门", "某局"]]
    (form,) = read_bytes("titled.xlsx", _xlsx(rows))
    assert form.year == 2022 and form.project_name == "宣传与推广"
