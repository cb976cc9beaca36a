"""XLSX (openpyxl) and DOCX (python-docx) -> the same cells as a PDF page -> forms (:mod:`.assemble`).

- XLSX: each visible worksheet is one page; its used range is one table, merged ranges become row and
  column spans.  Typed numbers are printed back as text the way their number format shows them
  (``1.0`` with ``0.00%`` -> ``100%``), so the assembler reads every source the same way.
- DOCX: the body's paragraphs are text lines and its tables are tables, in document order; merged
  cells come from ``w:gridSpan`` (columns) and ``w:vMerge`` (rows).

Cells carry their column numbers as x extents, so columns are matched exactly as on a PDF page.
A workbook or document may hold one form or a bundle.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from ..model import SelfEvaluation
from .assemble import assemble_forms
from .errors import CorruptFileError, not_a_form
from .grid import Block, Cell, Table, TextLine

#: What opening a damaged or truncated XLSX/DOCX package raises (a zip archive of XML parts).
_PACKAGE_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    TypeError,
)

# ---------------------------------------------------------------------------------------------
# XLSX


def number_text(value: float | int, fmt: str | None) -> str:
    """A typed number as its format prints it: percentages scaled, integers without ``.0``."""
    fmt = fmt or "General"
    if "%" in fmt:
        decimals = 0
        if "." in fmt:
            decimals = len(fmt.split(".", 1)[1].split("%", 1)[0].replace("#", "0").rstrip(";"))
        return f"{value * 100:.{decimals}f}%"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}" if abs(value) < 1e15 else repr(value)


def _xlsx_text(value: Any, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value, fmt)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _sheet_table(ws: Any, page: int) -> Table | None:
    texts: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = _xlsx_text(cell.value, cell.number_format).strip()
            if text:
                texts[(cell.row, cell.column)] = text
    merges = [(rng.min_row, rng.min_col, rng.max_row, rng.max_col) for rng in ws.merged_cells.ranges]
    return sheet_table(texts, merges, page)


def sheet_table(
    texts: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]], page: int
) -> Table | None:
    """One worksheet's used range as a table: ``texts`` by (row, column), ``merges`` as inclusive
    ``(first row, first column, last row, last column)``; the text under a merged range is its
    top-left cell's.  Column numbers are the cells' x extents.  Shared by every spreadsheet reader."""
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merges:
        merged[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    texts = {rc: t for rc, t in texts.items() if rc not in covered}
    if not texts:
        return None
    min_r = min(r for r, _ in [*texts, *merged])
    max_r = max(r + merged.get((r, c), (1, 1))[0] - 1 for r, c in [*texts, *merged])
    min_c = min(c for _, c in [*texts, *merged])
    max_c = max(c + merged.get((r, c), (1, 1))[1] - 1 for r, c in [*texts, *merged])
    cells: list[Cell] = []
    for r in range(min_r, max_r + 1):
        for c in range(min_c, max_c + 1):
            if (r, c) in covered:
                continue
            rs, cs = merged.get((r, c), (1, 1))
            text = texts.get((r, c), "")
            if not text and (r, c) not in merged:
                cells.append(Cell(r - min_r, c - min_c, 1, 1, "", float(c), float(c + 1)))
                continue
            cells.append(Cell(r - min_r, c - min_c, rs, cs, text, float(c), float(c + cs)))
    return Table(cells, max_r - min_r + 1, max_c - min_c + 1, page, 0.0)


def read_xlsx_forms(source: str | Path | BinaryIO, *, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in a workbook (one or more per visible sheet)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    label = name or (Path(source).name if isinstance(source, str | Path) else None)
    try:
        wb = load_workbook(source, data_only=True)
    except (InvalidFileException, *_PACKAGE_ERRORS) as exc:
        raise CorruptFileError(
            "XLSX 文件已损坏或不完整，无法读取",
            english=f"corrupt or truncated XLSX: {type(exc).__name__}",
            source=label,
        ) from None
    pages: list[tuple[int, list[Block]]] = []
    try:
        for i, ws in enumerate(wb.worksheets, start=1):
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            table = _sheet_table(ws, i)
            if table is not None:
                pages.append((i, [table]))
    finally:
        wb.close()
    forms = assemble_forms(pages, source_name=label, kind="xlsx")
    if not forms:
        raise not_a_form(label)
    blanks = _uncalculated_formulas(source, pages)
    if blanks:
        note = (
            f"有{blanks}个公式单元格没有计算结果（文件未经 Excel/WPS 保存），已留空；请打开并保存后重新导入"
        )
        for form in forms:
            form.parse_warnings.append(note)
    return forms


def _uncalculated_formulas(source: str | Path | BinaryIO, pages: list[tuple[int, list[Block]]]) -> int:
    """How many formula cells of the read sheets have no cached value (openpyxl writes formulas
    without results; only a spreadsheet program computes them)."""
    from openpyxl import load_workbook

    read = {n for n, _ in pages}
    if hasattr(source, "seek"):
        source.seek(0)  # type: ignore[union-attr]
    try:
        values = load_workbook(source, data_only=True, read_only=True)
        if hasattr(source, "seek"):
            source.seek(0)  # type: ignore[union-attr]
        formulas = load_workbook(source, data_only=False, read_only=True)
    except Exception:  # already read once: a second failure only skips this check
        return 0
    count = 0
    try:
        for i, (wv, wf) in enumerate(zip(values.worksheets, formulas.worksheets, strict=False), start=1):
            if i not in read:
                continue
            for row_v, row_f in zip(
                wv.iter_rows(values_only=True), wf.iter_rows(values_only=True), strict=False
            ):
                for v, f in zip(row_v, row_f, strict=False):
                    if v is None and isinstance(f, str) and f.startswith("="):
                        count += 1
    finally:
        values.close()
        formulas.close()
    return count


# ---------------------------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml_text(el: Any) -> str:
    """Text of a paragraph-bearing element: paragraphs joined by ``\\n``, ``w:br`` as line breaks."""
    lines = []
    for p in el.iter(f"{_W}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif node.tag == f"{_W}tab":
                parts.append(" ")
        lines.append("".join(parts))
    return "\n".join(lines)


def _docx_table(tbl: Any, page: int) -> Table:
    cells: list[Cell] = []
    open_cells: dict[int, Cell] = {}  # grid column -> cell a vMerge may continue
    n_cols = 0
    rows = [tr for tr in tbl if tr.tag == f"{_W}tr"]
    for r, tr in enumerate(rows):
        col = 0
        trpr = tr.find(f"{_W}trPr")
        if trpr is not None:
            gb = trpr.find(f"{_W}gridBefore")
            if gb is not None:
                col = int(gb.get(f"{_W}val", "0") or 0)
        for tc in tr:
            if tc.tag != f"{_W}tc":
                continue
            tcpr = tc.find(f"{_W}tcPr")
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = max(1, int(gs.get(f"{_W}val", "1") or 1))
                vm = tcpr.find(f"{_W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{_W}val") or "continue"
            above = open_cells.get(col)
            if vmerge == "continue" and above is not None and above.col == col and above.colspan == span:
                above.rowspan = r - above.row + 1
            else:
                cell = Cell(r, col, 1, span, _xml_text(tc).strip(), float(col), float(col + span))
                cells.append(cell)
                for k in range(col, col + span):
                    open_cells[k] = cell
            col += span
        n_cols = max(n_cols, col)
    return Table(cells, len(rows), n_cols, page, 0.0)


def read_docx_forms(source: str | Path | BinaryIO, *, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in a document: its paragraphs and tables read in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    label = name or (Path(source).name if isinstance(source, str | Path) else None)
    try:
        document = docx.Document(source)
        body = document.element.body
    except (PackageNotFoundError, *_PACKAGE_ERRORS) as exc:
        raise CorruptFileError(
            "DOCX 文件已损坏或不完整，无法读取",
            english=f"corrupt or truncated DOCX: {type(exc).__name__}",
            source=label,
        ) from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends: a damaged part
        raise CorruptFileError(
            "DOCX 文件已损坏或不完整，无法读取", english=f"corrupt DOCX: {type(exc).__name__}", source=label
        ) from None
    blocks: list[Block] = []
    for el in body:
        if el.tag == f"{_W}p":
            text = _xml_text(el).strip()
            if text:
                blocks.extend(TextLine(line, 1) for line in text.split("\n") if line.strip())
        elif el.tag == f"{_W}tbl":
            blocks.append(_docx_table(el, 1))
    forms = assemble_forms([(1, blocks)], source_name=label, kind="docx")
    if not forms:
        raise not_a_form(label)
    return forms
