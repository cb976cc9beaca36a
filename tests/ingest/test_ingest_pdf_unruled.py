"""A PDF whose tables have no ruling lines: columns come from the positions of the header labels."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from perfeval.ingest import read_bytes

ROWS: list[list[tuple[float, str]]] = [
    [(220, "项目支出绩效自评表")],
    [(250, "（2022年度）")],
    [(40, "项目名称"), (110, "窗口业务管理")],
    [(40, "主管部门"), (110, "上海市某中心"), (300, "实施单位"), (370, "上海市某中心")],
    [
        (40, "项目资金（元）"),
        (160, "年初预算数"),
        (230, "全年预算数"),
        (300, "全年执行数"),
        (370, "分值"),
        (420, "执行率"),
        (480, "得分"),
    ],
    [
        (60, "年度资金总额"),
        (160, "3550000.00"),
        (230, "2012827.60"),
        (300, "2012827.6"),
        (370, "10"),
        (420, "100.00%"),
        (480, "10"),
    ],
    [(60, "其中：当年财政拨款"), (160, "2990000"), (230, "2012827.60"), (300, "2012827.6"), (370, "—")],
    [(60, "上年结转资金"), (230, "0"), (300, "0"), (370, "—")],
    [(40, "年度总体目标"), (110, "预期目标"), (330, "实际完成情况")],
    [(110, "保障各服务大厅的正常运转。"), (330, "基本完成")],
    [
        (40, "一级指标"),
        (95, "二级指标"),
        (150, "三级指标"),
        (250, "年度指标值"),
        (310, "实际完成值"),
        (370, "分值"),
        (410, "得分"),
        (450, "偏差原因分析"),
    ],
    [
        (40, "产出指标"),
        (95, "数量指标"),
        (150, "服务新开办企业"),
        (250, "=25000家"),
        (310, "16780"),
        (370, "7"),
        (410, "4.7"),
        (450, "因疫情原因，"),
    ],
    [(150, "数量"), (450, "数量少于预期")],
    [(150, "寄送快递数"), (250, ">=12000件"), (310, "11790"), (370, "7"), (410, "6.9"), (450, "因疫情原因")],
    [(95, "质量指标"), (150, "印章质量合格率"), (250, "=100%"), (310, "100%"), (370, "76"), (410, "76")],
    [(40, "总分"), (370, "100"), (410, "97.6")],
]


def _pdf() -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 9)
    y = 800.0
    for row in ROWS:
        for x, text in row:
            c.drawString(x, y, text)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


def test_unruled_form() -> None:
    (form,) = read_bytes("plain.pdf", _pdf())
    assert (form.year, form.project_name, form.department, form.money_unit) == (
        2022,
        "窗口业务管理",
        "上海市某中心",
        "元",
    )
    assert [f.kind for f in form.funds] == ["total", "fiscal", "carryover"]
    assert form.funds[0].initial_budget == 3550000 and form.funds[0].execution_rate == 1.0
    assert form.funds[1].initial_budget == 2990000 and form.funds[1].weight is None
    assert (form.goal_planned, form.goal_actual) == ("保障各服务大厅的正常运转。", "基本完成")
    ind = form.indicators
    assert [i.name for i in ind] == ["服务新开办企业数量", "寄送快递数", "印章质量合格率"]
    assert ind[0].deviation == "因疫情原因，数量少于预期"
    assert [(i.level1, i.level2) for i in ind] == [("产出指标", "数量指标")] * 2 + [("产出指标", "质量指标")]
    assert [(i.target, i.actual, i.weight, i.score) for i in ind][1] == (">=12000件", "11790", 7, 6.9)
    assert (form.total_weight, form.total_score) == (100, 97.6)
