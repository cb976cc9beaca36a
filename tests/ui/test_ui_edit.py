"""编辑 page: live scores on every edit, explanations, findings, autosave, assistant, conflicts."""

from __future__ import annotations

import json

import pytest
from ui_helpers import edit_table, editor, go_to, metric, open_seed, shown, texts, upload

from perfeval.store import Store

SERVICE_ROW = 0  # 服务新开办企业数量 in seed-4 (窗口业务管理)


@pytest.fixture()
def editing(app):
    """The 窗口业务管理 form opened to check this year's figures."""
    return open_seed(app, 4)


def _form(db_path, draft_id=1):
    return Store(db_path).get(draft_id).form


def test_actual_edit_rescores_and_autosaves(editing, db_path):
    at = editing
    assert metric(at, "规则总分") == "97.6"
    edit_table(at, "indicators", edited={SERVICE_ROW: {"actual": "25000"}})
    assert metric(at, "规则总分") == "99.9"
    assert metric(at, "等级") == "优"
    # the row's rule score in the rebuilt editor (the editor gets a fresh input per revision)
    table = editor(at, "indicators").value
    assert table.loc[SERVICE_ROW, "rule_score"] == 7
    assert table.loc[SERVICE_ROW, "actual"] == "25000"
    record = Store(db_path).get(1)
    assert record.revision == 2
    assert record.form.indicators[SERVICE_ROW].actual == "25000"
    assert "16780 → 25000" in Store(db_path).audit(1)[-1].summary
    # the printed score now disagrees with the rule: the findings say so, with the row they point to
    assert "第1行「服务新开办企业数量」·得分" in texts(at)


def test_use_rule_scores_fills_the_score_column(editing, db_path):
    at = editing
    edit_table(at, "indicators", edited={SERVICE_ROW: {"actual": "25000"}})
    at.button(key="use_rule_scores").click().run()
    form = _form(db_path)
    assert form.indicators[SERVICE_ROW].score == 7
    assert form.total_score == 99.9
    assert metric(at, "表上总分") == "99.9"


def test_add_and_delete_rows(editing, db_path):
    at = editing
    edit_table(
        at,
        "indicators",
        added=[
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "新增指标",
                "target": ">=10个",
                "actual": "10",
                "weight": 2,
            }
        ],
    )
    form = _form(db_path)
    assert len(form.indicators) == 13 and form.indicators[-1].name == "新增指标"
    assert editor(at, "indicators").value.loc[12, "rule_score"] == 2
    edit_table(at, "indicators", deleted=[12, 1])
    form = _form(db_path)
    assert len(form.indicators) == 11
    assert "寄送快递数" not in [i.name for i in form.indicators]


def test_level_columns_offer_the_standard_tree(editing):
    columns = json.loads(editor(editing, "indicators").proto.columns)
    assert columns["level1"]["type_config"]["options"][:3] == ["产出指标", "效益指标", "满意度指标"]
    assert "服务对象满意度指标" in columns["level2"]["type_config"]["options"]
    assert columns["rule_score"]["disabled"] is True


def test_bad_value_shows_a_chinese_message_and_changes_nothing(editing, db_path):
    at = editing
    edit_table(at, "funds", edited={0: {"executed": -5}})
    assert "金额不能为负数" in texts(at)
    assert _form(db_path).funds[0].executed == 2012827.6
    assert Store(db_path).get(1).revision == 1


def test_header_and_goal_edits_are_saved(editing, db_path):
    at = editing
    name_key = next(t.key for t in at.text_input if t.key.startswith("f_project_name"))
    at.text_input(key=name_key).input("窗口业务管理（改）").run()
    goal_key = next(t.key for t in at.text_area if t.key.startswith("f_goal_actual"))
    at.text_area(key=goal_key).input("全部完成").run()
    form = _form(db_path)
    assert form.project_name == "窗口业务管理（改）"
    assert form.goal_actual == "全部完成"
    assert Store(db_path).get(1).revision == 3


def test_row_explanation_on_demand(editing):
    at = editing
    at.selectbox(key="explain_row").set_value(1).run()
    assert any("11790 ÷ 12000 × 7" in i.value for i in at.info)
    assert "满分所需：「寄送快递数」" in texts(at) and "12000" in texts(at)


def test_findings_beside_the_table(editing):
    at = editing
    assert "校验结果" in [s.value for s in at.subheader]
    # the seed has no error: its unbalanced 年初预算数 column is a warning
    assert metric(at, "错误 / 警告") == "0 / 1"
    assert ":orange[:material/warning:] **警告** · 项目资金·年度资金总额·年初预算数" in texts(at)


def test_assistant_suggests_and_applies_only_when_accepted(editing, db_path):
    at = editing
    at.button(key="assist_goal_").click().run()
    assert not at.exception
    suggestion = next(shown(m.value) for m in at.markdown if "本项目" in m.value or "资金" in m.value)
    assert _form(db_path).goal_planned != suggestion  # nothing applied yet
    at.button(key="assist_ok_goal_").click().run()
    assert _form(db_path).goal_planned == suggestion


def test_goal_actual_assistant(editing, db_path):
    at = editing
    at.button(key="assist_goal_actual_").click().run()
    assert not at.exception
    at.button(key="assist_ok_goal_actual_").click().run()
    goal_actual = _form(db_path).goal_actual
    assert goal_actual and goal_actual != "基本完成"
    assert next(t.value for t in at.text_area if t.key.startswith("f_goal_actual")) == goal_actual


def test_deviation_assistant_for_a_row(editing, db_path):
    at = editing
    at.selectbox(key="explain_row").set_value(SERVICE_ROW).run()
    at.button(key=f"assist_deviation_{SERVICE_ROW}").click().run()
    assert any("原因" in m.value for m in at.markdown)
    at.button(key=f"assist_ok_deviation_{SERVICE_ROW}").click().run()
    assert "原因" in _form(db_path).indicators[SERVICE_ROW].deviation


def test_low_execution_asks_for_a_reason(editing, db_path):
    at = editing
    assert not any(t.key.startswith("f_funds_reason") for t in at.text_area)  # 100% executed
    edit_table(at, "funds", edited={0: {"executed": 1006413.8}, 1: {"executed": 1006413.8}})
    assert metric(at, "执行率得分") == "5"
    at.button(key="assist_deviation_").click().run()
    at.button(key="assist_ok_deviation_").click().run()
    reason = _form(db_path).extra["funds_reason"]
    assert "原因" in reason
    assert next(t.value for t in at.text_area if t.key.startswith("f_funds_reason")) == reason


def test_conflict_keep_mine(editing, db_path):
    at = editing
    other = Store(db_path)
    theirs = other.get(1).form.model_copy(update={"goal_actual": "他人的修改"})
    other.save(1, theirs, base_revision=1, who="李四")
    edit_table(at, "indicators", edited={SERVICE_ROW: {"actual": "25000"}})
    warning = " ".join(w.value for w in at.warning)
    assert "保存冲突" in warning and "李四" in warning
    assert Store(db_path).get(1).revision == 2  # nothing of mine saved yet
    at.button(key="conflict_keep").click().run()
    record = Store(db_path).get(1)
    assert record.revision == 3
    assert record.form.indicators[SERVICE_ROW].actual == "25000"
    assert not any("保存冲突" in w.value for w in at.warning)


def test_conflict_reload(editing, db_path):
    at = editing
    other = Store(db_path)
    other.save(
        1, other.get(1).form.model_copy(update={"goal_actual": "他人的修改"}), base_revision=1, who="李四"
    )
    edit_table(at, "indicators", edited={SERVICE_ROW: {"actual": "25000"}})
    at.button(key="conflict_reload").click().run()
    assert metric(at, "规则总分") == "97.6"
    goal = next(t.value for t in at.text_area if t.key.startswith("f_goal_actual"))
    assert goal == "他人的修改"
    assert "已重新加载最新版本" in texts(at)


def test_no_draft_shows_recent_drafts_from_the_database(editing, new_app):
    fresh = new_app()  # a new browser session: nothing in its state, the drafts come from SQLite
    go_to(fresh, "edit")
    assert "最近保存的草稿" in texts(fresh)
    fresh.button(key="recent_open_1").click().run()
    assert metric(fresh, "规则总分") == "97.6"


def test_a_changed_row_withdraws_its_pending_suggestion(editing, db_path):
    at = editing
    at.selectbox(key="explain_row").set_value(SERVICE_ROW).run()
    at.button(key=f"assist_deviation_{SERVICE_ROW}").click().run()
    assert any("16780" in m.value for m in at.markdown)  # written from the actual value on screen
    edit_table(at, "indicators", edited={SERVICE_ROW: {"actual": "25000"}})
    # the data it used changed: the suggestion is gone and cannot be accepted
    assert "原建议已撤回" in texts(at)
    assert not any(b.key == f"assist_ok_deviation_{SERVICE_ROW}" for b in at.button)
    assert not any("16780" in m.value for m in at.markdown)
    at.button(key=f"assist_deviation_{SERVICE_ROW}").click().run()
    assert any("25000" in m.value for m in at.markdown)
    assert "建议来自" not in texts(at) and "template" not in texts(at)


def test_a_new_draft_shows_to_be_filled_not_zero(app):
    at = open_seed(app, 4, mode="draft")
    assert metric(at, "规则总分") == "待填报" and metric(at, "等级") == "待填报"
    assert "计算方法：；" not in texts(at) and "取整：；" not in texts(at)


def test_locate_jumps_to_the_row(editing):
    at = editing
    edit_table(at, "indicators", edited={3: {"score": 99}})  # above its weight: an error on row 4
    locate = [b for b in at.button if b.key and b.key.startswith("locate_")]
    assert locate
    locate[0].click().run()
    assert at.selectbox(key="explain_row").value == 3
    assert at.session_state["_focus_cell"] == (3, "score")


MARKUP_NAME = "**粗体** [链接](http://evil.example/) ![图](http://evil.example/x.png) <b>x</b>"


def test_names_from_data_are_shown_as_text(app, seed_forms):
    form = seed_forms[3].model_copy(deep=True)
    form.project_name = MARKUP_NAME
    form.indicators[0].name = "![图](http://evil.example/y.png)"
    from perfeval.interchange import dumps

    upload(app, ("![f](http://evil.example/z.png).json", dumps(form).encode("utf-8")))
    at = go_to(app, "import")
    at.button(key="review_0").click().run()
    assert not at.exception
    # every markdown element: the link and image syntax is escaped, so it renders as the text itself
    for element in [*at.markdown, *at.caption, *at.header, *at.info, *at.warning, *at.error]:
        value = str(element.value)
        assert "](http" not in value, value
        assert "<b>" not in value, value
    assert MARKUP_NAME in shown(at.header[0].value)
    assert "「![图](http://evil.example/y.png)」" in texts(at)
