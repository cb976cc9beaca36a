"""The reviewer's XLSX report of a batch (审核报告), in Chinese, made with openpyxl.

Sheets: 总览 (one row per form, errors highlighted), 问题明细 (one row per finding, the field named in
Chinese), 无法读取 (files that could not be read, and why), 统计 (the score distribution and the findings
by kind, with native Excel bar charts).  Every text from a file is stored as text: a value starting with
``=`` never becomes a formula.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..review import FormReview, ReviewReport, code_title
from ..rules.fieldnames import field_name
from .xlsx import set_text

SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
OVERVIEW_HEADERS = (
    "文件", "序号", "项目名称", "主管部门", "年度", "自评总分", "复核总分", "等级", "错误数", "警告数", "主要问题",
)  # fmt: skip
OVERVIEW_WIDTHS = (36, 6, 34, 28, 7, 10, 10, 6, 8, 8, 60)
FINDINGS_HEADERS = ("文件", "序号", "项目", "字段", "严重程度", "问题类型", "说明", "建议")
FINDINGS_WIDTHS = (36, 6, 30, 34, 9, 22, 60, 50)
FAILED_HEADERS = ("文件", "原因")
FAILED_WIDTHS = (50, 90)
#: Score bands of the distribution chart (复核总分), lower bound included; the last band is exactly 100.
SCORE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("60分以下", float("-inf"), 60),
    ("60–69.99", 60, 70),
    ("70–79.99", 70, 80),
    ("80–89.99", 80, 90),
    ("90–94.99", 90, 95),
    ("95–99.99", 95, 100),
    ("100", 100, float("inf")),
)
MAIN_PROBLEMS = 3

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
_WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
_WRAP = Alignment(vertical="top", wrap_text=True)


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    return cell


def _table(
    ws: Worksheet, headers: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[Any]]
) -> None:
    """A header row (bold, frozen, with filters) and the rows below it."""
    for c, (head, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = _put(ws, 1, c, head)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            _put(ws, r, c, value).alignment = _WRAP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"


def main_problems(item: FormReview, limit: int = MAIN_PROBLEMS) -> str:
    """The form's main problems in words: the kinds of its errors, then of its warnings."""
    kinds: list[str] = []
    for severity in ("error", "warning"):
        for f in item.findings:
            title = code_title(f.code)
            if f.severity == severity and title not in kinds:
                kinds.append(title)
    more = f"等 {len(kinds)} 类问题" if len(kinds) > limit else ""
    return "；".join(kinds[:limit]) + more


def _overview(ws: Worksheet, forms: Sequence[FormReview]) -> None:
    rows = [
        (
            f.file,
            f.index + 1,
            f.form.project_name,
            f.form.department,
            f.form.year,
            f.form.total_score,
            f.computed_total,
            f.grade or "—",
            f.errors,
            f.warnings,
            main_problems(f),
        )
        for f in forms
    ]
    _table(ws, OVERVIEW_HEADERS, OVERVIEW_WIDTHS, rows)
    for r, f in enumerate(forms, 2):
        fill = _ERROR_FILL if f.errors else _WARNING_FILL if f.warnings else None
        if fill is not None:
            for c in (1, 3, 9, 10, 11):
                ws.cell(row=r, column=c).fill = fill


def _findings(ws: Worksheet, forms: Sequence[FormReview]) -> None:
    rows = [
        (
            f.file,
            f.index + 1,
            f.form.project_name,
            field_name(x.path, f.form),
            SEVERITY_ZH.get(x.severity, x.severity),
            code_title(x.code),
            x.message,
            x.hint,
        )
        for f in forms
        for x in f.findings
    ]
    _table(ws, FINDINGS_HEADERS, FINDINGS_WIDTHS, rows)
    for r, row in enumerate(rows, 2):
        if row[4] == "错误":
            ws.cell(row=r, column=5).fill = _ERROR_FILL


def score_distribution(forms: Sequence[FormReview]) -> list[tuple[str, int]]:
    """How many forms fall in each band of :data:`SCORE_BANDS` (forms without a total are left out)."""
    counts = Counter()
    for f in forms:
        if f.computed_total is None:
            continue
        for label, low, high in SCORE_BANDS:
            if low <= f.computed_total < high:
                counts[label] += 1
                break
    return [(label, counts[label]) for label, _, _ in SCORE_BANDS]


def findings_by_kind(forms: Sequence[FormReview]) -> list[tuple[str, int, int, int]]:
    """(kind, errors, warnings, notes) per kind of problem, the most frequent first, then by name."""
    counts: dict[str, Counter[str]] = {}
    for f in forms:
        for x in f.findings:
            counts.setdefault(code_title(x.code), Counter())[x.severity] += 1
    rows = [(k, c["error"], c["warning"], c["info"]) for k, c in counts.items()]
    return sorted(rows, key=lambda r: (-(r[1] + r[2] + r[3]), r[0]))


def _chart(ws: Worksheet, title: str, x_title: str, data: Reference, cats: Reference, anchor: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.x_axis.title = x_title
    chart.y_axis.title = "数量"
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, anchor)


def _statistics(ws: Worksheet, report: ReviewReport) -> None:
    forms = report.forms
    bands = score_distribution(forms)
    kinds = findings_by_kind(forms)
    _put(ws, 1, 1, "复核总分").font = _HEADER_FONT
    _put(ws, 1, 2, "自评表数").font = _HEADER_FONT
    for r, (label, n) in enumerate(bands, 2):
        _put(ws, r, 1, label)
        _put(ws, r, 2, n)
    end = len(bands) + 1
    _chart(
        ws,
        "复核总分分布",
        "复核总分",
        Reference(ws, min_col=2, min_row=1, max_row=end),
        Reference(ws, min_col=1, min_row=2, max_row=end),
        "G1",
    )
    top = end + 3
    for c, head in enumerate(("问题类型", "错误", "警告", "提示"), 1):
        _put(ws, top, c, head).font = _HEADER_FONT
    for r, row in enumerate(kinds, top + 1):
        for c, value in enumerate(row, 1):
            _put(ws, r, c, value)
    if kinds:
        last = top + len(kinds)
        chart_data = Reference(ws, min_col=2, max_col=4, min_row=top, max_row=last)
        _chart(
            ws,
            "问题类型分布",
            "问题类型",
            chart_data,
            Reference(ws, min_col=1, min_row=top + 1, max_row=last),
            "G18",
        )
    summary = top + len(kinds) + 2
    for r, (label, value) in enumerate(
        (
            ("自评表", len(forms)),
            ("有错误的表", sum(1 for f in forms if f.errors)),
            ("有警告的表", sum(1 for f in forms if f.warnings)),
            ("无法读取的文件", len(report.failed)),
        ),
        summary,
    ):
        _put(ws, r, 1, label)
        _put(ws, r, 2, value)
    ws.column_dimensions["A"].width = 28


def review_workbook(report: ReviewReport) -> Workbook:
    """The report as an openpyxl workbook (sheets 总览, 问题明细, 无法读取, 统计)."""
    wb = Workbook()
    overview = wb.active
    overview.title = "总览"
    _overview(overview, report.forms)
    _findings(wb.create_sheet("问题明细"), report.forms)
    _table(
        wb.create_sheet("无法读取"),
        FAILED_HEADERS,
        FAILED_WIDTHS,
        [(x.file, x.message) for x in report.failed],
    )
    _statistics(wb.create_sheet("统计"), report)
    return wb


def review_xlsx(report: ReviewReport) -> bytes:
    """The report's XLSX file."""
    buf = io.BytesIO()
    review_workbook(report).save(buf)
    return buf.getvalue()
