"""Forms written out as the text people copy from wherever they found the table.

The table is our own XLSX export (its cells, merged ranges and printed number formats), and each
*shape* writes it the way one kind of copy does:

- ``tabs``: Excel / WPS copy: one row per line, cells split by tabs, merged cells left empty, a cell
  with line breaks quoted;
- ``cell-lines``: a PDF viewer that copies one cell per line, empty cells leave nothing;
- ``spaces``: space-aligned columns (``pdftotext -layout``, a console tool's output);
- ``markdown``: a markdown table (``| a | b |`` with a ``|---|`` rule);
- ``web``: a web page: each cell its own paragraph, empty and merged cells vanish, NBSP and
  zero-width characters in the text, CRLF line ends;
- ``wechat``: a WeChat article: blank lines between paragraphs, a row's cells split by full-width
  spaces, bullets in front of the head lines;
- ``labels``: the head as ``项目名称：xxx  主管部门：yyy  实施单位：zzz`` lines, the tables by ``|``;
- ``broken``: rows broken over two or three lines at random cells (tabs within a line);
- ``browser``: a browser's copy of an HTML table: one row per line, cells split by tabs, an empty cell
  kept as an empty field but a cell covered by a merged one (rowspan/colspan) left out.

Used by tests/ingest/test_ingest_text_copied.py and benchmarks/accuracy.py (``txt-copied-*`` routes).
"""

from __future__ import annotations

import io
import random
import unicodedata
from collections.abc import Callable, Sequence

from openpyxl import load_workbook

from perfeval.export import export_forms
from perfeval.ingest.office import _xlsx_text
from perfeval.model import SelfEvaluation

Grid = list[list[str]]
"""Rows of printed cell texts; a cell covered by a merged range is ``""`` (see :data:`COVERED`)."""

#: The cells of each grid covered by a merged range: grid id -> {(row, column)}.
COVERED: dict[int, set[tuple[int, int]]] = {}


def grids(forms: Sequence[SelfEvaluation]) -> list[Grid]:
    """One grid per worksheet of the XLSX export of ``forms``."""
    wb = load_workbook(io.BytesIO(export_forms(list(forms), "xlsx", final=True)))
    out = []
    for ws in wb.worksheets:
        covered = {
            (r, c)
            for rng in ws.merged_cells.ranges
            for r in range(rng.min_row, rng.max_row + 1)
            for c in range(rng.min_col, rng.max_col + 1)
            if (r, c) != (rng.min_row, rng.min_col)
        }
        rows = []
        for row in ws.iter_rows():
            rows.append(
                [
                    "" if (c.row, c.column) in covered else _xlsx_text(c.value, c.number_format).strip()
                    for c in row
                ]
            )
        while rows and not any(rows[-1]):
            rows.pop()
        COVERED[id(rows)] = {(r - 1, c - 1) for r, c in covered}
        out.append(rows)
    return out


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if "\n" in cell or '"' in cell else cell


def tabs(grid: Grid, rng: random.Random) -> str:
    return "\n".join("\t".join(_quote(c) for c in row) for row in grid if any(row)) + "\n"


def cell_lines(grid: Grid, rng: random.Random) -> str:
    return "\n".join(line for row in grid for c in row if c for line in c.split("\n")) + "\n"


def spaces(grid: Grid, rng: random.Random) -> str:
    """Columns padded with spaces to a common width; a wrapped cell's lines stay in its column."""
    n = max(len(r) for r in grid)
    widths = [0] * n
    for row in grid:
        for k, c in enumerate(row):
            if c and "\n" not in c:
                widths[k] = min(max(widths[k], _width(c)), 40)
    out = []
    for row in grid:
        if not any(row):
            continue
        parts = [c.split("\n") for c in row]
        for depth in range(max(len(p) for p in parts)):
            line = ""
            for k, p in enumerate(parts):
                text = p[depth] if depth < len(p) else ""
                line += text + " " * (max(widths[k], _width(text)) - _width(text) + 2)
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def markdown(grid: Grid, rng: random.Random) -> str:
    rows = [r for r in grid if any(r)]
    out = []
    for k, row in enumerate(rows):
        out.append("| " + " | ".join(c.replace("\n", "<br>") for c in row) + " |")
        if k == 0:
            out.append("|" + "---|" * len(row))
    return "\n".join(out).replace("<br>", "") + "\n"


def web(grid: Grid, rng: random.Random) -> str:
    paras = []
    for row in grid:
        for c in row:
            for line in c.split("\n"):
                if line:
                    if rng.random() < 0.2:
                        line = line.replace("，", "，\u200b") + "\u00a0"
                    paras.append(line)
    return "\r\n".join(paras) + "\r\n"


def _filled(grid: Grid) -> list[list[str]]:
    """Each non-empty row's filled cells, a cell's line breaks dropped (as when pasted into one line)."""
    rows = ([c.replace("\n", "") for c in row if c] for row in grid)
    return [r for r in rows if r]


def wechat(grid: Grid, rng: random.Random) -> str:
    out = []
    for cells in _filled(grid):
        bullet = "• " if cells[0] in ("项目名称", "主管部门") else ""
        out.append(bullet + "\u3000".join(cells))
    return "\n\n".join(out) + "\n"


def labels(grid: Grid, rng: random.Random) -> str:
    out = []
    for cells in _filled(grid):
        if cells[0] in ("项目名称", "主管部门"):
            pairs = [
                f"{cells[k]}：{cells[k + 1] if k + 1 < len(cells) else ''}" for k in range(0, len(cells), 2)
            ]
            out.append("  ".join(pairs))
        else:
            out.append(" | ".join(cells))
    return "\n".join(out) + "\n"


def broken(grid: Grid, rng: random.Random) -> str:
    out = []
    for cells in _filled(grid):
        if len(cells) >= 4 and rng.random() < 0.6:
            cut = sorted(rng.sample(range(1, len(cells)), min(2, len(cells) - 1)))
            for a, b in zip([0, *cut], [*cut, len(cells)], strict=True):
                out.append("\t".join(cells[a:b]))
        else:
            out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def browser(grid: Grid, rng: random.Random) -> str:
    covered = COVERED.get(id(grid), set())
    out = []
    for r, row in enumerate(grid):
        cells = [c.replace("\n", "") for k, c in enumerate(row) if (r, k) not in covered]
        if any(cells):
            out.append("\t".join(cells).rstrip("\t"))
    return "\n".join(out) + "\n"


SHAPES: dict[str, Callable[[Grid, random.Random], str]] = {
    "tabs": tabs,
    "cell-lines": cell_lines,
    "spaces": spaces,
    "markdown": markdown,
    "web": web,
    "wechat": wechat,
    "labels": labels,
    "broken": broken,
    "browser": browser,
}


def copied_text(forms: Sequence[SelfEvaluation], shape: str, seed: int = 0) -> str:
    """The forms as one copied text in ``shape`` (the sheets one after another)."""
    rng = random.Random(f"{shape}-{seed}")
    return "\n".join(SHAPES[shape](g, rng) for g in grids(forms))
