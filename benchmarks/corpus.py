"""The import test corpus: synthetic bundles of forms, rendered the ways real reports are made, with
their ground truth.

Forms come from :func:`perfeval.samples.sample_form` in every template family (central 元; Anhui-style
central 万元 with ``产出指标（50分）`` and 本年财政拨款; 中江 with 分值 before 年度指标值; Sichuan 2023), then
varied further here: long wrapped project names and goal texts, long deviation texts, Latin words and
digits inside Chinese text, blank cells, large and small money, tables long enough to run over one or
more page breaks.  Bundles hold 1 to 12 forms.

Each bundle is rendered by several *routes*:

- ``pdf-reportlab``: perfeval's own PDF export (reportlab drawing);
- ``pdf-lo-xlsx`` / ``pdf-lo-docx``: our XLSX / DOCX export printed to PDF by LibreOffice
  (all files converted in one ``soffice`` call, with a private profile so parallel runs don't clash);
- ``pdf-lo-xlsx-fixed``: our XLSX export made to look like a unit's own spreadsheet -- fixed row
  heights too low for long texts, narrower columns, some headers and numbers shrunk to fit, centre
  or bottom alignment -- printed by LibreOffice Calc, so long cells overflow and are clipped
  (:func:`fix_row_heights`);
- ``xlsx`` / ``docx``: the office files themselves;
- ``xls`` / ``doc``: our XLSX / DOCX saved by LibreOffice as XLS / DOC;
- ``html``: our DOCX saved by LibreOffice Writer as a web page ("a Word document saved as HTML");
- ``ods`` / ``odt`` (opt-in): our XLSX / DOCX saved by LibreOffice as OpenDocument;
- ``txt-pdftotext``: the plain text ``pdftotext`` gives of the reportlab PDF (the seed's kind of text);
- ``txt-copied-<shape>`` (opt-in): the forms as text copied in each shape of benchmarks/copyshapes.py
  (Excel tabs, one cell per line, space-aligned, markdown, web page, WeChat, inline labels, broken
  rows, a browser's copy of an HTML table);
- ``txt-layout`` (opt-in): ``pdftotext -layout`` of the LibreOffice PDF of our XLSX export
  (space-aligned columns, merged labels centred between rows).

Used by benchmarks/accuracy.py and tests/ingest/test_ingest_corpus.py.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from copyshapes import SHAPES, copied_text
from openpyxl import load_workbook
from openpyxl.styles import Alignment

from perfeval.export import export_forms
from perfeval.model import SelfEvaluation
from perfeval.samples import FAMILIES, sample_form

#: The routes measured by default; ``txt-pdftotext`` is opt-in (see its note in docs/import.md).
ROUTES: tuple[str, ...] = (
    "pdf-reportlab",
    "pdf-lo-xlsx",
    "pdf-lo-xlsx-fixed",
    "pdf-lo-docx",
    "xlsx",
    "docx",
    "xls",
    "doc",
    "html",
)
#: Copied text in every shape (opt-in: ``--routes copied``).
COPIED_ROUTES: tuple[str, ...] = (*(f"txt-copied-{s}" for s in SHAPES), "txt-layout")
ALL_ROUTES: tuple[str, ...] = (*ROUTES, "ods", "odt", "txt-pdftotext", *COPIED_ROUTES)
PDF_ROUTES: tuple[str, ...] = ("pdf-reportlab", "pdf-lo-xlsx", "pdf-lo-xlsx-fixed", "pdf-lo-docx")
#: Routes of files LibreOffice writes from one of our exports: route -> (our export, LibreOffice target).
#: ``xlsx-fixed`` is our XLSX after :func:`fix_row_heights`.
LO_ROUTES: dict[str, tuple[str, str]] = {
    "pdf-lo-xlsx": ("xlsx", "pdf"),
    "pdf-lo-xlsx-fixed": ("xlsx-fixed", "pdf"),
    "pdf-lo-docx": ("docx", "pdf"),
    "xls": ("xlsx", "xls"),
    "ods": ("xlsx", "ods"),
    "doc": ("docx", "doc"),
    "odt": ("docx", "odt"),
    "html": ("docx", "html"),
}

_LONG_NAMES = (
    "2022年第二批中央财政衔接推进乡村振兴补助资金（产业发展类）项目",
    "政务服务AI智能辅助审批系统及5G移动端应用升级改造（历年已批复）",
    "城乡居民基本医疗保险和基本公共卫生服务补助资金（市级配套部分）",
)
_LONG_DEVIATIONS = (
    "因疫情原因，服务对象数量少于预期，部分线下活动延期至次年举办；改进措施：加强与实施单位沟通，按节点推进，科学合理设定绩效指标值。",
    "受政府采购流程延后影响，设备到货晚于计划2个月，项目于12月完成初验；改进措施：提前启动采购程序，加强预算执行监控。",
)
_GOAL_ADDITIONS = (
    "通过统一门户、授权管理、用户管理、综窗系统与服务中台事项对接，提高工作人员工作效率，减轻窗口人员的工作压力。",
    "按照统一的规定和技术标准制定《长三角一体化自助办理设计规范》，建设长三角一体化自助办理运行系统，实现5G和AI应用落地。",
)


@dataclass
class Bundle:
    """One department's file: ``forms`` is the ground truth."""

    name: str
    forms: list[SelfEvaluation]


@dataclass
class Item:
    """One rendered file of a bundle."""

    route: str
    bundle: Bundle
    path: Path


_LONG_INDICATORS = (
    ("产出指标", "数量指标", "完成农村人居环境整治提升行政村数量（含“美丽庭院”示范村）", ">=", "个"),
    ("产出指标", "质量指标", "安全等级保护第三方测评（含渗透测试）通过率", "=", "%"),
    ("产出指标", "时效指标", "资金拨付及时率（自收到资金之日起15个工作日内）", ">=", "%"),
    ("效益指标", "社会效益指标", "群众办事“最多跑一次”事项覆盖率", ">=", "%"),
)
_QUALITATIVE_LONG = (
    ("达成年度指标", "部分达成年度指标并具有一定效果"),
    ("有效提升基层治理能力和公共服务水平", "基本达成"),
)


def _vary(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation:
    """Content beyond what the sample generator varies: wrapped names and texts, long qualitative
    values, Latin words and digits inside Chinese, blank cells, odd money, decimal weights, 101号's
    成本指标 as a level-1 group."""
    if rng.random() < 0.3:
        form.project_name = rng.choice(_LONG_NAMES)
    if rng.random() < 0.3:
        form.implementing_unit = form.department + "下属事业单位（信息中心）"
    if rng.random() < 0.4:
        form.goal_planned = form.goal_planned + "".join(rng.sample(_GOAL_ADDITIONS, rng.randint(1, 2)))
    if rng.random() < 0.1:
        form.goal_planned = form.goal_planned * 3  # a goal text long enough to fill much of a page
    if rng.random() < 0.3:
        form.goal_actual = "项目正在开展中，已完成初验；" + form.goal_actual
    for ind in form.indicators:
        if ind.deviation and rng.random() < 0.4:
            ind.deviation = rng.choice(_LONG_DEVIATIONS)
    l1, l2, name, op, unit = rng.choice(_LONG_INDICATORS)
    same_group = [i for i in form.indicators if (i.level1, i.level2) == (l1, l2)]
    if same_group and rng.random() < 0.6:
        ind = rng.choice(same_group)
        value = rng.choice((12, 95, 100, 3500))
        sichuan = bool(form.source) and form.source.get("template") == "sichuan-2023"
        nature = {">=": "≥", "<=": "≤"}.get(op, op) if sichuan else op
        ind.name, ind.target = name, f"{nature}{value}{unit}"
        ind.actual = str(value) if sichuan else f"{value}{unit}"
        ind.score, ind.deviation = ind.weight, ""
        if sichuan:
            ind.extra = {"nature": nature, "value": str(value), "unit": unit}
    if form.indicators and rng.random() < 0.4:
        ind = rng.choice(form.indicators)
        if ind.parsed_target.qualitative:
            target, actual = rng.choice(_QUALITATIVE_LONG)
            ind.target, ind.actual = target, actual
            if ind.extra.get("nature") == "定性":
                ind.extra = {**ind.extra, "value": target}
    if form.indicators and rng.random() < 0.2:
        rng.choice(form.indicators).actual = ""  # a blank 实际完成值
    if rng.random() < 0.2 and len(form.indicators) >= 2:
        a, b = rng.sample(range(len(form.indicators)), 2)
        for i in (a, b):  # decimal weights that still add up
            w = form.indicators[i].weight or 0
            delta = 0.5 if i == a else -0.5
            if w + delta > 0:
                form.indicators[i].weight = w + delta
                if form.indicators[i].score == w:
                    form.indicators[i].score = w + delta
    total = form.total_fund
    if total is not None and rng.random() < 0.3:
        total.initial_budget = None  # a blank 年初预算数
    if total is not None and rng.random() < 0.15:
        scale = rng.choice((1000.0, 0.001))
        for row in form.funds:
            for col in ("initial_budget", "annual_budget", "executed"):
                v = getattr(row, col)
                if v is not None:
                    setattr(row, col, round(v * scale, 2))
    if rng.random() < 0.3:
        carry = form.fund("carryover")
        if carry is not None:
            carry.initial_budget = None
    return form


def corpus_bundles(
    seed: int = 0,
    sizes: Sequence[int] = (1, 2, 3, 5, 8, 10, 12),
    families: Sequence[str] = FAMILIES,
    lengths: Sequence[int] = (3, 6, 9, 12, 16, 20, 28, 36),
) -> list[Bundle]:
    """Bundles of the given sizes; forms cycle through ``families``, each with a number of
    indicators drawn from ``lengths`` (the first form of a bundle of several gets the longest, so
    that every such bundle has a table running over a page break)."""
    rng = random.Random(f"corpus-{seed}")
    bundles = []
    k = 0
    for b, size in enumerate(sizes):
        forms = []
        for j in range(size):
            family = families[k % len(families)]
            n = max(lengths) if j == 0 and size > 1 else rng.choice(lengths)
            form = sample_form(seed * 10_000 + k, family, n_indicators=n)
            forms.append(_vary(form, rng))
            k += 1
        seen: dict[str, int] = {}
        for form in forms:  # a bundle names each project once
            count = seen.get(form.project_name, 0)
            seen[form.project_name] = count + 1
            if count:
                form.project_name = f"{form.project_name}（{count + 1}期）"
        bundles.append(Bundle(f"b{seed:03d}-{b:02d}-{size}forms", forms))
    return bundles


def fix_row_heights(
    xlsx: bytes,
    rng: random.Random,
    *,
    height: float | None = None,
    vertical: str | None = None,
    narrow: float | None = None,
    shrink: bool | None = None,
) -> bytes:
    """A workbook as units keep them: every table row one fixed height (often too low for its
    wrapped text), some columns narrower so that headers wrap or are cut, some headers and numbers
    shrunk to fit, and one vertical alignment for the whole sheet (centre or bottom).
    LibreOffice Calc then prints long cells overflowing their row, clipped to the cell.

    Not top alignment: Calc writes only the first two or three lines of a top-aligned cell that
    overflows its row into the PDF; the rest of the text is not in the file at all.

    ``rng`` picks the row height, alignment, column narrowing (a factor) and shrinking unless given,
    and which columns, rows and short cells are changed."""
    wb = load_workbook(io.BytesIO(xlsx))
    height = height or rng.choice((13.5, 14.25, 15.0, 18.0, 20.0, 24.0))
    vertical = vertical or rng.choice(("center", "center", "bottom"))
    narrow = narrow or rng.choice((1.0, 0.85, 0.7))
    shrink = rng.random() < 0.5 if shrink is None else shrink
    for ws in wb.worksheets:
        for dim in ws.column_dimensions.values():
            if dim.width and rng.random() < 0.6:
                dim.width = round(dim.width * narrow, 2)
        for r in range(3, ws.max_row + 1):
            if not ws.row_dimensions[r].height or rng.random() < 0.9:
                ws.row_dimensions[r].height = height
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                align = cell.alignment
                if cell.value is None or align is None:
                    continue
                wrap, fit = align.wrap_text, align.shrink_to_fit
                if shrink and (align.shrink_to_fit or (len(str(cell.value)) <= 10 and rng.random() < 0.5)):
                    wrap, fit = False, True
                cell.alignment = Alignment(
                    horizontal=align.horizontal, vertical=vertical, wrap_text=wrap, shrink_to_fit=fit
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def soffice_to_pdf(files: Iterable[Path], outdir: Path, *, timeout: float = 600, target: str = "pdf") -> None:
    """Convert office files to PDF (or another ``target`` format) with LibreOffice in one call (a private
    profile, so concurrent conversions do not clash).  Raises RuntimeError when soffice is missing or
    fails."""
    files = list(files)
    if not files:
        return
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) not found")
    with tempfile.TemporaryDirectory(prefix="perfeval-lo-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    missing = [f for f in files if not (outdir / f"{f.stem}.{target}").exists()]
    if missing:
        raise RuntimeError(f"soffice did not convert: {', '.join(f.name for f in missing)}")


def pdftotext(pdf: Path, out: Path, *, layout: bool = False) -> None:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext (poppler-utils) not found")
    opts = ["-layout"] if layout else []
    subprocess.run([exe, *opts, "-enc", "UTF-8", str(pdf), str(out)], check=True, capture_output=True)


def _export(forms: list[SelfEvaluation], fmt: str, path: Path, failures: list[str]) -> bool:
    try:
        path.write_bytes(export_forms(forms, fmt, final=True))
    except Exception as exc:  # an exporter bug must not hide the other files' figures
        failures.append(f"export {fmt} {path.name}: {type(exc).__name__}: {str(exc)[:200]}")
        return False
    return True


def render(
    bundles: Sequence[Bundle], outdir: Path, routes: Sequence[str] = ROUTES
) -> tuple[list[Item], list[str]]:
    """Write every bundle by every route into ``outdir``.  Returns the files with their truth, and
    the renderings that failed (exporter errors), each as a line."""
    outdir.mkdir(parents=True, exist_ok=True)
    items: list[Item] = []
    failures: list[str] = []
    to_convert: list[tuple[str, Bundle, Path]] = []
    for bundle in bundles:
        for k, shape in enumerate(SHAPES):
            if f"txt-copied-{shape}" in routes:
                txt = outdir / f"{bundle.name}-copied-{shape}.txt"
                txt.write_text(copied_text(bundle.forms, shape, seed=k), encoding="utf-8")
                items.append(Item(f"txt-copied-{shape}", bundle, txt))
        if "pdf-reportlab" in routes or "txt-pdftotext" in routes:
            pdf = outdir / f"{bundle.name}-reportlab.pdf"
            if _export(bundle.forms, "pdf", pdf, failures):
                if "pdf-reportlab" in routes:
                    items.append(Item("pdf-reportlab", bundle, pdf))
                if "txt-pdftotext" in routes:
                    txt = outdir / f"{bundle.name}-pdftotext.txt"
                    pdftotext(pdf, txt)
                    items.append(Item("txt-pdftotext", bundle, txt))
        if "pdf-lo-xlsx-fixed" in routes:
            path = outdir / f"{bundle.name}-xlsx-fixed.xlsx"
            if _export(bundle.forms, "xlsx", path, failures):
                rng = random.Random(f"fixed-{bundle.name}")
                path.write_bytes(fix_row_heights(path.read_bytes(), rng))
                to_convert.append(("pdf-lo-xlsx-fixed", bundle, path))
        for fmt in ("xlsx", "docx"):
            saved = [r for r in routes if LO_ROUTES.get(r, ("",))[0] == fmt]
            if fmt == "xlsx" and "txt-layout" in routes and "pdf-lo-xlsx" not in saved:
                saved.append("pdf-lo-xlsx")  # txt-layout is pdftotext -layout of this PDF
            if fmt in routes or saved:
                path = outdir / f"{bundle.name}-{fmt}.{fmt}"
                if not _export(bundle.forms, fmt, path, failures):
                    continue
                if fmt in routes:
                    items.append(Item(fmt, bundle, path))
                to_convert.extend((route, bundle, path) for route in saved)
    for target in dict.fromkeys(LO_ROUTES[route][1] for route, _, _ in to_convert):
        lo_dir = outdir / ("lo" if target == "pdf" else f"lo-{target}")
        lo_dir.mkdir(exist_ok=True)
        batch = [(route, bundle, p) for route, bundle, p in to_convert if LO_ROUTES[route][1] == target]
        soffice_to_pdf([p for _, _, p in batch], lo_dir, target=target)
        for route, bundle, p in batch:
            made = lo_dir / f"{p.stem}.{target}"
            if route in routes:
                items.append(Item(route, bundle, made))
            if route == "pdf-lo-xlsx" and "txt-layout" in routes:
                txt = outdir / f"{bundle.name}-layout.txt"
                pdftotext(made, txt, layout=True)
                items.append(Item("txt-layout", bundle, txt))
    return items, failures
