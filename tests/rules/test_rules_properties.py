"""Property tests: bounds, monotonicity, the total, and the engine agreeing with its own checks."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rules_forms import make_form

from perfeval.model import MIN_MONEY, Indicator
from perfeval.numbers import fmt
from perfeval.rules import apply_scores, check_form, load_profile, needed_for, score_form, score_indicator
from perfeval.rules.scoring import positive_points, reverse_points
from perfeval.samples import FAMILIES, sample_form

PROFILES = ["central", "shanghai", "sichuan-2023", "hubei"]
ops = st.sampled_from(["=", ">=", "≥", ">", "<=", "≤", "<", ""])
amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
weights = st.integers(min_value=1, max_value=40)
words = st.sampled_from(
    ["及时", "稳定", "基本完成", "未完成", "无", "", "部分达成年度指标并具有一定效果", "有所提升", "效果一般"]
)
deviations = st.sampled_from(["", "项目取消", "项目正在开展中", "因疫情原因"])


def _row(target: str, actual: str, weight: float, score=None, deviation: str = "") -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="数量指标",
        name="x",
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        deviation=deviation,
    )


@settings(max_examples=150, deadline=None)
@given(
    op=ops,
    a=amounts,
    b=st.one_of(amounts.map(fmt), words),
    w=weights,
    given_score=st.one_of(st.none(), st.floats(min_value=-5, max_value=50)),
    deviation=deviations,
    profile=st.sampled_from(PROFILES),
)
def test_score_between_zero_and_weight(op, a, b, w, given_score, deviation, profile):
    row = score_indicator(_row(f"{op}{fmt(a)}个", b, w, given_score, deviation), load_profile(profile))
    if row.score is not None:
        assert 0 <= row.score <= w
    assert row.explanation.text_zh


@settings(max_examples=150, deadline=None)
@given(a=amounts, b1=amounts, b2=amounts, w=weights, formula=st.sampled_from(["ratio", "linear"]))
def test_monotonic_in_actual(a, b1, b2, w, formula):
    lo, hi = min(b1, b2), max(b1, b2)
    wd = Decimal(w)
    assert positive_points(a, lo, wd, ">=")[0] <= positive_points(a, hi, wd, ">=")[0]
    assert reverse_points(a, lo, wd, formula)[0] >= reverse_points(a, hi, wd, formula)[0]


@settings(max_examples=100, deadline=None)
@given(op=st.sampled_from([">=", "=", "<="]), a=amounts, b1=amounts, b2=amounts, w=weights)
def test_monotonic_through_the_printed_text(op, a, b1, b2, w):
    profile = load_profile("central")
    lo, hi = min(b1, b2), max(b1, b2)
    s_lo = score_indicator(_row(f"{op}{fmt(a)}人", f"{fmt(lo)}人", w), profile).score
    s_hi = score_indicator(_row(f"{op}{fmt(a)}人", f"{fmt(hi)}人", w), profile).score
    reverse = op == "<=" or (op == "=" and a == 0)  # =0 (zero accidents) means "no more than 0"
    assert (s_lo >= s_hi) if reverse else (s_lo <= s_hi)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), family=st.sampled_from(FAMILIES), profile=st.sampled_from(PROFILES))
def test_total_is_execution_plus_rows(seed, family, profile):
    result = score_form(sample_form(seed, family), profile)
    parts = [result.execution.score or 0] + [
        r.score if r.score is not None else (r.given or 0) for r in result.rows
    ]
    assert abs(result.total - sum(parts)) < 1e-6
    assert result.grade == load_profile(profile).grade_of(result.total)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    family=st.sampled_from(FAMILIES),
    actual=st.one_of(amounts.map(fmt), words),
    row=st.integers(0, 5),
)
def test_applied_scores_pass_their_own_checks(seed, family, actual, row):
    form = sample_form(seed, family)
    form.indicators[row % len(form.indicators)].actual = actual
    scored = apply_scores(form, score_form(form))
    codes = {f.code for f in check_form(scored)}
    assert not codes & {
        "SCORE_MISMATCH",
        "TOTAL_MISMATCH",
        "EXEC_SCORE_MISMATCH",
        "EXEC_RATE_MISMATCH",
        "SCORE_ABOVE_WEIGHT",
    }


@settings(max_examples=150, deadline=None)
@given(
    op=st.sampled_from([">=", "=", "<="]),
    a=st.decimals(min_value=1, max_value=10000, places=1),
    w=weights,
    frac=st.floats(min_value=0.05, max_value=1),
)
def test_needed_value_reaches_the_score(op, a, w, frac):
    form = make_form([{"target": f"{op}{fmt(a)}件", "actual": "", "weight": w}])
    profile = load_profile("central")
    want = round(w * frac, 2)
    need = needed_for(form, 0, want, profile)
    assert need.feasible and need.actual is not None
    form.indicators[0].actual = f"{fmt(need.actual, 6)}件"
    got = score_form(form, profile).rows[0].score
    assert abs(got - want) <= 0.01


texts = st.one_of(
    st.text(alphabet="0123456789.,%万元个次小时≥≤<>=无及时完成基本未部分达成（）— ", max_size=12),
    st.sampled_from(["=100%", "<=2小时", ">=1.2万人", "无", "", "及时", "12000人", "达成年度指标", "=0次"]),
)
numbers = st.one_of(st.none(), st.integers(0, 60), st.floats(0, 60, allow_nan=False))
# Any money the model accepts: blank, 0, or MIN_MONEY and up.
money = st.one_of(st.none(), st.just(0.0), st.floats(MIN_MONEY, 1e8, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "level1": st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标", "", "其他"]),
                "level2": st.sampled_from(
                    ["数量指标", "社会效益指标", "服务对象满意度指标", "经济成本指标", ""]
                ),
                "target": texts,
                "actual": texts,
                "weight": numbers,
                "score": st.one_of(numbers, st.floats(-5, 0)),
                "deviation": deviations,
            }
        ),
        max_size=8,
    ),
    initial=money,
    annual=money,
    executed=money,
    sub=money,
    rate=st.one_of(st.none(), st.floats(0, 2)),
    profile=st.sampled_from(PROFILES),
)
def test_any_form_scores_and_checks_without_raising(rows, initial, annual, executed, sub, rate, profile):
    form = make_form(
        rows,
        funds=[
            {"label": "年度资金总额", "kind": "total", "initial_budget": initial, "annual_budget": annual,
             "executed": executed, "execution_rate": rate, "weight": 10, "score": None},
            {"label": "当年财政拨款", "kind": "fiscal", "annual_budget": sub, "executed": sub},
        ],
    )  # fmt: skip
    result = score_form(form, profile)
    assert result.total == result.total  # not NaN
    for row in result.rows:
        assert row.explanation.text_zh
        if row.score is not None and row.weight is not None:
            assert 0 <= row.score <= row.weight
    findings = check_form(form, profile, result=result)
    assert all(f.message and f.path for f in findings)
    scored = apply_scores(form, result)
    assert scored.total_score == result.total
    for i, ind in enumerate(form.indicators):
        if ind.weight:
            need = needed_for(form, i, profile=profile)
            assert need.text_zh and (need.actual is not None or need.tier is not None or not need.feasible)
