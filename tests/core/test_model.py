"""The domain model: what it accepts, what it rejects, and the Chinese messages naming the field."""

from __future__ import annotations

import copy
import json

import pytest

from perfeval.errors import InvalidFormError
from perfeval.model import SelfEvaluation, build_form, read_number, read_rate
from perfeval.quantity import parse_quantity
from perfeval.taxonomy import canonical_level, level2_belongs, printed_level_weight


def _problems(doc: dict) -> list[str]:
    with pytest.raises(InvalidFormError) as info:
        build_form(doc)
    return info.value.problems


def test_seed_forms_validate(seed_documents):
    for doc in seed_documents:
        form = build_form(doc)
        assert form.year == 2022
        assert form.total_fund is not None and form.total_fund.weight == 10


def test_weight_that_is_not_a_number_is_rejected_naming_the_row(seed_documents):
    doc = copy.deepcopy(seed_documents[3])
    doc["indicators"][2]["weight"] = "七分"
    assert _problems(doc) == ["绩效指标第3行「分值」：不是数字：'七分'"]


def test_negative_money_is_rejected_naming_the_fund_row(seed_documents):
    doc = copy.deepcopy(seed_documents[0])
    doc["funds"][1]["executed"] = -5
    assert _problems(doc) == ["项目资金第2行「全年执行数」：金额不能为负数：-5"]


def test_several_problems_are_all_reported(seed_documents):
    doc = copy.deepcopy(seed_documents[0])
    doc["year"] = "去年"
    doc["money_unit"] = "美元"
    doc["funds"][0]["kind"] = "grant"
    doc["indicators"][0]["weight"] = -1
    problems = _problems(doc)
    assert len(problems) == 4
    assert problems[0].startswith("「年度」：年度应为四位数年份")
    assert "资金单位只能是「元」或「万元」" in problems[1]
    assert problems[2].startswith("项目资金第1行「资金类型」：资金类型应为 total")
    assert problems[3] == "绩效指标第1行「分值」：分值不能为负数：-1"


def test_missing_year_and_wrong_shapes(seed_documents):
    doc = copy.deepcopy(seed_documents[0])
    del doc["year"]
    doc["indicators"] = {"a": 1}
    problems = _problems(doc)
    assert "「年度」：缺少此项" in problems
    assert any(p.startswith("「绩效指标」：应为一个列表") for p in problems)


def test_real_world_inconsistency_is_accepted(seed_documents):
    doc = copy.deepcopy(seed_documents[3])
    doc["indicators"][0]["score"] = 99  # above its weight: a finding later, not a model error
    doc["total_score"] = 12
    doc["funds"][0]["annual_budget"] = 1  # sums that do not add up
    doc["indicators"][1]["score"] = -3  # a negative score is a finding too
    form = build_form(doc)
    assert form.indicators[0].score == 99 and form.indicators[1].score == -3


def test_printed_numbers_are_read():
    form = build_form(
        {
            "year": "2023年度",
            "money_unit": "（万元）",
            "funds": [
                {
                    "label": "年度资金总额",
                    "kind": "total",
                    "initial_budget": "6,412,300",
                    "annual_budget": "—",
                    "executed": " 12.5 ",
                    "execution_rate": "86.19%",
                    "weight": "10",
                    "score": "8.62",
                }
            ],
        }
    )
    row = form.funds[0]
    assert form.year == 2023 and form.money_unit == "万元"
    assert (row.initial_budget, row.annual_budget, row.executed) == (6412300, None, 12.5)
    assert row.execution_rate == pytest.approx(0.8619)
    assert (row.weight, row.score) == (10, 8.62)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6,412,300", 6412300),
        ("205498.10", 205498.1),
        ("—", None),
        ("/", None),
        ("", None),
        (7, 7),
        (4.7, 4.7),
    ],
)
def test_read_number(text, expected):
    assert read_number(text) == expected


@pytest.mark.parametrize("bad", ["abc", "1.2.3", True, float("nan")])
def test_read_number_rejects(bad):
    with pytest.raises(ValueError):
        read_number(bad)


def test_read_rate():
    assert read_rate("100.00%") == 1.0
    assert read_rate(0.8618) == 0.8618
    assert read_rate("—") is None


@pytest.mark.parametrize(
    ("text", "op", "value", "unit", "direction"),
    [
        ("=25000家", "=", 25000, "家", "positive"),
        (">=12000件", ">=", 12000, "件", "positive"),
        ("≥95%", ">=", 95, "%", "positive"),
        ("≤2小时", "<=", 2, "小时", "reverse"),
        ("<10%", "<", 10, "%", "reverse"),
        ("1,200台", None, 1200, "台", "positive"),
        ("及时", None, None, "", None),
        ("在2022年底前完成", None, None, "", None),
    ],
)
def test_targets_are_read(text, op, value, unit, direction):
    q = parse_quantity(text)
    assert (q.operator, q.value, q.unit, q.direction) == (op, value, unit, direction)
    assert q.qualitative is (value is None)
    assert q.text == text


def test_indicator_parsed_target_respects_sichuan_nature():
    form = SelfEvaluation(
        year=2023,
        indicators=[{"name": "x", "target": "100", "extra": {"nature": "定性", "value": "100", "unit": ""}}],
    )
    assert form.indicators[0].parsed_target.qualitative


def test_levels():
    assert canonical_level("产出指标（50分）") == "产出指标"
    assert canonical_level("效益\n指标(30分)") == "效益指标"
    assert canonical_level("满意度") == "满意度指标"
    assert printed_level_weight("产出指标（50分）") == 50
    assert printed_level_weight("产出指标") is None
    assert level2_belongs("产出指标", "数量指标")
    assert level2_belongs("产出指标", "经济成本指标")
    assert not level2_belongs("效益指标", "数量指标")


def test_numbers_beyond_the_limits_are_refused_in_chinese(seed_documents):
    from perfeval.errors import InvalidFormError
    from perfeval.model import build_form

    cases = [
        (("funds", 0, "annual_budget"), 1e308, "「全年预算数」：数值超出合理范围（0～10^15）"),
        (("funds", 0, "executed"), 1e-9, "「全年执行数」：数值超出合理范围"),
        (("funds", 0, "executed"), 10**5000, "上万位的整数"),
        (("indicators", 0, "weight"), float("inf"), "「分值」：不是数字"),
        (("indicators", 0, "weight"), 1000.5, "「分值」：数值超出合理范围（0～1000）"),
        (("indicators", 0, "score"), -1001, "「得分」：数值超出合理范围（-1000～1000）"),
        (("indicators", 0, "actual"), "=" + "9" * 400, "「实际完成值」：数值超出合理范围"),
        (("indicators", 0, "name"), "a\ud800", "孤立的代理码位 U+D800"),
        (("indicators", 0, "deviation"), float("nan"), "「偏差原因分析及改进措施」：应为文字"),
    ]
    for (block, row, key), value, words in cases:
        doc = json.loads(json.dumps(seed_documents[0]))
        doc[block][row][key] = value
        with pytest.raises(InvalidFormError) as exc:
            build_form(doc)
        assert words in exc.value.message, exc.value.message


def test_edits_are_bounded_too(seed_forms):
    from pydantic import ValidationError

    row = seed_forms[0].indicators[0]
    with pytest.raises(ValidationError):
        row.weight = 1e308
    with pytest.raises(ValidationError):
        row.name = "\udc80"
    seed_forms[0].total_score = 1e9  # a recomputed total of many rows still fits
