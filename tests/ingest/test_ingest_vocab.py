"""The shared label vocabulary (perfeval.ingest.vocab)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfeval.ingest import vocab


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("年度资金总额", "total"),
        ("总额", "total"),
        ("其中：当年财政拨款", "fiscal"),
        ("    其中： 本年财政拨款", "fiscal"),
        ("其中:财政资金", "fiscal"),
        ("上年结转资金", "carryover"),
        ("财政专户管理资金", "special_account"),
        ("单位资金", "unit"),
        ("其他资金", "other"),
        ("其他资金（社会投入资金、银行贷款）", "other"),
        ("年初预算数", None),
        ("", None),
    ],
)
def test_fund_kind(label: str, kind: str | None) -> None:
    assert vocab.fund_kind(label) == kind


def test_fund_row_label_drops_qizhong() -> None:
    assert vocab.fund_row_label("其中：当年财政拨款") == "当年财政拨款"
    assert vocab.fund_row_label("上年结转资金") == "上年结转资金"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("年初预算数", "initial_budget"),
        ("年初预算", "initial_budget"),
        ("全年预算数（A）", "annual_budget"),
        ("全年预算数\n(A)", "annual_budget"),
        ("调整后预算数", "annual_budget"),
        ("全年执行数（B）", "executed"),
        ("预算执行数", "executed"),
        ("分值", "weight"),
        ("权重", "weight"),
        ("执行率（B/A）", "execution_rate"),
        ("预算执行率", "execution_rate"),
        ("得分", "score"),
        ("原因", "reason"),
        ("三级指标", None),
        # cut or shrunk headers still name their column when their start says which
        ("全年预算", "annual_budget"),
        ("全年预算数（", "annual_budget"),
        ("全年预算数（A", "annual_budget"),
        ("年初预", "initial_budget"),
        ("全年执行", "executed"),
        ("全年", None),  # 全年预算数 or 全年执行数
        ("执行", None),
        ("预算执行", None),  # 预算执行数 or 预算执行率
        ("2022", None),
    ],
)
def test_fund_column(label: str, field: str | None) -> None:
    assert vocab.fund_column(label) == field


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("一级指标", "level1"),
        ("二级指标", "level2"),
        ("三级指标", "name"),
        ("年度\n指标值", "target"),
        ("年度指标值（A）", "target"),
        ("实际\n完成值", "actual"),
        ("实际完成值（B）", "actual"),
        ("全年实际值", "actual"),
        ("完成值", "actual"),
        ("指标性质", "nature"),
        ("指标值", "value"),
        ("度量单位", "unit"),
        ("分值", "weight"),
        ("权重", "weight"),
        ("得分", "score"),
        ("偏差原因分析及\n改进措施", "deviation"),
        ("未完成原因分析", "deviation"),
        ("未完成原因及拟采取的改进措施", "deviation"),
        ("项目名称", None),
        ("年度指标", "target"),
        ("年度指标值（", "target"),
        ("实际完成", "actual"),
        ("偏差原因分析及", "deviation"),
        ("偏差原因分析及改进", "deviation"),
        ("未完成原因及拟", "deviation"),
        ("三级", "name"),
        ("指标", None),  # 指标值, 指标性质 or 指标名称
        ("度量", "unit"),
        ("得", None),  # too short to say
    ],
)
def test_indicator_column(label: str, field: str | None) -> None:
    assert vocab.indicator_column(label) == field


@pytest.mark.parametrize(
    ("label", "what"),
    [
        ("项目名称", "project_name"),
        ("主管部门", "department"),
        ("实施单位（盖章）", "implementing_unit"),
        ("项目资金\n（元）", "funds"),
        ("项目资金（万元）", "funds"),
        ("预算执行情况（10分）", "funds"),
        ("年度\n总体\n目标", "goal"),
        ("预期目标", "goal_planned"),
        ("年初设定目标", "goal_planned"),
        ("实际完成情况", "goal_actual"),
        ("年度总体目标完成情况综述", "goal_actual"),
        ("绩\n效\n指\n标", "indicators"),
        ("绩效指标（90分）", "indicators"),
        ("总分", "total"),
        ("合计", "total"),
        ("评价结论", "conclusion"),
        ("项目负责人：", "project_leader"),
        ("保障各服务大厅的正常运转", None),
    ],
)
def test_form_label(label: str, what: str | None) -> None:
    assert vocab.form_label(label) == what


def test_money_unit_title_year() -> None:
    assert vocab.money_unit("项目资金\n（元）") == "元"
    assert vocab.money_unit("项目资金（万元）") == "万元"
    assert vocab.money_unit("年度预算数（万元）") == "万元"
    assert vocab.money_unit("（单位：万元）") == "万元"
    assert vocab.money_unit("项目资金") is None
    assert vocab.is_title("财政项目支出绩效自评表")
    assert vocab.is_title("部门预算项目支出绩效自评表（2023年度）")
    assert not vocab.is_title("绩效指标")
    assert vocab.title_year("(2022 年度)") == 2022
    assert vocab.title_year("项目支出绩效自评表（2021年度）") == 2021
    assert vocab.title_year("- 4 -") is None


def test_split_project_code() -> None:
    assert vocab.split_project_code("51000021R000000019951-工资性支出") == (
        "51000021R000000019951",
        "工资性支出",
    )
    assert vocab.split_project_code("51000021R000000019951 — 工资性支出") == (
        "51000021R000000019951",
        "工资性支出",
    )
    assert vocab.split_project_code("窗口业务管理") == (None, "窗口业务管理")
    # a short prefix or one without digits is part of the name
    assert vocab.split_project_code("AI-智能办") == (None, "AI-智能办")
    assert vocab.split_project_code("ABCDEFGHIJ-项目") == (None, "ABCDEFGHIJ-项目")


def test_strip_seal() -> None:
    assert vocab.strip_seal("上海市松江区行政服务中心（盖章）") == "上海市松江区行政服务中心"
    assert vocab.strip_seal("实施单位(盖 章)") == "实施单位"


def test_join_lines_and_clean_text() -> None:
    assert vocab.join_lines(["安全等第三方测试通过", "率"]) == "安全等第三方测试通过率"
    assert (
        vocab.join_lines(["网络信息系统开发、升级、建", "", "设（历年已批复）"])
        == "网络信息系统开发、升级、建设（历年已批复）"
    )
    assert vocab.join_lines(["Smart", "City"]) == "Smart City"
    assert vocab.join_lines(["AI", "能力"]) == "AI能力"
    assert vocab.join_lines(["6,412,", "300"]) == "6,412,300"
    assert (
        vocab.clean_text("  建设基础业务数据库和AI能力，提升\n松江区 政务服务 ")
        == "建设基础业务数据库和AI能力，提升松江区政务服务"
    )
    assert vocab.clean_text("Smart  City 平台") == "Smart City平台"
    assert vocab.clean_text("") == ""


_cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=12)


@given(st.lists(_cjk, min_size=1, max_size=6))
def test_wrapped_chinese_joins_to_the_unwrapped_text(parts: list[str]) -> None:
    assert vocab.clean_text("\n".join(parts)) == "".join(parts)
    assert vocab.clean_text(" \n ".join(parts)) == "".join(parts)


@given(st.lists(st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True), min_size=2, max_size=5))
def test_wrapped_latin_words_keep_one_space(words: list[str]) -> None:
    assert vocab.clean_text("\n".join(words)) == " ".join(words)


def test_unify_radicals() -> None:
    # as Chromium's /ToUnicode maps glyphs shared with the radical blocks
    assert vocab.unify_radicals("主管部⻔") == "主管部门"
    assert vocab.unify_radicals("项⽬⽀出绩效⾃评表") == "项目支出绩效自评表"
    assert vocab.unify_radicals("财政专⼾管理资⾦") == "财政专户管理资金"
    assert vocab.unify_radicals("⻓效管护机制健全性⻬全") == "长效管护机制健全性齐全"
    assert vocab.unify_radicals("窗口业务管理") == "窗口业务管理"


@given(st.text(alphabet=st.characters(min_codepoint=0x2E80, max_codepoint=0x2FDF), max_size=20))
def test_no_radical_survives(text: str) -> None:
    out = vocab.unify_radicals(text)
    assert all(not ("\u2e80" <= ch <= "\u2fdf") or ch not in vocab._RADICAL_PAIRS for ch in out)
