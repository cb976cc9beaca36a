"""Scoring rules: the seed's printed scores, each formula, the judgement rows, rounding, grades."""

from __future__ import annotations

import pytest
from rules_forms import make_form

from perfeval.numbers import convert, round_half_up
from perfeval.quantity import parse_quantity
from perfeval.rules import apply_scores, load_profile, score_form, score_indicator

PRINTED_TOTALS = [92, 88, 100, 97.6, 100]


def blank_computed(form):
    """The Done-when blanking: scores of rows whose target and actual both hold a number, the
    execution score and the total."""
    for ind in form.indicators:
        if parse_quantity(ind.target).value is not None and parse_quantity(ind.actual).value is not None:
            ind.score = None
    form.total_fund.score = None
    form.total_score = None
    return form


def test_seed_scores_come_back_after_blanking(seed_forms):
    for form, printed in zip(seed_forms, PRINTED_TOTALS, strict=True):
        original = form.model_copy(deep=True)
        result = score_form(blank_computed(form))
        assert result.profile == "shanghai"
        assert result.total == pytest.approx(printed)
        scored = apply_scores(form, result)
        assert scored.total_fund.score == original.total_fund.score == 10
        assert [i.score for i in scored.indicators] == [i.score for i in original.indicators]
    assert [r.score for r in score_form(seed_forms[3]).rows[:2]] == [4.7, 6.9]


def test_seed_4_explanations_show_formula_and_rounding(seed_forms):
    row = score_form(seed_forms[3]).rows[1]
    assert row.explanation.rule == "POSITIVE_RATIO"
    assert "11790 ÷ 12000 × 7 = 6.8775" in row.explanation.text_zh
    assert "1位小数" in row.explanation.text_zh
    assert row.explanation.source


def test_central_profile_rounds_indicators_to_two_decimals(seed_forms):
    rows = score_form(seed_forms[3], "central").rows
    assert [rows[0].score, rows[1].score] == [4.70, 6.88]


@pytest.mark.parametrize(
    ("executed", "budget", "score", "rate"),
    [(215457.6, 250000, 8.62, 0.8618), (9034, 20000, 4.52, 0.4517), (120, 100, 10, 1.2), (0, 100, 0, 0)],
)
def test_execution_score_linear_two_decimals_capped(executed, budget, score, rate):
    ex = score_form(make_form(executed=executed, annual_budget=budget), "central").execution
    assert ex.score == score
    assert ex.rate == rate


def test_execution_uses_annual_not_initial_budget():
    form = make_form(executed=80, annual_budget=100)
    form.total_fund.initial_budget = 200
    assert score_form(form).execution.score == 8


def test_execution_falls_back_to_printed_rate_and_handles_missing_budget():
    form = make_form(execution_rate=0.5)
    form.total_fund.annual_budget = None
    assert score_form(form).execution.score == 5
    form.total_fund.execution_rate = None
    ex = score_form(form).execution
    assert ex.score is None and "无法计算" in ex.explanation.text_zh


def test_hubei_execution_weight_20():
    form = make_form(executed=90, annual_budget=100, exec_weight=None)
    assert score_form(form, "hubei").execution.score == 18


def _row(profile="central", **ind):
    form = make_form([ind | {"weight": ind.get("weight", 10)}])
    return score_indicator(form.indicators[0], load_profile(profile))


@pytest.mark.parametrize(
    ("target", "actual", "score", "rule"),
    [
        (">=100人", "120人", 10, "POSITIVE_MET"),
        (">=100人", "80人", 8, "POSITIVE_RATIO"),
        ("=25000家", "16780", 6.71, "POSITIVE_RATIO"),
        ("=8次", "9次", 10, "POSITIVE_MET"),
        ("≥95%", "90%", 9.47, "POSITIVE_RATIO"),
        ("100%", "50%", 5, "POSITIVE_RATIO"),
        ("=0次", "0次", 10, "ZERO_TARGET"),
        ("=0次", "1次", 0, "ZERO_TARGET"),
        ("<=2小时", "<=2小时", 10, "REVERSE_MET"),
        ("≤2小时", "4小时", 5, "REVERSE_RATIO"),
        ("<10%", "0%", 10, "REVERSE_MET"),
        ("≤0起", "2起", 0, "ZERO_TARGET"),
        ("≤30万元", "400000元", 7.5, "REVERSE_RATIO"),
        (">=1.2万人", "6000人", 5, "POSITIVE_RATIO"),
        ("≤2小时", "90分钟", 10, "REVERSE_MET"),
        (">=100人", "-5人", 0, "POSITIVE_RATIO"),
    ],
)
def test_quantitative_rules(target, actual, score, rule):
    r = _row(target=target, actual=actual)
    assert (r.score, r.explanation.rule, r.status) == (score, rule, "rule")


@pytest.mark.parametrize(
    ("actual", "score"), [("16780家（完成率67.12%）", 4.7), ("16780家，因疫情减少", 4.7), ("基本完成", 4.9)]
)
def test_actual_with_words_after_its_number(actual, score):
    form = make_form([{"target": "=25000家", "actual": actual, "weight": 7}])
    assert score_form(form, "shanghai").rows[0].score == score


def test_reverse_linear_variant():
    profile = load_profile("central").model_copy(
        update={
            "indicators": load_profile("central").indicators.model_copy(update={"reverse_formula": "linear"})
        }
    )
    form = make_form(
        [
            {"target": "≤2小时", "actual": "3小时", "weight": 10},
            {"target": "≤2小时", "actual": "5小时", "weight": 10},
        ]
    )
    rows = score_form(form, profile).rows
    assert [r.score for r in rows] == [5, 0]
    assert rows[0].explanation.rule == "REVERSE_LINEAR"


def test_unit_conversion():
    assert convert(400000, "元", "万元") == (40.0, True)
    assert convert(3, "个", "次") == (3, False)
    assert round_half_up(2.675, 2) == 2.68  # decimal, not binary, rounding


def test_incompatible_units_are_said():
    r = _row(target=">=10个", actual="5次")
    assert r.score == 5 and "单位不一致" in r.explanation.text_zh


def test_nothing_cancelled_scores_zero():
    r = _row(target="=50个", actual="无", deviation="项目取消", score=3)
    assert (r.kind, r.status, r.score) == ("cancelled", "rule", 0)
    assert "取消" in r.explanation.text_zh


@pytest.mark.parametrize("deviation", ["项目正在开展中", "尚未验收", "项目跨年实施，推进中"])
def test_nothing_in_progress_is_judgement_and_keeps_score(deviation):
    r = _row(target="=100%", actual="无", deviation=deviation, weight=8, score=6)
    assert (r.kind, r.status, r.score, r.kept) == ("in_progress", "judgement", 6, True)
    assert "推进" in r.explanation.text_zh


def test_nothing_in_progress_outside_range_gets_suggestion():
    r = _row(target="及时", actual="无", deviation="正在开展", weight=8, score=8)
    assert (r.score, r.kept) == (5.6, False)
    assert "不在该区间内" in r.explanation.text_zh


def test_nothing_without_reason_is_treated_as_in_progress():
    r = _row(target="=100%", actual="无", weight=8)
    assert r.kind == "in_progress" and "未说明" in r.explanation.text_zh


def test_blank_actual_without_reason_is_unscored():
    r = _row(target="=100%", actual="", weight=8)
    assert (r.status, r.score) == ("unscored", None)


@pytest.mark.parametrize(
    ("target", "actual", "tier", "strong"),
    [
        ("稳定", "稳定", "achieved", True),
        ("及时", "达成年度指标", "achieved", True),
        ("及时", "部分达成年度指标并具有一定效果", "partial", True),
        ("及时", "未达成年度指标且效果较差", "not_achieved", True),
        ("提升", "显著提升", "achieved", False),
        ("完成", "基本完成", "partial", False),
        ("及时", "不及时", "not_achieved", False),
        ("完成", "未完成", "not_achieved", False),
        ("健全", "有所提升", "partial", False),
        ("≤30万元", "完成", "achieved", False),
    ],
)
def test_qualitative_tiers_from_wording(target, actual, tier, strong):
    r = _row(target=target, actual=actual)
    assert (r.tier, r.strong, r.status) == (tier, strong, "judgement")


def test_qualitative_suggestions_and_kept_scores():
    form = make_form(
        [
            {"target": "及时", "actual": "及时", "weight": 10},
            {"target": "及时", "actual": "基本及时", "weight": 10},
            {"target": "及时", "actual": "基本及时", "weight": 10, "score": 7.5},
            {"target": "及时", "actual": "基本及时", "weight": 10, "score": 8},
            {"target": "及时", "actual": "未完成", "weight": 10},
            {"target": "及时", "actual": "及时", "weight": 10, "score": 9},
        ]
    )
    rows = score_form(form, "central").rows
    assert [r.score for r in rows] == [10, 7, 7.5, 7, 3, 9]
    assert [r.kept for r in rows] == [False, False, True, False, False, True]


def test_hubei_tiers_80_50():
    r = _row("hubei", target="及时", actual="基本及时", weight=10, score=5)
    assert r.kept and r.tier_range == (5.0, 8.0, False)


def test_sichuan_nature_qualitative():
    form = make_form([{"target": "100", "actual": "100", "weight": 10, "extra": {"nature": "定性"}}])
    assert score_form(form, "central").rows[0].kind == "qualitative"


def test_total_and_grades():
    form = make_form([{"target": ">=100人", "actual": "50人", "weight": 90}], executed=100)
    result = score_form(form, "central")
    assert (result.total, result.grade) == (55, "差")
    profile = load_profile("central")
    assert [profile.grade_of(x) for x in (100, 90, 89.99, 80, 60, 59.9)] == [
        "优",
        "优",
        "良",
        "良",
        "中",
        "差",
    ]


def test_apply_scores_is_a_copy(seed_forms):
    form = blank_computed(seed_forms[3])
    scored = apply_scores(form, score_form(form))
    assert form.total_score is None and scored.total_score == 97.6
    assert scored.total_fund.execution_rate == 1


def test_unweighted_row_is_unscored():
    form = make_form([{"target": ">=1个", "actual": "1个", "weight": None}])
    row = score_form(form).rows[0]
    assert row.status == "unscored" and row.score is None


def test_explanations_json_ready(seed_forms):
    import json

    expl = score_form(seed_forms[0]).explanations()
    assert expl[0]["path"] == "funds.total.score" and expl[-1]["path"] == "total_score"
    assert len(expl) == len(seed_forms[0].indicators) + 2
    json.dumps(expl, ensure_ascii=False)


def test_form_without_funds_or_indicators():
    bare = make_form([], funds=[])
    result = score_form(bare)
    assert result.execution.score is None and result.total == 0 and result.rows == []
    assert apply_scores(bare, result).total_score == 0
    from perfeval.rules import check_form

    codes = {f.code for f in check_form(bare)}
    assert {"WEIGHT_TOTAL", "BUDGET_MISSING"} <= codes


def test_docstring_examples():
    import doctest

    from perfeval.rules import wording

    assert doctest.testmod(wording).failed == 0
