"""The plain-text importer on the tricky bits of real text and on the template variants."""

from __future__ import annotations

import pytest

from perfeval.errors import ImportFailure, PerfevalError
from perfeval.ingest.text import looks_like_form_text, read_text_forms

HEAD = """财政项目支出绩效自评表
(2022 年度)

项目名称
网络信息系统开发、升级、建

设（历年已批复）

主管部门 上海市松江区行政服务中心 实施单位
上海市松江区行政

服务中心

项目资金
（元）

     年初预算数 全年预算数 全年执行数  分值  执行率 得分

年度资金总额 8560200.00 6412300.00 6,412,300 10 100.00% 10

    其中：当年财政拨款 6418285 6412300 6412300 —

                上年结转资金 0 0 —

                其他资金 0 0 —

年度
总体
目标

预算目标 实际完成情况

确保志愿者按时到岗，不断提升窗口工作效能。 基本完成

绩
效
指
标

一级指标 二级指标 三级指标
年度

指标值
实际

完成值
分值 得分

偏差原因分析及
改进措施
"""


def _one(text: str):
    forms = read_text_forms(text)
    assert len(forms) == 1
    return forms[0]


def test_header_wraps_and_funds_with_blanks_and_commas() -> None:
    form = _one(HEAD + "产出指标\n数量指标\n系统开发数量\n=22个 22个 90 90\n总分 100 100\n")
    assert form.project_name == "网络信息系统开发、升级、建设（历年已批复）"
    assert form.department == "上海市松江区行政服务中心"
    assert form.implementing_unit == "上海市松江区行政服务中心"
    assert form.money_unit == "元"
    total, fiscal, carry, other = form.funds
    assert (total.kind, total.initial_budget, total.executed, total.execution_rate) == (
        "total",
        8560200,
        6412300,
        1.0,
    )
    assert (total.weight, total.score) == (10, 10)
    assert (fiscal.kind, fiscal.initial_budget, fiscal.annual_budget, fiscal.weight) == (
        "fiscal",
        6418285,
        6412300,
        None,
    )
    # a blank 年初预算数 leaves nothing: the two numbers are 全年预算数 and 全年执行数
    assert (carry.kind, carry.initial_budget, carry.annual_budget, carry.executed) == (
        "carryover",
        None,
        0,
        0,
    )
    assert other.kind == "other" and other.initial_budget is None
    assert (form.goal_planned, form.goal_actual) == ("确保志愿者按时到岗，不断提升窗口工作效能。", "基本完成")
    assert (form.total_weight, form.total_score) == (100, 100)


def test_wrapped_names_deviation_and_page_break_with_level1_on_next_page() -> None:
    rows = """产出指标

数量指标

服务新开办企业数量
=25000家 16780 7 4.7

因疫情原因，服务
新开办企业数量少

于预期

安全等第三方测试通过

率

=100% 无 8 6 项目正在开展中

社会效益指标

系统重要储存信息丢失

率

=0% 0% 7 7
政府服务窗口工作效能 提升 提升 8 8

- 4 -

 效
指
标

 效益指标

可持续影响指标
项目资料管理齐全性

齐全 齐全 8 8

满意度指标 服务对象满意度指标
投诉处置满意度

=100% 100% 10 10

总分 100 97.6
"""
    form = _one(HEAD + rows)
    got = [
        (i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviation)
        for i in form.indicators
    ]
    assert got == [
        (
            "产出指标",
            "数量指标",
            "服务新开办企业数量",
            "=25000家",
            "16780",
            7,
            4.7,
            "因疫情原因，服务新开办企业数量少于预期",
        ),
        ("产出指标", "数量指标", "安全等第三方测试通过率", "=100%", "无", 8, 6, "项目正在开展中"),
        ("效益指标", "社会效益指标", "系统重要储存信息丢失率", "=0%", "0%", 7, 7, ""),
        ("效益指标", "社会效益指标", "政府服务窗口工作效能", "提升", "提升", 8, 8, ""),
        ("效益指标", "可持续影响指标", "项目资料管理齐全性", "齐全", "齐全", 8, 8, ""),
        ("满意度指标", "服务对象满意度指标", "投诉处置满意度", "=100%", "100%", 10, 10, ""),
    ]
    assert form.parse_warnings == []


def test_multi_line_goal_split_at_the_short_line() -> None:
    text = HEAD.replace(
        "确保志愿者按时到岗，不断提升窗口工作效能。 基本完成",
        "保障各服务大厅的正常运转，提升政府服务窗口工作效能\n；进一步优化营商环境，提升企业、群众办事感受度和满\n意度。\n\n基本完成",
    )
    form = _one(text + "产出指标\n数量指标\n系统开发数量\n=22个 22个 90 90\n总分 100 100\n")
    assert (
        form.goal_planned
        == "保障各服务大厅的正常运转，提升政府服务窗口工作效能；进一步优化营商环境，提升企业、群众办事感受度和满意度。"
    )
    assert form.goal_actual == "基本完成"


ANHUI = """项目支出绩效自评表
（2022年度）
项目名称 高标准农田建设补助资金
主管部门 安徽省池州市贵池区农业农村局 实施单位 安徽省池州市贵池区农业农村局
项目资金
（万元）
年初预算数 全年预算数
（A）
全年执行数
（B）
分值 执行率
（B/A）
得分
年度资金总额 0 0 0 10 0.00% 0
其中：本年财政拨款 90 89.974 89.974 — — —
上年结转资金 — — — — — —
其他资金
年度总体目标
预期目标 实际完成情况
本项目共安排资金90万元，用于高标准农田建设。 本项目共完成预算资金89.97万元。
绩效指标
一级指标 二级指标 三级指标 年度指标值（A） 实际完成值（B） 分值 得分 偏差原因分析及改进措施
产出指标（50分） 数量指标 新建高标准农田面积 ≥1000亩 1000亩 20 20
质量指标 项目验收合格率 ≥100百分比 100% 20 20
成本指标 项目总成本 ≤90万元 89.974万元 10 10
效益指标（30分） 社会效益指标 带动农户增收 ≥500元/户 450元/户 30 27 受市场价格影响，增收低于预期
满意度指标（10分） 服务对象满意度指标 服务对象满意度 ≥90% 95% 10 10
总分 100 97
"""


def test_anhui_variant_wan_yuan_weights_in_level1_labels() -> None:
    form = _one(ANHUI)
    assert form.money_unit == "万元"
    assert [(f.kind, f.label) for f in form.funds] == [
        ("total", "年度资金总额"),
        ("fiscal", "本年财政拨款"),
        ("carryover", "上年结转资金"),
        ("other", "其他资金"),
    ]
    assert form.funds[0].execution_rate == 0 and form.funds[1].annual_budget == 89.974
    assert form.funds[2].annual_budget is None and form.funds[3].executed is None
    assert form.goal_actual == "本项目共完成预算资金89.97万元。"
    assert [i.level1 for i in form.indicators] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]
    assert [i.level2 for i in form.indicators][2] == "成本指标"
    assert form.indicators[2].target == "≤90万元"
    assert form.indicators[3].deviation == "受市场价格影响，增收低于预期"
    assert form.source["layout"]["level1_weights"] is True
    assert form.total_score == 97


def test_zhongjiang_order_weight_before_target() -> None:
    text = ANHUI.replace(
        "一级指标 二级指标 三级指标 年度指标值（A） 实际完成值（B） 分值 得分 偏差原因分析及改进措施",
        "一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分 未完成原因及拟采取的改进措施",
    ).replace("新建高标准农田面积 ≥1000亩 1000亩 20 20", "新建高标准农田面积 20 ≥1000亩 900亩 18 受天气影响")
    form = _one(text)
    first = form.indicators[0]
    assert (first.weight, first.target, first.actual, first.score, first.deviation) == (
        20,
        "≥1000亩",
        "900亩",
        18,
        "受天气影响",
    )
    assert form.source["layout"]["indicator_columns"] == [
        "level1", "level2", "name", "weight", "target", "actual", "score", "deviation",
    ]  # fmt: skip


SICHUAN = """部门预算项目支出绩效自评表
（2023年度）
项目名称 51000021R000000012345-高标准农田建设补助资金
主管部门 四川省眉山市青神县农业农村局 实施单位（盖章） 四川省眉山市青神县农业农村局
项目基本情况
1.项目年度目标完成情况
项目年度目标 年度目标完成情况
本项目共安排资金120.5万元，用于高标准农田建设。 已全部完成年度目标。
2.项目实施内容及过程概述
项目按计划组织实施，完成了年度主要建设内容。
预算执行情况（10分）
（万元）
年初预算 调整后预算数 预算执行数 预算执行率 权重 得分 原因
总额 150.2 120.5 110.3 91.54% 10 9.15 政府采购节约资金
其中：财政资金 150.2 120.5 110.3 / / /
财政专户管理资金 0 0 0 / / /
单位资金 0 0 0 / / /
其他资金 0 0 0 / / /
绩效指标（90分）
一级指标 二级指标 三级指标 指标性质 指标值 度量单位 完成值 权重 得分 未完成原因分析
产出指标 数量指标 培训人次 ≥ 200 人次 210 20 20
质量指标 项目验收合格率 = 100 % 100 20 20
时效指标 项目完工及时性 定性 及时 部分完成 10 7 项目正在推进中
效益指标 经济效益指标 带动农户增收 ≥ 500 元/户 520 30 30
满意度指标 服务对象满意度指标 服务对象满意度 ≥ 90 % 95 10 10
合计 100 96.15
评价结论 项目总体完成年度绩效目标。
存在问题 部分指标设置不够细化。
改进措施 进一步完善绩效指标体系，加强预算执行监控。
项目负责人：张三 财务负责人：李四
"""


def test_sichuan_2023_variant() -> None:
    form = _one(SICHUAN)
    assert form.year == 2023
    assert (form.project_code, form.project_name) == ("51000021R000000012345", "高标准农田建设补助资金")
    assert form.implementing_unit == "四川省眉山市青神县农业农村局"
    assert form.money_unit == "万元"
    assert [f.kind for f in form.funds] == ["total", "fiscal", "special_account", "unit", "other"]
    total = form.funds[0]
    assert (total.initial_budget, total.annual_budget, total.executed) == (150.2, 120.5, 110.3)
    assert (total.execution_rate, total.weight, total.score) == (0.9154, 10, 9.15)
    assert form.funds[1].weight is None
    assert form.goal_planned == "本项目共安排资金120.5万元，用于高标准农田建设。"
    assert form.goal_actual == "已全部完成年度目标。"
    targets = [(i.target, i.actual, i.extra) for i in form.indicators]
    assert targets[0] == ("≥200人次", "210", {"nature": "≥", "value": "200", "unit": "人次"})
    assert targets[2] == ("及时", "部分完成", {"nature": "定性", "value": "及时", "unit": ""})
    assert form.indicators[2].deviation == "项目正在推进中"
    assert form.indicators[3].level2 == "经济效益指标"
    assert (form.total_weight, form.total_score) == (100, 96.15)
    assert form.extra == {
        "implementation_summary": "项目按计划组织实施，完成了年度主要建设内容。",
        "funds_reason": "政府采购节约资金",
        "conclusion": "项目总体完成年度绩效目标。",
        "problems": "部分指标设置不够细化。",
        "improvements": "进一步完善绩效指标体系，加强预算执行监控。",
        "project_leader": "张三",
        "finance_leader": "李四",
    }
    assert form.source["template"] == "sichuan-2023"


def test_repeated_table_header_on_a_new_page_is_skipped() -> None:
    rows = (
        "产出指标\n数量指标\n系统开发数量\n=22个 22个 40 40\n\f"
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
        "满意度指标 服务对象满意度指标 投诉处置满意度 =100% 100% 50 50\n总分 100 100\n"
    )
    form = _one(HEAD + rows)
    assert [i.name for i in form.indicators] == ["系统开发数量", "投诉处置满意度"]
    assert form.source["pages"] == [1, 2]


def test_several_forms_split_by_titles() -> None:
    body = "产出指标\n数量指标\n系统开发数量\n=22个 22个 90 90\n总分 100 100\n"
    forms = read_text_forms(HEAD + body + "\n- 2 -\n" + HEAD.replace("2022", "2023") + body)
    assert [f.year for f in forms] == [2022, 2023]


def test_unsure_rows_are_reported_in_chinese() -> None:
    form = _one(HEAD + "=22个 22个 8 8\n总分 100\n")
    assert any("未读到三级指标名称" in w for w in form.parse_warnings)
    assert any("总分行只有一个数字" in w for w in form.parse_warnings)


@pytest.mark.parametrize(
    "text",
    ["", "会议纪要\n今天讨论了预算。\n", "项目支出绩效自评表\n（2022年度）\n本页空白\n"],
)
def test_not_a_form_is_a_clear_chinese_error(text: str) -> None:
    assert not looks_like_form_text(text) or "本页空白" in text
    with pytest.raises(ImportFailure) as info:
        read_text_forms(text, source="notes.txt")
    assert "未找到项目支出绩效自评表" in info.value.message
    assert isinstance(info.value, PerfevalError)
    assert info.value.cli_line().startswith("notes.txt: 未找到")


def test_column_ordered_text_is_refused_with_advice() -> None:
    """pdftotext of some PDFs emits the table column by column: no row can be read from it."""
    text = (
        "项目支出绩效自评表\n（2022年度）\n项目名称\n窗口业务管理\n一级指标\n二级指标\n年度指标值\n"
        "实际完成值\n软件开发数量\n专家评审通过率\n=22个\n=16个\n=100%\n22个\n16个\n无\n"
    )
    with pytest.raises(ImportFailure) as info:
        read_text_forms(text)
    assert "请直接导入PDF文件" in info.value.message


def test_values_printed_with_spaces_inside_a_cell() -> None:
    rows = "满意度指标 服务对象满意度指标 服务对象满意度 >= 90 % 95 % 10 10\n总分 100 100\n"
    ind = _one(HEAD + rows).indicators[0]
    assert (ind.name, ind.target, ind.actual, ind.weight, ind.score) == (
        "服务对象满意度",
        ">=90%",
        "95%",
        10,
        10,
    )


def test_funds_label_wrapped_over_two_lines() -> None:
    text = SICHUAN.replace("财政专户管理资金 0 0 0 / / /", "财政专户管理\n资金 1.5 1.2 1.1 / / /")
    row = _one(text).funds[2]
    assert (row.kind, row.label, row.initial_budget, row.annual_budget, row.executed) == (
        "special_account",
        "财政专户管理资金",
        1.5,
        1.2,
        1.1,
    )
