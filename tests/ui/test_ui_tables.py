"""perfeval.ui.tables: an editor delta applied to the model is what a person did in the table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seedpaths import SEED_JSON

from perfeval.errors import InvalidFormError
from perfeval.interchange import load_path
from perfeval.ui.tables import (
    INDICATOR_COLUMNS,
    apply_fund_delta,
    apply_indicator_delta,
    fund_rows,
    indicator_rows,
)

FORM = load_path(SEED_JSON[3])[0]  # 窗口业务管理, 12 indicators
N = len(FORM.indicators)

texts = st.text(alphabet="产出指标数量质量=><%0123456789个件家", max_size=8)
cell = st.one_of(
    st.tuples(st.sampled_from(["name", "target", "actual", "deviation", "level1", "level2"]), texts),
    st.tuples(st.sampled_from(["weight", "score"]), st.one_of(st.none(), st.integers(0, 20))),
)


@st.composite
def deltas(draw):
    edited = draw(st.dictionaries(st.integers(0, N - 1), st.lists(cell, min_size=1, max_size=3), max_size=5))
    deleted = draw(st.lists(st.integers(0, N - 1), unique=True, max_size=4))
    added = draw(st.lists(st.lists(cell, max_size=3), max_size=3))
    return {
        "edited_rows": {str(i): dict(c) for i, c in edited.items()},
        "deleted_rows": deleted,
        "added_rows": [dict(c) for c in added],
    }


@settings(max_examples=150, deadline=None)
@given(deltas())
def test_delta_is_applied_row_by_row(delta):
    form = FORM.model_copy(deep=True)
    form.indicators[0].extra["previous"] = {"actual": "1"}
    snapshot = form.model_dump()
    out = apply_indicator_delta(form, delta)
    deleted = set(delta["deleted_rows"])
    kept = [i for i in range(N) if i not in deleted]
    assert len(out.indicators) == len(kept) + len(delta["added_rows"])
    for new, old_index in zip(out.indicators, kept, strict=False):
        old = form.indicators[old_index]
        changes = delta["edited_rows"].get(str(old_index), {})
        for column in INDICATOR_COLUMNS:
            expected = changes.get(column, getattr(old, column))
            assert getattr(new, column) == (
                "" if expected is None and column not in ("weight", "score") else expected
            )
        assert new.extra == old.extra  # what the editor does not show is kept
    for new, added in zip(out.indicators[len(kept) :], delta["added_rows"], strict=True):
        for column, value in added.items():
            if value is not None:
                assert getattr(new, column) == value
    assert form.model_dump() == snapshot  # the input form is not changed


def test_rows_round_trip_through_an_empty_delta():
    assert apply_indicator_delta(FORM, {"edited_rows": {}, "added_rows": [], "deleted_rows": []}) is FORM
    assert [r["name"] for r in indicator_rows(FORM)] == [i.name for i in FORM.indicators]
    assert [r["kind"] for r in fund_rows(FORM)] == ["total", "fiscal", "carryover", "other"]


def test_nan_from_an_emptied_number_cell_is_blank():
    out = apply_indicator_delta(FORM, {"edited_rows": {"1": {"score": float("nan")}}})
    assert out.indicators[1].score is None


def test_bad_values_name_the_row_and_column():
    with pytest.raises(InvalidFormError) as err:
        apply_indicator_delta(FORM, {"edited_rows": {"2": {"weight": -1}}})
    assert err.value.message == "绩效指标第3行「分值」：分值不能为负数：-1"
    with pytest.raises(InvalidFormError) as err:
        apply_fund_delta(FORM, {"added_rows": [{"label": "追加资金", "executed": -5}]})
    assert err.value.message.startswith("项目资金新增第1行「全年执行数」：金额不能为负数")


def test_new_fund_row_defaults_to_other():
    out = apply_fund_delta(FORM, {"added_rows": [{"annual_budget": 100}]})
    assert (out.funds[-1].kind, out.funds[-1].label, out.funds[-1].annual_budget) == (
        "other",
        "其他资金",
        100,
    )
