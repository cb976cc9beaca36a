"""Grounding: numbers a suggestion may use (the form's, with the usual conversions) and those it may not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.assist import UNGROUNDED_NUMBER, grounding_warnings, ungrounded_numbers
from perfeval.assist.grounding import numbers_in
from perfeval.interchange import forms_from_document
from perfeval.model import SelfEvaluation


@pytest.fixture()
def form(seed_forms) -> SelfEvaluation:
    return seed_forms[3]  # 窗口业务管理, money in 元: 3550000 / 2012827.6 / 2012827.6


@pytest.mark.parametrize(
    "text",
    [
        "全年预算数2012827.6元",  # as printed
        "全年预算数2,012,827.6元",  # thousands separators
        "全年预算数201.28万元",  # 元 -> 万元, rounded to the decimals written
        "全年预算数约201万元",  # rounded to whole 万元
        "年初预算数355万元，调减153.72万元",  # the adjustment (gap between two printed figures)
        "预算执行率100%，执行率100.00%",  # fraction as percent
        "完成率67.12%，完成率67.1%",  # B/A of a row, rounded
        "差8220家",  # gap between target and actual
        "实际完成1.678万家",  # a 万 multiplier
        "2022年度，2023年",  # the year and the next
        "第1项，（2）改进，1、加强管理；3. 推进",  # ordinals and list markers
        "分值7分，得分4.7分，总分97.6",  # weights and scores
        "印章送达时间不超过2小时",  # a number inside a target
        "１６７８０家",  # full-width digits
    ],
)
def test_form_numbers_are_grounded(form, text):
    assert ungrounded_numbers(text, form) == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("较上年增长35%", ["35"]),
        ("实际完成16781家", ["16781"]),
        ("全年预算数202万元", ["202"]),
        ("完成率67.2%", ["67.2"]),
        ("共3.7亿元，涉及98765户，又98765户", ["3.7", "98765"]),
        ("2019年", ["2019"]),
    ],
)
def test_invented_numbers_are_reported(form, text, bad):
    assert ungrounded_numbers(text, form) == bad
    warnings = grounding_warnings(text, form)
    assert [w.number for w in warnings] == bad
    assert all(w.code == UNGROUNDED_NUMBER and "找不到出处" in w.message for w in warnings)


def test_wanyuan_form_allows_yuan(seed_forms):
    form = seed_forms[0].model_copy(update={"money_unit": "万元"})
    form.funds[0].annual_budget = 641.23
    assert ungrounded_numbers("全年预算数6412300元，即641.23万元", form) == []


def test_numbers_in_reads_decimals_and_skips_ordinals():
    found = [(p, v, d) for p, v, d, _ in numbers_in("第3项完成67.12%，共1,200台；（2）其他")]
    assert found == [("67.12", 67.12, 2), ("1,200", 1200.0, 0)]


@settings(max_examples=60, deadline=None)
@given(
    row=st.integers(0, 11),
    decimals=st.integers(0, 3),
    as_wan=st.booleans(),
)
def test_any_rounding_of_a_form_figure_is_grounded(seed_documents, row, decimals, as_wan):
    form = forms_from_document(seed_documents[3])[0]
    ind = form.indicators[row]
    value = ind.parsed_target.value
    if value is None:
        value = float(ind.weight)
    money = form.funds[0].annual_budget / (1e4 if as_wan else 1)
    text = f"指标值{value:.{decimals}f}，资金{money:.{decimals}f}{'万元' if as_wan else '元'}"
    assert ungrounded_numbers(text, form) == []


@settings(max_examples=60, deadline=None)
@given(n=st.integers(100_000, 10**9))
def test_large_invented_numbers_are_never_grounded(seed_documents, n):
    # 宣传与推广: nothing between 10^5 and 10^9 except its money figures
    form = forms_from_document(seed_documents[2])[0]
    figures = {580000, 210000, 205498, 205499}
    if n in figures:
        return
    assert ungrounded_numbers(f"共{n}人", form) == [str(n)]
