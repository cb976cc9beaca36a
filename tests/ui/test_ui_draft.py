"""草拟下一年度 in the editor: the roll-forward suggestions, accepted or dismissed one at a time."""

from __future__ import annotations

import pytest
from seedpaths import SEED_JSON
from ui_helpers import editor, metric, open_seed, texts

from perfeval.interchange import load_path
from perfeval.store import Store


@pytest.fixture()
def drafting(app):
    """Next year's draft of 网络信息系统运行与维护 (seed-5): a target to raise, one to quantify, the budget."""
    return open_seed(app, 5, mode="draft")


def _suggestion_keys(at):
    return [b.key for b in at.button if b.key and b.key.startswith("sugg_ok_")]


def test_draft_has_no_actuals_and_offers_suggestions(drafting, db_path):
    at = drafting
    form = Store(db_path).get(1).form
    assert form.year == 2023
    assert all(i.actual == "" for i in form.indicators)
    assert metric(at, "表上总分") == "—"
    assert "草拟建议（3）" in [s.value for s in at.subheader]
    assert "=3人" in texts(at)
    # last year's actuals beside this year's empty ones, read-only
    last_year = load_path(SEED_JSON[4])[0]
    table = editor(at, "indicators").value
    assert list(table["prev_actual"]) == [i.actual for i in last_year.indicators]
    assert set(table["actual"]) == {""}


def test_accept_a_proposed_target(drafting, db_path):
    at = drafting
    before = Store(db_path).get(1).form.indicators[5].target
    at.button(key="sugg_ok_0").click().run()
    assert not at.exception
    record = Store(db_path).get(1)
    assert (before, record.form.indicators[5].target, record.revision) == ("=2人", "=3人", 2)
    assert "草拟建议（2）" in [s.value for s in at.subheader]


def test_a_value_only_a_person_can_give(drafting, db_path):
    at = drafting
    index = len(_suggestion_keys(at)) - 1  # UPDATE_BUDGET comes last
    at.text_input(key=f"sugg_val_{index}").input("3000000")
    at.button(key=f"sugg_ok_{index}").click().run()
    assert Store(db_path).get(1).form.total_fund.annual_budget == 3000000


def test_dismiss_keeps_the_form(drafting, db_path):
    at = drafting
    at.button(key="sugg_no_0").click().run()
    assert "草拟建议（2）" in [s.value for s in at.subheader]
    assert Store(db_path).get(1).revision == 1
    # a later accepted suggestion does not bring the dismissed one back
    at.text_input(key="sugg_val_0").input(">=95%")
    at.button(key="sugg_ok_0").click().run()
    assert Store(db_path).get(1).form.indicators[10].target == ">=95%"
    assert "=3人" not in texts(at)


def test_missing_value_is_a_message(drafting, db_path):
    at = drafting
    at.button(key="sugg_ok_1").click().run()  # QUANTIFY_TARGET needs a person's value
    assert not at.exception
    assert Store(db_path).get(1).revision == 1
    assert "此建议没有建议值" in texts(at)
    assert "草拟建议（3）" in [s.value for s in at.subheader]
