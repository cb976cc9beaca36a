"""The findings catalogue: every code fires on a form that has the problem and stays silent on a
near miss; the seed fixtures raise only the errors their printed figures really contain."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from rules_forms import make_form
from seedpaths import SPEC

from perfeval.model import OcrRead, OcrTrace, SelfEvaluation
from perfeval.rules import CODE_TITLES, CODES, check_form, has_errors


@pytest.fixture()
def clean() -> SelfEvaluation:
    """A central form with nothing to report: 50/30/10 + 10, all met, sums right."""
    return make_form(
        [
            {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": ">=100人次", "actual": "100人次", "weight": 50, "score": 50},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "服务效能", "target": "提升", "actual": "提升", "weight": 30, "score": 30},
            {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": ">=90%", "actual": "95%", "weight": 10, "score": 10},
        ],
        executed=100,
        annual_budget=100,
        execution_rate=1.0,
        exec_score=10,
        total_score=100,
    )  # fmt: skip


def test_clean_form_has_no_findings(clean):
    assert check_form(clean) == []


def test_every_spec_code_is_in_the_catalogue():
    text = SPEC.read_text(encoding="utf-8")
    spec_codes = re.findall(r"^\| ([A-Z][A-Z0-9_]+) \|", text, re.M)
    assert len(spec_codes) >= 16
    assert set(spec_codes) <= set(CODES)


def _ind(form, i):
    return form.indicators[i]


def _set(path: str, value) -> Callable[[SelfEvaluation], None]:
    def apply(form: SelfEvaluation) -> None:
        parts = path.split(".")
        if parts[0] == "indicators":
            setattr(form.indicators[int(parts[1])], parts[2], value)
        elif parts[0] == "funds":
            setattr(form.fund(parts[1]), parts[2], value)
        else:
            setattr(form, parts[0], value)

    return apply


def _all(*fs: Callable[[SelfEvaluation], None]) -> Callable[[SelfEvaluation], None]:
    def apply(form: SelfEvaluation) -> None:
        for f in fs:
            f(form)

    return apply


def _low_execution(executed: float, text: str = "") -> Callable[[SelfEvaluation], None]:
    return _all(
        _set("funds.total.executed", executed),
        _set("funds.fiscal.executed", executed),
        _set("funds.total.execution_rate", executed / 100),
        _set("funds.total.score", executed / 10),
        _set("total_score", 90 + executed / 10),
        _set("goal_actual", text),
    )


def _read_by_ocr(
    path: str, text: str, value: float, score: float = 0.999
) -> Callable[[SelfEvaluation], None]:
    """The form as OCR read it: ``text`` at ``path`` (what :mod:`perfeval.ingest.ocr_forms` records)."""

    def apply(form: SelfEvaluation) -> None:
        _set(path, value)(form)
        form.ocr = OcrTrace(fields={path: OcrRead(page=1, box=(10, 10, 90, 30), text=text, score=score)})

    return apply


# code, (mutation that must fire it, expected path, severity), mutation that must not fire it
CASES = [
    (
        "OCR_UNCERTAIN",
        (_read_by_ocr("funds.total.executed", "1000", 1000), "funds.total.executed", "warning"),
        _read_by_ocr("funds.total.executed", "100", 100),
    ),
    (
        "WEIGHT_TOTAL",
        (_all(_set("indicators.0.weight", 48), _set("indicators.0.score", 48), _set("total_score", 98)), "total_weight", "error"),
        _set("total_weight", 100.0),
    ),
    (
        "LEVEL1_SPLIT",
        (_all(_set("indicators.0.weight", 60), _set("indicators.1.weight", 20), _set("indicators.0.score", 60), _set("indicators.1.score", 20)), "indicators.0.weight", "warning"),
        _set("indicators.0.level1", "成本指标"),  # 成本 as level-1 counts inside 产出
    ),
    ("LEVEL2_PARENT", (_set("indicators.1.level2", "数量指标"), "indicators.1.level2", "warning"), _set("indicators.1.level2", "可持续影响指标")),
    ("SCORE_ABOVE_WEIGHT", (_set("indicators.2.score", 11), "indicators.2.score", "error"), _set("indicators.2.score", 10.0)),
    (
        "SCORE_MISMATCH",
        (_all(_set("indicators.0.actual", "80人次"), _set("indicators.0.deviation", "需求减少")), "indicators.0.score", "error"),
        _all(_set("indicators.0.actual", "99.9人次"), _set("indicators.0.deviation", "略少")),  # 49.95, within 0.05
    ),
    (
        "QUALITATIVE_TIER",
        (_set("indicators.1.actual", "未达成年度指标且效果较差"), "indicators.1.score", "error"),
        _all(_set("indicators.1.actual", "达成年度指标"), _set("indicators.1.score", 24)),
    ),
    ("TOTAL_MISMATCH", (_set("total_score", 99), "total_score", "error"), _set("total_score", 100.04)),
    ("EXEC_RATE_MISMATCH", (_set("funds.total.execution_rate", 0.99), "funds.total.execution_rate", "error"), _set("funds.total.execution_rate", 0.99995)),
    ("EXEC_SCORE_MISMATCH", (_set("funds.total.score", 9), "funds.total.score", "error"), _set("funds.total.score", 10.0)),
    ("FUNDS_SUM_MISMATCH", (_set("funds.fiscal.annual_budget", 90), "funds.total.annual_budget", "error"), _set("funds.fiscal.annual_budget", 100.004)),
    (
        "EXECUTED_OVER_BUDGET",
        (_all(_set("funds.total.executed", 110), _set("funds.fiscal.executed", 110), _set("funds.total.execution_rate", 1.1)), "funds.total.executed", "warning"),
        _all(_set("funds.total.executed", 99), _set("funds.fiscal.executed", 99), _set("funds.total.execution_rate", 0.99), _set("funds.total.score", 9.9), _set("total_score", 99.9)),
    ),
    (
        "DEVIATION_REASON_MISSING",
        (_all(_set("indicators.1.actual", "基本实现"), _set("indicators.1.score", 21), _set("total_score", 91)), "indicators.1.deviation", "error"),
        _all(_set("indicators.1.actual", "基本实现"), _set("indicators.1.score", 21), _set("total_score", 91), _set("indicators.1.deviation", "原因：进度滞后；改进措施：加快推进")),
    ),
    ("OVER_FULFILMENT", (_set("indicators.0.actual", "130人次"), "indicators.0.actual", "warning"), _set("indicators.0.actual", "129人次")),
    ("TARGET_NOT_QUANTIFIED", (_set("indicators.0.target", "较多"), "indicators.0.target", "warning"), _set("indicators.1.target", "显著")),
    ("ACTUAL_NOT_NUMERIC", (_set("indicators.0.actual", "完成"), "indicators.0.actual", "warning"), _set("indicators.0.actual", "<=100人次")),
    ("LOW_EXECUTION", (_low_execution(80), "funds.total.execution_rate", "warning"), _low_execution(80, "政府采购节约资金，执行率偏低")),
    ("BUDGET_MISSING", (_set("funds.total.annual_budget", None), "funds.total.annual_budget", "warning"), _set("funds.total.initial_budget", None)),
    ("SCORE_MISSING", (_set("indicators.0.score", None), "indicators.0.score", "info"), _set("indicators.0.score", 50.0)),
    ("FORM_INCOMPLETE", (_set("source", {"incomplete": ["总分"]}), "source", "warning"), _set("source", {"template": "central"})),
    (
        "SCORE_JUDGEMENT",
        (_all(_set("indicators.1.actual", "有所提升"), _set("indicators.1.score", 21), _set("total_score", 91), _set("indicators.1.deviation", "效果待显现")), "indicators.1.score", "info"),
        _all(_set("indicators.1.actual", "有所提升"), _set("indicators.1.score", 30), _set("indicators.1.deviation", "效果待显现")),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_code_fires(clean, code, fire, quiet):
    mutate, path, severity = fire
    mutate(clean)
    found = [f for f in check_form(clean) if f.code == code]
    assert found, f"{code} did not fire"
    assert (found[0].path, found[0].severity) == (path, severity)
    assert found[0].message and found[0].hint
    assert re.search(r"[\u4e00-\u9fff]", found[0].message)


@pytest.mark.parametrize(("code", "fire", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_code_stays_quiet(clean, code, fire, quiet):
    quiet(clean)
    assert [f.message for f in check_form(clean) if f.code == code] == []


def test_cases_cover_every_code():
    # BUDGET_ADJUSTMENT_REASON needs the sichuan-2023 profile: tested on its own below
    assert {c[0] for c in CASES} | {"BUDGET_ADJUSTMENT_REASON"} == set(CODES) == set(CODE_TITLES)


def test_ocr_uncertain_names_the_implied_value_and_low_confidence(clean):
    _read_by_ocr("funds.total.executed", "1000", 1000)(clean)
    (found,) = [f for f in check_form(clean) if f.code == "OCR_UNCERTAIN"]
    assert "识别为「1000」" in found.message and "应为「100」" in found.message
    _read_by_ocr("indicators.0.weight", "50", 50, score=0.42)(clean)
    (found,) = [f for f in check_form(clean) if f.code == "OCR_UNCERTAIN"]
    assert found.path == "indicators.0.weight" and "置信度较低" in found.message
    clean.ocr.confirmed.add("indicators.0.weight")
    assert [f for f in check_form(clean) if f.code == "OCR_UNCERTAIN"] == []


def test_ocr_uncertain_on_an_unreadable_nature_of_a_split_target(clean):
    """Sichuan 2023 splits the target into 指标性质/指标值/度量单位: a lone ≥ misread as z or 2 gives
    a target no arithmetic can check, so the unreadable 指标性质 itself is flagged."""
    row = clean.indicators[0]
    target = row.target
    for misread in ("z", "2", "N"):
        row.extra = {"nature": misread, "value": "90", "unit": "%"}
        row.target = f"{misread}90%"
        clean.ocr = OcrTrace(
            fields={"indicators.0.target": OcrRead(page=1, box=(1, 1, 9, 9), text=row.target, score=0.99)}
        )
        (found,) = [f for f in check_form(clean) if f.code == "OCR_UNCERTAIN"]
        assert found.path == "indicators.0.target"
        # 290% also breaks the row's score (that reason comes first); z90% and N90% only the nature
        assert f"指标性质「{misread}」" in found.message or misread.isdigit()
    row.extra, row.target = {"nature": "≥", "value": "90", "unit": "%"}, target
    clean.ocr = OcrTrace(
        fields={"indicators.0.target": OcrRead(page=1, box=(1, 1, 9, 9), text=target, score=0.99)}
    )
    assert [f for f in check_form(clean) if f.code == "OCR_UNCERTAIN"] == []


def test_seed_forms_raise_no_error(seed_forms):
    # accepted, published forms: their unbalanced 年初预算数 (no score uses it) is a warning only
    for form in seed_forms:
        findings = check_form(form)
        assert [f for f in findings if f.severity == "error"] == [], form.project_name
        sums = [(f.path, f.severity) for f in findings if f.code == "FUNDS_SUM_MISMATCH"]
        assert sums == [("funds.total.initial_budget", "warning")], form.project_name


def test_funds_sum_mismatch_on_scored_columns_stays_an_error(seed_forms):
    form = seed_forms[3].model_copy(deep=True)
    form.fund("fiscal").executed = (form.fund("fiscal").executed or 0) + 1000
    sums = {f.path: f.severity for f in check_form(form) if f.code == "FUNDS_SUM_MISMATCH"}
    assert sums["funds.total.executed"] == "error"
    assert sums["funds.total.initial_budget"] == "warning"


def test_seed_messages_carry_the_numbers(seed_forms):
    f = next(x for x in check_form(seed_forms[3]) if x.code == "FUNDS_SUM_MISMATCH")
    assert "3550000" in f.message and "2990000" in f.message and "560000" in f.message


def test_over_fulfilment_on_seed_5_is_a_warning(seed_forms):
    over = [f for f in check_form(seed_forms[4]) if f.code == "OVER_FULFILMENT"]
    assert [(f.path, f.severity) for f in over] == [("indicators.5.actual", "warning")]
    assert "150%" in over[0].message


def test_exec_rate_from_initial_budget_is_hinted(clean):
    clean.total_fund.initial_budget = 125
    clean.fund("fiscal").initial_budget = 125
    clean.total_fund.execution_rate = 0.8
    f = next(x for x in check_form(clean) if x.code == "EXEC_RATE_MISMATCH")
    assert "年初预算数" in f.hint


def test_sichuan_requires_low_execution_reason():
    form = make_form(executed=80, annual_budget=100, template="sichuan-2023")
    codes = {(f.code, f.path) for f in check_form(form)}
    assert ("DEVIATION_REASON_MISSING", "extra.funds_reason") in codes
    form.extra["funds_reason"] = "政府采购节约"
    assert not any(f.path == "extra.funds_reason" for f in check_form(form))


def test_sichuan_asks_why_the_budget_was_adjusted():
    form = make_form(executed=100, annual_budget=100, template="sichuan-2023")
    form.total_fund.initial_budget = 120
    found = [f for f in check_form(form) if f.code == "BUDGET_ADJUSTMENT_REASON"]
    assert [(f.path, f.severity) for f in found] == [("extra.funds_reason", "warning")]
    assert "调减 20" in found[0].message
    assert not any(f.code == "BUDGET_ADJUSTMENT_REASON" for f in check_form(form, "central"))
    form.extra["funds_reason"] = "项目调整，收回部分资金"
    assert not any(f.code == "BUDGET_ADJUSTMENT_REASON" for f in check_form(form))


def test_in_progress_score_above_tier_is_a_warning():
    form = make_form(
        [{"target": "=100%", "actual": "无", "deviation": "正在开展", "weight": 90, "score": 90}]
    )
    f = next(x for x in check_form(form) if x.code == "QUALITATIVE_TIER")
    assert f.severity == "warning"


def test_cancelled_with_full_marks_is_a_score_mismatch():
    form = make_form(
        [{"target": "=50个", "actual": "无", "deviation": "项目取消", "weight": 90, "score": 90}]
    )
    assert "SCORE_MISMATCH" in {f.code for f in check_form(form)}


def test_wan_yuan_money_tolerance(clean):
    clean.money_unit = "万元"
    clean.fund("fiscal").annual_budget = 100.004  # 40 元 off in 万元
    assert any(f.code == "FUNDS_SUM_MISMATCH" for f in check_form(clean))


def test_has_errors(clean):
    assert not has_errors(check_form(clean))
    clean.total_score = 50
    assert has_errors(check_form(clean))
