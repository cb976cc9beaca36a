"""What-if scenarios and the actual value an indicator needs."""

from __future__ import annotations

import pytest
from rules_forms import make_form

from perfeval.rules import WhatIfError, goal_seek, needed_for, score_form, what_if


def test_what_if_changes_a_copy_and_reports_deltas(seed_forms):
    form = seed_forms[3]
    result = what_if(form, {"indicators.0.actual": "20000", "funds.total.executed": 1811544.84})
    assert form.indicators[0].actual == "16780"  # original untouched
    assert result.row_deltas[0] == pytest.approx(0.9)  # 4.7 -> 5.6
    assert all(d == 0 for d in result.row_deltas[1:])
    assert result.execution_delta == pytest.approx(-1.0)  # 90% of the budget
    assert result.total_delta == pytest.approx(-0.1)
    assert (result.grade_before, result.grade_after) == ("优", "优")
    assert result.form.indicators[0].score == 5.6 and result.form.total_score == pytest.approx(97.5)
    codes = {f.code for f in result.findings}
    assert "SCORE_MISMATCH" not in codes and "FUNDS_SUM_MISMATCH" in codes


def test_what_if_grade_can_drop():
    form = make_form(
        [{"target": ">=100人", "actual": "100人", "weight": 90, "score": 90}], total_score=100, exec_score=10
    )
    result = what_if(form, [("indicators.0.actual", "60人")], "central")
    assert result.after.total == 64 and result.grade_after == "中" and result.total_delta == -36


def test_what_if_weight_and_target_changes():
    form = make_form([{"target": ">=100人", "actual": "80人", "weight": 90}])
    result = what_if(form, {"indicators.0.target": ">=80人"}, "central")
    assert result.after.rows[0].score == 90 and result.row_deltas[0] == 18
    result = what_if(form, {"indicators.0.weight": 45}, "central")
    assert result.after.rows[0].score == 36


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"indicators.9.actual": "1"}, "无法识别"),
        ({"indicators.-1.actual": "1"}, "无法识别"),
        ({"funds.carryover.executed": 1}, "资金行"),
        ({"indicators.0.colour": "red"}, "无法识别"),
        ({"indicators.0.weight": "abc"}, "不是数字"),
        ({"funds.total.executed": -5}, "负数"),
    ],
)
def test_bad_changes_are_chinese_errors(changes, words):
    with pytest.raises(WhatIfError) as exc:
        what_if(make_form(), changes)
    assert words in exc.value.message


def test_needed_for_full_marks_and_partial(seed_forms):
    form = seed_forms[3]
    full = needed_for(form, 0)
    assert (full.actual, full.bound, full.actual_text) == (25000, ">=", "25000家")
    part = needed_for(form, 0, 5)
    assert part.actual == pytest.approx(25000 * 5 / 7)
    rev = needed_for(form, 5)
    assert (rev.actual, rev.bound) == (2, "<=")
    assert needed_for(form, 5, 3.5).actual == pytest.approx(4)  # ratio: 2/4 x 7 = 3.5
    assert needed_for(form, 5, 3.5, "central").text_zh.startswith("「印章送达时间」")


def test_needed_for_qualitative_gives_the_tier_phrase(seed_forms):
    form = seed_forms[3]
    full = needed_for(form, 7)
    assert (full.tier, full.actual_text) == ("achieved", "优化")
    assert needed_for(form, 7, 5).actual_text == "部分达成年度指标并具有一定效果"
    assert needed_for(form, 7, 1).tier == "not_achieved"


def test_needed_for_zero_target_and_impossible():
    form = make_form(
        [
            {"target": "=0次", "actual": "1次", "weight": 10},
            {"target": "≤2小时", "actual": "3小时", "weight": 10},
        ]
    )
    assert needed_for(form, 0).bound == "<="
    assert not needed_for(form, 0, 5).feasible
    assert not needed_for(form, 1, 0, "central").feasible  # ratio never reaches 0
    linear = needed_for(form, 1, 0, "central").text_zh
    assert "不会得 0 分" in linear


def test_needed_for_errors():
    form = make_form()
    with pytest.raises(WhatIfError):
        needed_for(form, 5)
    with pytest.raises(WhatIfError):
        needed_for(form, -1)
    with pytest.raises(WhatIfError):
        needed_for(form, 0, 100)


def test_needed_value_round_trip(seed_forms):
    form = seed_forms[3]
    need = needed_for(form, 1, 6.5)
    form.indicators[1].actual = f"{need.actual}件"
    assert score_form(form).rows[1].score == 6.5


def _apply_steps(form, seek):
    changes = {}
    for s in seek.steps:
        if s.index is None:
            changes["funds.total.executed"] = s.executed
        elif s.needed is not None and s.needed.actual is not None:
            changes[f"indicators.{s.index}.actual"] = s.needed.actual_text
    return changes


@pytest.mark.parametrize(("seed", "target"), [(3, 99.5), (1, 99.5), (1, 95), (3, 98)])
def test_goal_seek_reaches_the_target(seed_forms, seed, target):
    form = seed_forms[seed]
    seek = goal_seek(form, target)
    assert seek.reachable and seek.steps
    assert sum(s.to_score - s.score for s in seek.steps) >= target - seek.current - 1e-6
    # the values it names, written into the form, give at least the target
    assert what_if(form, _apply_steps(form, seek)).after.total >= target - 1e-9
    assert all("分" in s.text_zh for s in seek.steps)


def test_goal_seek_with_budget_execution(seed_forms):
    form = seed_forms[3].model_copy(deep=True)
    form.total_fund.executed = form.total_fund.annual_budget * 0.5  # 执行率 50%: 5 of 10 points lost
    seek = goal_seek(form, 99)
    assert seek.steps[0].index is None and seek.steps[0].name == "预算执行率"
    assert what_if(form, _apply_steps(form, seek)).after.total >= 99 - 1e-9


def test_goal_seek_out_of_reach_or_reached(seed_forms):
    assert not goal_seek(seed_forms[3], 101).reachable
    assert "满分为 100 分" in goal_seek(seed_forms[3], 101).text_zh
    done = goal_seek(seed_forms[2], 95)
    assert done.reachable and done.steps == [] and "已经达到" in done.text_zh
