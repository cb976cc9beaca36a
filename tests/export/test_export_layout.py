"""The shared layout: printed numbers, merged level cells, templates, hints, page splitting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfeval.export.layout import (
    Grid,
    fmt_money,
    fmt_rate,
    fmt_score,
    form_layout,
    sheet_names,
    split_grid,
    split_target,
)
from perfeval.model import Indicator, read_number, read_rate
from perfeval.samples import sample_form


def _texts(layout) -> list[str]:
    return [c.text for g in layout.grids for c in g.cells]


def test_numbers_are_printed_as_on_the_forms() -> None:
    assert fmt_money(8560200) == "8,560,200.00"
    assert fmt_money(6412300.0) == "6,412,300.00"
    assert fmt_money(89.974) == "89.974"  # the data's own precision is kept (Anhui prints 3 decimals)
    assert fmt_money(None) == ""
    assert fmt_rate(1.0) == "100.00%"
    assert fmt_rate(0.86183) == "86.18%"
    assert fmt_score(10) == "10"
    assert fmt_score(4.7) == "4.7"
    assert fmt_score(8.625) == "8.63"  # ROUND_HALF_UP, not banker's rounding
    assert fmt_score(None, "—") == "—"


@given(st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False))
def test_printed_money_reads_back_to_the_same_amount(value) -> None:
    assert read_number(fmt_money(float(value))) == pytest.approx(float(value), abs=1e-6)


@given(st.floats(min_value=0, max_value=3, allow_nan=False))
def test_printed_rate_reads_back_within_the_printed_precision(rate: float) -> None:
    assert read_rate(fmt_rate(rate)) == pytest.approx(rate, abs=0.00005 + 1e-12)


@given(st.lists(st.text(max_size=60), min_size=1, max_size=12))
def test_sheet_names_are_valid_and_unique(titles: list[str]) -> None:
    names = sheet_names(titles)
    assert len(names) == len(titles)
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_central_layout_has_the_template_labels(seed_forms) -> None:
    layout = form_layout(seed_forms[0])
    assert layout.title == "项目支出绩效自评表"
    assert layout.subtitle == "（2022年度）"
    texts = _texts(layout)
    for label in (
        "项目名称",
        "主管部门",
        "实施单位",
        "项目资金（元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
        "年度总体目标",
        "预期目标",
        "实际完成情况",
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "总分",
    ):
        assert label in texts, label
    assert "=22个" in texts and "100.00%" in texts and "8,560,200.00" in texts


def test_level_cells_are_merged_over_equal_neighbours(seed_forms) -> None:
    form = seed_forms[0]
    table = next(g for g in form_layout(form).grids if g.role == "indicators")
    level1 = {c.text: c.rowspan for c in table.cells if c.col == 1 and c.row > 0}
    assert level1 == {"产出指标": 6, "效益指标": 4, "满意度指标": 1}
    level2 = [(c.text, c.rowspan) for c in table.cells if c.col == 2 and c.row > 0]
    assert level2[:3] == [("数量指标", 2), ("质量指标", 3), ("时效指标", 1)]
    assert table.header_rows == 1


def test_layout_hints_column_order_and_level1_weights() -> None:
    zhongjiang = sample_form(2, "zhongjiang")
    table = next(g for g in form_layout(zhongjiang).grids if g.role == "indicators")
    header = [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == 0][1:]
    assert header[3:5] == ["分值", "年度指标值"]
    anhui = sample_form(2, "anhui")
    texts = _texts(form_layout(anhui))
    assert "项目资金（万元）" in texts
    assert any(t.startswith("产出指标（") and t.endswith("分）") for t in texts)


def test_sichuan_layout_prints_its_own_template() -> None:
    form = sample_form(4, "sichuan-2023")
    layout = form_layout(form)
    assert layout.title == "部门预算项目支出绩效自评表"
    texts = _texts(layout)
    assert f"{form.project_code}-{form.project_name}" in texts
    for label in (
        "实施单位（盖章）",
        "预算执行情况（10分）",
        "年度预算数（万元）",
        "调整后预算数",
        "原因",
        "指标性质",
        "度量单位",
        "完成值",
        "权重",
        "未完成原因分析",
        "合计",
        "评价结论",
        "存在问题",
        "改进措施",
    ):
        assert label in texts, label
    assert f"项目负责人：{form.extra['project_leader']}" in texts
    assert form.extra["conclusion"] in texts


def test_split_target_reads_nature_value_unit() -> None:
    assert split_target(Indicator(target="≥95%")) == ("≥", "95", "%")
    assert split_target(Indicator(target="=22个")) == ("=", "22", "个")
    assert split_target(Indicator(target="及时")) == ("定性", "及时", "")
    kept = Indicator(target="≤30万元", extra={"nature": "≤", "value": "30", "unit": "万元"})
    assert split_target(kept) == ("≤", "30", "万元")


def test_previous_figures_and_signoff(seed_forms) -> None:
    form = seed_forms[0]
    form.extra = {
        "previous": {"goal_planned": "去年的目标"},
        "signoff": {"unit_leader": "王五", "phone": "123"},
    }
    layout = form_layout(form, signoff={"filled_by": "赵六", "phone": ""})
    assert "去年的目标" not in _texts(layout)
    assert layout.signoff == [
        ("单位负责人", "王五"),
        ("填表人", "赵六"),
        ("联系电话", "123"),
        ("填报日期", ""),
    ]


@given(st.integers(min_value=2, max_value=30), st.data())
def test_split_grid_keeps_every_row_and_cut_labels(n: int, data: st.DataObject) -> None:
    grid = Grid(ncols=3, header_rows=1)
    grid.add(0, 0, "绩效指标", "label", rowspan=n + 1)
    grid.add(0, 1, "一级指标", "header")
    grid.add(0, 2, "三级指标", "header")
    grid.add(1, 1, "产出指标", "center", rowspan=n)
    for i in range(n):
        grid.add(1 + i, 2, f"指标{i}")
    cut = data.draw(st.integers(min_value=2, max_value=n))
    for repeat in (True, False):
        first, rest = split_grid(grid, cut, repeat_header=repeat)
        head = 1 if repeat else 0
        assert first.nrows == cut and rest.nrows == n + 1 - cut + head
        names = [c.text for g in (first, rest) for c in g.cells if c.text.startswith("指标")]
        assert names == [f"指标{i}" for i in range(n)]
        # the level-1 label cut by the break is printed again on the next part
        assert [c.rowspan for c in rest.cells if c.text == "产出指标"] == [n + 1 - cut]
        assert sum(1 for c in rest.cells if c.text == "一级指标") == head


def test_title_hint_and_project_leader_row() -> None:
    form = sample_form(2, "zhongjiang")
    form.extra = {"project_leader": "张三 13800000000"}
    form.source = {**(form.source or {}), "layout": {"title": "财政项目支出绩效自评表（2022年度）"}}
    layout = form_layout(form)
    assert layout.title == "财政项目支出绩效自评表"
    assert layout.subtitle == f"（{form.year}年度）"
    texts = _texts(layout)
    assert texts[texts.index("项目负责人及电话") + 1] == "张三 13800000000"
