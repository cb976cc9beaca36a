"""Odd forms export without error in every format: empty forms, markup characters, texts longer
than a page, and (Hypothesis) arbitrary forms; the JSON export always reads back unchanged."""

from __future__ import annotations

import io
import json

import openpyxl
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.export import FORMATS, export_forms
from perfeval.export.layout import Grid, split_tall_rows
from perfeval.interchange import bundle_to_dict, loads
from perfeval.model import FundRow, Indicator, SelfEvaluation


def _long_form(template: str) -> SelfEvaluation:
    return SelfEvaluation(
        year=2023,
        project_name="A<&>\"'项目",
        goal_planned="建设基础业务数据库，提升服务能力。" * 250,
        goal_actual="第一行\n第二行",
        funds=[
            FundRow(
                label="总额", kind="total", annual_budget=1, executed=1, execution_rate=1, weight=10, score=10
            )
        ],
        indicators=[
            Indicator(
                level1="产出指标",
                level2="数量指标",
                name="n<1>",
                target="=5个",
                actual="&",
                weight=90,
                score=90,
            ),
            Indicator(name="无级别", target="@x", deviation="原因分析。" * 500),
        ],
        total_weight=100,
        total_score=100,
        source={"template": template},
    )


@pytest.mark.parametrize("template", ["central", "sichuan-2023"])
def test_texts_longer_than_a_page(template: str) -> None:
    form = _long_form(template)
    pdf = pypdf.PdfReader(io.BytesIO(export_forms([form], "pdf")))
    assert len(pdf.pages) >= 3
    text = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
    assert text.count("建设基础业务数据库") == 250  # every piece printed once, in order
    ws = openpyxl.load_workbook(io.BytesIO(export_forms([form], "xlsx"))).active
    assert max(d.height or 0 for d in ws.row_dimensions.values()) <= 409
    # taller than a page: divided between the pages' cells, each piece written once, in order
    pieces = [c.value for row in ws.iter_rows() for c in row if "建设基础业务数据库" in str(c.value)]
    assert "".join(pieces) == form.goal_planned


def test_empty_form_exports_in_every_format() -> None:
    form = SelfEvaluation(year=2021)
    for fmt in FORMATS:
        assert export_forms([form], fmt)


def test_split_tall_rows_keeps_text_in_order() -> None:
    grid = Grid(ncols=3)
    grid.add(0, 0, "年度总体目标", "label", rowspan=2)
    grid.add(0, 1, "预期目标", "header")
    grid.add(0, 2, "实际完成情况", "header")
    grid.add(1, 1, "很长的目标。" * 400)
    grid.add(1, 2, "短")
    out = split_tall_rows(grid, [40, 200, 200], 9, 500)
    assert out.nrows > 2
    parts = sorted((c for c in out.cells if c.col == 1 and c.row >= 1), key=lambda c: c.row)
    assert "".join(c.text for c in parts) == "很长的目标。" * 400
    label = next(c for c in out.cells if c.text == "年度总体目标")
    assert label.rowspan == out.nrows
    short = next(c for c in out.cells if c.text == "短")
    assert short.rowspan == out.nrows - 1
    kept = split_tall_rows(grid, [40, 200, 200], 9, 500, chunk=False)
    assert next(c for c in kept.cells if c.col == 1 and c.row == 1).rowspan == kept.nrows - 1


_text = st.text(alphabet=st.sampled_from("项目产出=≥≤%<>&\"'@+-0123456789.个 \n及时"), max_size=30)
_number = st.one_of(
    st.none(), st.integers(0, 10**7), st.floats(0, 10**7, allow_nan=False).map(lambda x: round(x, 2))
)
_indicator = st.builds(
    Indicator,
    level1=st.sampled_from(["产出指标", "效益指标", "满意度指标", ""]),
    level2=st.sampled_from(["数量指标", "质量指标", "社会效益指标", ""]),
    name=_text,
    target=_text,
    actual=_text,
    weight=st.one_of(st.none(), st.integers(0, 30)),
    score=st.one_of(st.none(), st.floats(0, 30, allow_nan=False).map(lambda x: round(x, 2))),
    deviation=_text,
)
_fund = st.builds(
    FundRow,
    label=st.sampled_from(["年度资金总额", "当年财政拨款", "其他资金"]),
    kind=st.sampled_from(["total", "fiscal", "other"]),
    initial_budget=_number,
    annual_budget=_number,
    executed=_number,
    execution_rate=st.one_of(st.none(), st.floats(0, 2, allow_nan=False)),
)
_form = st.builds(
    SelfEvaluation,
    year=st.integers(2015, 2030),
    project_name=_text,
    department=_text,
    money_unit=st.sampled_from(["元", "万元"]),
    funds=st.lists(_fund, max_size=5),
    goal_planned=_text,
    indicators=st.lists(_indicator, max_size=8),
    total_score=_number,
    source=st.sampled_from([None, {"template": "central"}, {"template": "sichuan-2023"}]),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_form, min_size=1, max_size=3), st.sampled_from(["xlsx", "docx", "pdf"]))
def test_any_form_exports(forms: list[SelfEvaluation], fmt: str) -> None:
    assert export_forms(forms, fmt)


@settings(max_examples=30, deadline=None)
@given(st.lists(_form, min_size=1, max_size=3))
def test_json_export_reads_back_unchanged(forms: list[SelfEvaluation]) -> None:
    text = export_forms(forms, "json").decode("utf-8")
    back = loads(text)
    assert json.loads(json.dumps(bundle_to_dict(back))) == json.loads(json.dumps(bundle_to_dict(forms)))
