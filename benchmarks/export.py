"""Export speed: each format for a 5-form bundle, against a plain baseline in the same run.

    .venv/bin/python benchmarks/export.py [--repeat N] [--bundle seed|samples] [--long 25000,50000,100000]

The baseline of each office/PDF format is the same library writing the same cell texts as one plain
table (no merged cells, no styling, no pagination), so the ratio is what the printed layout costs;
the JSON baseline is ``json.dumps`` of ``model_dump``.  Prints a table (milliseconds, median of N).

``--long`` measures the PDF export of one form whose 年度总体目标 has each given number of characters,
against reportlab setting the same text as plain paragraphs across pages: a ratio that stays flat as
the text grows means the export is linear like the baseline.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from perfeval.export import export_forms  # noqa: E402
from perfeval.export.fonts import cjk_font  # noqa: E402
from perfeval.export.layout import form_layout  # noqa: E402
from perfeval.interchange import load_path  # noqa: E402
from perfeval.model import SelfEvaluation  # noqa: E402
from perfeval.samples import sample_bundle  # noqa: E402

SEED_DIR = ROOT / "tests" / "data" / "seed-2022"


def _rows(forms: list[SelfEvaluation]) -> list[list[str]]:
    """The cell texts of every form, one list per printed cell row (for the baselines)."""
    rows: list[list[str]] = []
    for form in forms:
        layout = form_layout(form)
        for grid in layout.grids:
            grid_rows = [[""] * grid.ncols for _ in range(grid.nrows)]
            for cell in grid.cells:
                grid_rows[cell.row][cell.col] = cell.text
            rows.extend(grid_rows)
    return rows


def baseline_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def baseline_docx(rows: list[list[str]]) -> bytes:
    from docx import Document

    doc = Document()
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        for c, text in enumerate(row):
            if text:
                cells[c].text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def baseline_pdf(rows: list[list[str]]) -> bytes:
    """The same texts as plain paragraphs, one per printed row (no table, no pagination work)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    font, _ = cjk_font()
    style = ParagraphStyle("b", fontName=font, fontSize=9, wordWrap="CJK")
    story = [Paragraph(" | ".join(t for t in row if t), style) for row in rows]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def baseline_json(forms: list[SelfEvaluation]) -> bytes:
    return json.dumps([f.model_dump(mode="json") for f in forms], ensure_ascii=False).encode("utf-8")


def long_form(form: SelfEvaluation, chars: int) -> SelfEvaluation:
    """``form`` with a 年度总体目标 of ``chars`` characters."""
    unit = "本项目按计划完成了年度各项工作任务，服务质量稳步提升，群众满意度达到预期。"
    return form.model_copy(update={"goal_planned": (unit * (chars // len(unit) + 1))[:chars]})


def baseline_long_pdf(text: str) -> bytes:
    """reportlab's own pagination of ``text`` as paragraphs of 500 characters (one paragraph of the
    whole text would itself take time quadratic in its length)."""
    return baseline_pdf([[text[i : i + 500]] for i in range(0, len(text), 500)])


def _time(fn: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    fn()  # warm-up (imports, font registration)
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bundle", choices=("seed", "samples"), default="seed")
    parser.add_argument(
        "--long",
        default="",
        metavar="N,N,...",
        help="PDF export of a goal of N characters (e.g. 25000,100000)",
    )
    args = parser.parse_args(argv)
    if args.bundle == "seed" and SEED_DIR.is_dir():
        forms = [f for i in range(1, 6) for f in load_path(SEED_DIR / f"seed-{i}.json")]
    else:
        forms = sample_bundle(5, seed=1)
    rows = _rows(forms)
    n_ind = sum(len(f.indicators) for f in forms)
    print(
        f"bundle: {len(forms)} forms, {n_ind} indicators; median of {args.repeat} runs; font: {cjk_font()[0]}"
    )
    print(f"{'format':<6} {'perfeval ms':>12} {'baseline ms':>12} {'ratio':>6} {'size KB':>8}")
    baselines: dict[str, Callable[[], bytes]] = {
        "xlsx": lambda: baseline_xlsx(rows),
        "docx": lambda: baseline_docx(rows),
        "pdf": lambda: baseline_pdf(rows),
        "json": lambda: baseline_json(forms),
    }
    for fmt, baseline in baselines.items():
        ours, size = _time(lambda fmt=fmt: export_forms(forms, fmt), args.repeat)
        base, _ = _time(baseline, args.repeat)
        print(f"{fmt:<6} {ours:>12.1f} {base:>12.1f} {ours / base:>6.2f} {size / 1024:>8.1f}")
    if args.long:
        print(f"\n{'goal chars':>10} {'perfeval ms':>12} {'baseline ms':>12} {'ratio':>6} {'pages':>6}")
        for chars in (int(n) for n in args.long.split(",")):
            form = long_form(forms[0], chars)
            ours, size = _time(lambda form=form: export_forms([form], "pdf"), 1)
            base, _ = _time(lambda form=form: baseline_long_pdf(form.goal_planned), 1)
            pages = len(PdfReader(io.BytesIO(export_forms([form], "pdf"))).pages)
            print(f"{chars:>10} {ours:>12.1f} {base:>12.1f} {ours / base:>6.2f} {pages:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
