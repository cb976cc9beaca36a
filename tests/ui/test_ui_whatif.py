"""模拟 page: a scratch copy, total/grade/deltas at once, the value needed for full marks, the chart."""

from __future__ import annotations

import json

import pytest
from streamlit import dataframe_util
from ui_helpers import edit_table, editor, go_to, metric, open_seed, texts, upload_seed_json

from perfeval.store import Store


def _go(at):
    return go_to(at, "whatif")


@pytest.fixture()
def scenario(app):
    return _go(open_seed(app, 4))


def test_change_actual_shows_total_grade_and_delta(scenario, db_path):
    at = scenario
    assert metric(at, "模拟总分") == "97.6"
    edit_table(at, "whatif_", edited={0: {"actual": "25000"}})
    assert metric(at, "模拟总分") == "99.9"
    assert metric(at, "原总分") == "97.6"
    total = next(m for m in at.metric if m.label == "模拟总分")
    assert total.proto.delta.strip("+ ") == "2.3"
    changed = next(d.value for d in at.dataframe if "模拟得分" in d.value.columns)
    assert list(changed["三级指标"]) == ["服务新开办企业数量"]
    assert list(changed["变化"]) == [pytest.approx(2.3)]
    # the draft itself is untouched
    assert Store(db_path).get(1).revision == 1


def test_needed_values_and_weight_change(scenario):
    at = scenario
    table = editor(at, "whatif_").value
    assert table.loc[0, "needed"] == "25000家"
    assert table.loc[1, "needed"] == "12000件"
    edit_table(at, "whatif_", edited={0: {"actual": "25000"}, 1: {"weight": 3}})
    # 11790/12000 × 3 = 2.9475 -> 2.9 (1 decimal, shanghai); total 99.9 - 6.9 + 2.9
    assert metric(at, "模拟总分") == "95.9"
    assert metric(at, "等级") == "优"


def test_grade_change_is_shown(scenario):
    at = scenario
    edit_table(at, "whatif_", edited={i: {"actual": "0"} for i in range(6)})
    grade = next(m for m in at.metric if m.label == "等级")
    assert grade.value != "优" and "原为优" in grade.proto.delta


def test_execution_change(scenario):
    at = scenario
    key = next(n.key for n in at.number_input if n.key.endswith("_executed"))
    at.number_input(key=key).set_value(1006413.8).run()  # half the budget
    assert metric(at, "执行率得分") == "5"
    assert metric(at, "模拟总分") == "92.6"


def test_chart_of_score_against_weight_by_level1(scenario):
    charts = scenario.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)
    assert "一级指标" in spec and '"bar"' in spec
    (dataset,) = charts[0].proto.datasets
    data = dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data.data)
    sums = data.groupby(data.columns[0]).sum(numeric_only=True)
    assert len(sums) == 3  # 产出 / 效益 / 满意度
    assert sums.to_numpy().sum() == pytest.approx(90 + 87.6)  # weights 90, indicator scores 87.6


def test_apply_scenario_to_the_draft_and_reset(scenario, db_path):
    at = scenario
    edit_table(at, "whatif_", edited={0: {"actual": "25000"}})
    at.button(key="whatif_apply").click().run()
    record = Store(db_path).get(1)
    assert record.revision == 2 and record.form.indicators[0].actual == "25000"
    assert metric(at, "模拟总分") == "99.9"  # the new scratch copy starts from the updated draft
    assert metric(at, "原总分") == "99.9"


def test_reset_discards_changes(scenario):
    at = scenario
    edit_table(at, "whatif_", edited={0: {"actual": "25000"}})
    at.button(key="whatif_reset").click().run()
    assert metric(at, "模拟总分") == "97.6"


def test_scenario_from_an_imported_form_without_a_draft(app):
    upload_seed_json(app, 1, 4)
    _go(app)
    assert "从哪张表开始" in [s.label for s in app.selectbox]
    app.selectbox(key="whatif_source").set_value(1).run()
    assert metric(app, "模拟总分") == "97.6"
    assert "把模拟结果写入草稿" not in texts(app)


def test_no_form_at_all(app):
    _go(app)
    assert "还没有打开的草稿" in texts(app)


def test_goal_seek_for_a_target_total(scenario):
    at = scenario
    table = editor(at, "whatif_").value
    columns = list(table.columns)
    assert columns.index("needed") == columns.index("actual") + 1  # 满分所需 next to 实际完成值
    at.number_input(key="whatif_goal").set_value(99.5).run()
    assert "总分要达到 99.5 分（现 97.6 分，差 1.9 分）：需改动 1 项。" in texts(at)
    steps = next(d.value for d in at.dataframe if "需得分" in d.value.columns)
    assert steps.loc[0, "指标"] == "1. 服务新开办企业数量" and steps.loc[0, "需得分"] == "6.6"
    at.number_input(key="whatif_goal").set_value(100.0).run()
    assert "需改动" in texts(at)
