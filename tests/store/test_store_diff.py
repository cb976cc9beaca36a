"""The Chinese field-level summaries of the audit trail."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.interchange import form_to_dict
from perfeval.store import diff_forms, summarize


def test_changes_name_the_row_and_the_field(seed_forms):
    before = form_to_dict(seed_forms[3])
    form = seed_forms[3].model_copy(deep=True)
    form.funds[0].annual_budget = 2100000
    form.indicators[1].deviation = "疫情影响"
    del form.indicators[-1]
    form.extra = {"conclusion": "优"}
    changes = diff_forms(before, form_to_dict(form))
    texts = [c.text() for c in changes]
    assert "项目资金「年度资金总额」「全年预算数」：2012827.6 → 2100000" in texts
    assert (
        "绩效指标第2行「寄送快递数」「偏差原因分析及改进措施」：因疫情原因，寄送快递数少于预期 → 疫情影响"
        in texts
    )
    assert "绩效指标第12行「投诉处置满意度」：删除" in texts
    assert "附加信息「conclusion」：（空） → 优" in texts
    assert {c.path for c in changes} == {
        "funds.total.annual_budget",
        "indicators.1.deviation",
        "indicators.11",
        "extra.conclusion",
    }


def test_summary_is_short():
    assert summarize([]) == "内容无变化"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(targets=st.lists(st.sampled_from(["=1个", "=2个", "≥90%", "及时"]), min_size=12, max_size=12))
def test_diff_finds_exactly_the_changed_rows(seed_forms, targets):
    base = seed_forms[3]
    form = base.model_copy(deep=True)
    for ind, t in zip(form.indicators, targets, strict=True):
        ind.target = t
    changes = diff_forms(form_to_dict(base), form_to_dict(form))
    changed = {
        f"indicators.{i}.target"
        for i, (a, b) in enumerate(zip(base.indicators, targets, strict=True))
        if a.target != b
    }
    assert {c.path for c in changes} == changed
    summary = summarize(changes)
    assert (summary == "内容无变化") == (not changed)
    if len(changed) > 5:
        assert f"等共 {len(changed)} 处修改" in summary


def test_removing_a_row_reports_that_row_only(seed_forms):
    before = form_to_dict(seed_forms[1])
    form = seed_forms[1].model_copy(deep=True)
    del form.indicators[3]  # 人工智能事项数, cancelled
    form.indicators[0].weight = 7
    form.indicators.insert(5, form.indicators[4].model_copy(update={"name": "新增指标"}))
    changes = diff_forms(before, form_to_dict(form))
    assert [c.text() for c in changes] == [
        "绩效指标第1行「梳理企业档案信息数」「分值」：6 → 7",
        "绩效指标第4行「人工智能事项数」：删除",
        "绩效指标第6行「新增指标」：新增",
    ]
    assert [c.path for c in changes] == ["indicators.0.weight", "indicators.3", "indicators.5"]
