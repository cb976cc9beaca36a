"""XLSX and DOCX import on files built here with openpyxl / python-docx (not with our exporters):
merged cells, the Sichuan 2023 layout, 分值 before 年度指标值, 万元, level-1 labels with （50分）."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

from perfeval.ingest import read_bytes, read_forms
from perfeval.ingest.errors import NotAFormError

Spec = list[list[Any]]  # rows of cells: "text" or ("text", colspan, rowspan)


def _layout(rows: Spec) -> tuple[list[tuple[int, int, str, int, int]], int]:
    """HTML-table placement: (row, col, text, colspan, rowspan) and the column count."""
    taken: set[tuple[int, int]] = set()
    out = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            text, cs, rs = (cell, 1, 1) if isinstance(cell, str) else cell
            while (r, c) in taken:
                c += 1
            out.append((r, c, text, cs, rs))
            for i in range(r, r + rs):
                for k in range(c, c + cs):
                    taken.add((i, k))
            c += cs
            width = max(width, c)
    return out, width


def write_xlsx(path: Path, sheets: list[Spec]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for n, rows in enumerate(sheets):
        ws = wb.create_sheet(f"表{n + 1}")
        cells, _ = _layout(rows)
        for r, c, text, cs, rs in cells:
            value: Any = text
            if isinstance(text, str) and text.replace(".", "", 1).isdigit() and not text.startswith("0"):
                value = float(text) if "." in text else int(text)  # typed numbers, as real workbooks have
            ws.cell(row=r + 1, column=c + 1, value=value)
            if cs > 1 or rs > 1:
                ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + rs, end_column=c + cs)
    wb.save(path)
    return path


def write_docx(path: Path, forms: list[tuple[list[str], Spec]]) -> Path:
    """Title paragraphs then one table per form; merges via python-docx (gridSpan / vMerge)."""
    document = docx.Document()
    for i, (paragraphs, rows) in enumerate(forms):
        if i:
            document.add_page_break()
        for p in paragraphs:
            document.add_paragraph(p)
        cells, width = _layout(rows)
        table = document.add_table(rows=len(rows), cols=width)
        grid = [row.cells for row in table.rows]  # fetched once: table.cell() is slow on big tables
        for r, c, text, cs, rs in cells:
            cell = grid[r][c]
            if cs > 1 or rs > 1:
                cell = cell.merge(grid[r + rs - 1][c + cs - 1])
            cell.text = text
    document.save(path)
    return path


ZHONGJIANG: Spec = [
    [("项目支出绩效自评表", 9, 1)],
    [("（2022年度）", 9, 1)],
    ["项目名称", ("乡村振兴衔接资金项目（产业发展类）", 8, 1)],
    ["项目负责人及电话", ("王五 0838-1234567", 8, 1)],
    ["主管部门", ("四川省德阳市中江县农业农村局", 3, 1), ("实施单位", 2, 1), ("中江县某镇人民政府", 3, 1)],
    [
        ("项目资金\n（万元）", 1, 5),
        ("", 2, 1),
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ],
    [("年度资金总额", 2, 1), "90", "89.974", "89.974", "10", "99.97%", "10"],
    [("其中：本年财政拨款", 2, 1), "90", "89.974", "89.974", "—", "—", "—"],
    [("上年结转资金", 2, 1), "", "0", "0", "—", "—", "—"],
    [("其他资金", 2, 1), "", "0", "0", "—", "—", "—"],
    [("年度总体目标", 1, 2), ("年初设定目标", 4, 1), ("年度总体目标完成情况综述", 4, 1)],
    [("本项目共安排资金90万元，用于发展\n特色产业。", 4, 1), ("本项目共完成预算资金89.974万元。", 4, 1)],
    [
        ("绩效指标", 1, 6),
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "年度指标值",
        "全年实际值",
        "得分",
        "未完成原因及拟采取的改进措施",
    ],
    [("产出指标（70分）", 1, 3), ("数量指标", 1, 2), "新建产业基地面积", "40", "≥500亩", "520亩", "40", ""],
    ["带动脱贫户数", "20", "≥100户", "80户", "16", "部分农户外出务工；改进措施：加强宣传发动。"],
    ["时效指标", "项目完工及时性", "10", "及时", "及时", "10", ""],
    [("效益指标（20分）", 1, 1), "经济效益指标", "带动农户增收", "20", "≥1000元/户", "1200元/户", "20", ""],
    [("满意度指标（10分）", 1, 1), "服务对象满意度指标", "受益群众满意度", "10", "≥90%", "95%", "10", ""],
    [("总分", 4, 1), "100", ("", 2, 1), "96", ""],
]

SICHUAN: Spec = [
    [("部门预算项目支出绩效自评表", 11, 1)],
    [("（2023年度）", 11, 1)],
    ["项目名称", ("51000021R000000019951-工资性支出", 10, 1)],
    [
        "主管部门",
        ("四川省眉山市青神县教育局", 4, 1),
        ("实施单位（盖章）", 2, 1),
        ("青神县实验小学（盖章）", 4, 1),
    ],
    [
        ("项目基本情况", 1, 3),
        ("1.项目年度目标完成情况", 2, 2),
        ("项目年度目标", 4, 1),
        ("年度目标完成情况", 4, 1),
    ],
    [("保障教职工工资按时足额发放。", 4, 1), ("已按时足额发放。", 4, 1)],
    [("2.项目实施内容及过程概述", 2, 1), ("按月发放工资。", 8, 1)],
    [
        ("预算执行情况（10分）", 1, 6),
        ("年度预算数（万元）", 2, 1),
        "年初预算",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "权重",
        "得分",
        ("原因", 2, 1),
    ],
    [("总额", 2, 1), "1,200.00", "1,150.00", "1,035.00", "90.00%", "10", "9", ("年中调减预算50万元。", 2, 5)],
    [("其中：财政资金", 2, 1), "1,200.00", "1,150.00", "1,035.00", "90.00%", "/", "/"],
    [("财政专户管理资金", 2, 1), "0", "0", "0", "/", "/", "/"],
    [("单位资金", 2, 1), "0", "0", "0", "/", "/", "/"],
    [("其他资金", 2, 1), "0", "0", "0", "/", "/", "/"],
    [
        ("绩效指标（90分）", 1, 5),
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    ],
    [
        ("产出指标", 1, 2),
        "数量指标",
        "保障在职教职工人数",
        "≥",
        "120",
        "人",
        "118",
        "30",
        "29.5",
        "2人调离。",
    ],
    ["时效指标", "工资发放及时率", "=", "100", "%", "100", "30", "30", ""],
    [("成本指标", 1, 1), "经济成本指标", "项目总成本", "≤", "1150", "万元", "1035", "10", "10", ""],
    [("满意度指标", 1, 1), "服务对象满意度指标", "教职工满意度", "定性", "满意", "", "满意", "20", "20", ""],
    [("合计", 8, 1), "100", "98.5", ""],
    ["评价结论", ("项目总体完成年度绩效目标。", 10, 1)],
    ["存在问题", ("预算编制不够精准。", 10, 1)],
    ["改进措施", ("加强预算测算。", 10, 1)],
    [("项目负责人：赵六", 6, 1), ("财务负责人：钱七", 5, 1)],
]


def _check_zhongjiang(form: Any) -> None:
    assert form.year == 2022
    assert form.project_name == "乡村振兴衔接资金项目（产业发展类）"
    assert form.department == "四川省德阳市中江县农业农村局"
    assert form.implementing_unit == "中江县某镇人民政府"
    assert form.money_unit == "万元"
    assert [f.kind for f in form.funds] == ["total", "fiscal", "carryover", "other"]
    assert form.funds[1].label == "本年财政拨款"
    total = form.funds[0]
    assert (total.initial_budget, total.annual_budget, total.executed) == (90, 89.974, 89.974)
    assert total.execution_rate == pytest.approx(0.9997)
    assert (total.weight, total.score) == (10, 10)
    assert form.funds[2].initial_budget is None and form.funds[2].annual_budget == 0
    assert form.goal_planned == "本项目共安排资金90万元，用于发展特色产业。"
    assert form.goal_actual == "本项目共完成预算资金89.974万元。"
    assert form.extra["project_leader"] == "王五0838-1234567"  # spaces next to Chinese are dropped
    ind = form.indicators
    assert [i.level1 for i in ind] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]
    assert [i.level2 for i in ind] == [
        "数量指标",
        "数量指标",
        "时效指标",
        "经济效益指标",
        "服务对象满意度指标",
    ]
    assert ind[1].name == "带动脱贫户数" and ind[1].target == "≥100户" and ind[1].actual == "80户"
    assert (ind[1].weight, ind[1].score) == (20, 16)
    assert ind[1].deviation == "部分农户外出务工；改进措施：加强宣传发动。"
    assert (form.total_weight, form.total_score) == (100, 96)
    layout = form.source["layout"]
    assert layout["indicator_columns"] == [
        "level1",
        "level2",
        "name",
        "weight",
        "target",
        "actual",
        "score",
        "deviation",
    ]
    assert layout["level1_weights"] is True
    assert form.source["template"] == "central"
    assert not form.parse_warnings


def _check_sichuan(form: Any) -> None:
    assert form.year == 2023
    assert form.project_code == "51000021R000000019951"
    assert form.project_name == "工资性支出"
    assert form.implementing_unit == "青神县实验小学"
    assert form.money_unit == "万元"
    assert [f.kind for f in form.funds] == ["total", "fiscal", "special_account", "unit", "other"]
    assert form.funds[0].annual_budget == 1150 and form.funds[0].execution_rate == pytest.approx(0.9)
    assert form.funds[1].weight is None and form.funds[1].label == "财政资金"
    assert form.goal_planned == "保障教职工工资按时足额发放。"
    assert form.goal_actual == "已按时足额发放。"
    ind = form.indicators
    assert [i.target for i in ind] == ["≥120人", "=100%", "≤1150万元", "满意"]
    assert ind[0].extra == {"nature": "≥", "value": "120", "unit": "人"}
    assert ind[3].extra == {"nature": "定性", "value": "满意", "unit": ""}
    assert ind[2].level1 == "成本指标" and ind[2].level2 == "经济成本指标"
    assert [i.actual for i in ind] == ["118", "100", "1035", "满意"]
    assert ind[0].score == 29.5 and ind[0].deviation == "2人调离。"
    assert (form.total_weight, form.total_score) == (100, 98.5)
    assert form.extra == {
        "implementation_summary": "按月发放工资。",
        "funds_reason": "年中调减预算50万元。",
        "conclusion": "项目总体完成年度绩效目标。",
        "problems": "预算编制不够精准。",
        "improvements": "加强预算测算。",
        "project_leader": "赵六",
        "finance_leader": "钱七",
    }
    assert form.source["template"] == "sichuan-2023"
    assert not form.parse_warnings


def test_xlsx_zhongjiang_and_sichuan_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bundle.xlsx", [ZHONGJIANG, SICHUAN])
    forms = read_forms(path)
    assert len(forms) == 2
    _check_zhongjiang(forms[0])
    _check_sichuan(forms[1])
    assert forms[0].source["file"] == "bundle.xlsx"


def test_xlsx_two_forms_stacked_on_one_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "stacked.xlsx", [[*ZHONGJIANG, [""], *SICHUAN]])
    forms = read_forms(path)
    assert len(forms) == 2
    _check_zhongjiang(forms[0])
    _check_sichuan(forms[1])


def test_docx_bundle(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "bundle.docx",
        [
            (["项目支出绩效自评表", "（2022年度）"], ZHONGJIANG[2:]),
            (["部门预算项目支出绩效自评表", "（2023年度）"], SICHUAN[2:]),
        ],
    )
    forms = read_bytes("bundle.docx", path.read_bytes())
    assert len(forms) == 2
    _check_zhongjiang(forms[0])
    _check_sichuan(forms[1])


def test_docx_vmerge_and_gridspan_read_from_xml(tmp_path: Path) -> None:
    """A hand-written vMerge: 'restart' then bare continuation elements, as Word writes them."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "A"
    table.cell(0, 1).text = "B"
    table.cell(2, 1).text = "C"
    for r, val in ((0, "restart"), (1, None), (2, None)):
        tcpr = table.cell(r, 0)._tc.get_or_add_tcPr()
        vm = OxmlElement("w:vMerge")
        if val:
            vm.set(qn("w:val"), val)
        tcpr.append(vm)
    from perfeval.ingest.office import _docx_table

    grid = _docx_table(table._tbl, 1)
    first = grid.cells[0]
    assert (first.text, first.rowspan) == ("A", 3)
    assert [c.text for c in grid.rows()[2]] == ["A", "C"]


def test_not_a_form_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [[["姓名", "电话"], ["张三", "123"]]])
    with pytest.raises(NotAFormError):
        read_forms(path)


def test_formulas_without_results_are_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "formula.xlsx", [ZHONGJIANG])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == 96:  # 总分's score as a formula nobody calculated
                cell.value = "=SUM(F14:F18)"
    wb.save(path)
    (form,) = read_forms(path)
    assert form.total_score is None
    assert any("公式" in w for w in form.parse_warnings)
