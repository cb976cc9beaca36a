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
import re
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from ..model import SelfEvaluation
from . import limits
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


def _stored_cells(ws: Any) -> Any:
    """The cells a worksheet holds, without creating the empty ones between them.

    ``ws.iter_rows()`` walks the whole rectangle from A1 to the last cell and creates every cell in
    it (17 billion for one cell at XFD1048576); openpyxl keeps what the file holds in ``ws._cells``,
    a private dict that has been there since openpyxl 2.  Falls back to ``iter_rows`` over a range
    that :data:`limits.TABLE_GRID` allows where a release drops it."""
    stored = getattr(ws, "_cells", None)
    if isinstance(stored, dict):
        return stored.values()
    limits.TABLE_GRID.check(ws.max_row * ws.max_column, where=f"工作表「{ws.title}」：")
    return (cell for row in ws.iter_rows() for cell in row)


Bounds = tuple[int, int, int, int]
"""A sheet's used area: ``(first row, last row, first column, last column)``, inclusive."""


def _sheet_table(ws: Any, page: int, label: str | None) -> tuple[Table, Bounds] | None:
    """The sheet's used area as one table, and its bounds."""
    texts: dict[tuple[int, int], str] = {}
    for cell in _stored_cells(ws):
        if cell.value is None:
            continue  # empty, or covered by a merged range (openpyxl's MergedCell)
        text = _xlsx_text(cell.value, cell.number_format).strip()
        if text:
            texts[(cell.row, cell.column)] = text
    merges = [(rng.min_row, rng.min_col, rng.max_row, rng.max_col) for rng in ws.merged_cells.ranges]
    where = f"工作表「{ws.title}」："
    table = sheet_table(texts, merges, page, source=label, where=where)
    if table is None:
        return None
    return table, used_area(texts, merges, source=label, where=where)


def used_area(
    texts: dict[tuple[int, int], str],
    merges: list[tuple[int, int, int, int]],
    *,
    source: str | None = None,
    where: str = "",
) -> Bounds:
    """Where the text of a sheet is, extended by its merged ranges unless that would pass the table
    budgets (a range over the whole sheet): then the ranges are clipped to the text.  Raises
    :class:`~.errors.ResourceLimitError` when the text itself spreads past them (a cell at XFD1048576)."""
    rows = [r for r, _ in texts]
    cols = [c for _, c in texts]
    area = (min(rows), max(rows), min(cols), max(cols))
    if merges:
        wide = (
            min(area[0], *(m[0] for m in merges)),
            max(area[1], *(m[2] for m in merges)),
            min(area[2], *(m[1] for m in merges)),
            max(area[3], *(m[3] for m in merges)),
        )
        if _fits(*wide):
            area = wide
    n_rows, n_cols = area[1] - area[0] + 1, area[3] - area[2] + 1
    limits.TABLE_ROWS.check(n_rows, source=source, where=where)
    limits.TABLE_COLS.check(n_cols, source=source, where=where)
    limits.TABLE_GRID.check(n_rows * n_cols, source=source, where=where)
    return area


def _fits(min_r: int, max_r: int, min_c: int, max_c: int) -> bool:
    rows, cols = max_r - min_r + 1, max_c - min_c + 1
    return (
        rows <= limits.TABLE_ROWS.maximum
        and cols <= limits.TABLE_COLS.maximum
        and rows * cols <= limits.TABLE_GRID.maximum
    )


def sheet_table(
    texts: dict[tuple[int, int], str],
    merges: list[tuple[int, int, int, int]],
    page: int,
    *,
    source: str | None = None,
    where: str = "",
) -> Table | None:
    """One worksheet's used range as a table: ``texts`` by (row, column), ``merges`` as inclusive
    ``(first row, first column, last row, last column)``; the text under a merged range is its
    top-left cell's.  Column numbers are the cells' x extents.  Shared by every spreadsheet reader.

    The used range is bounded by the table budgets (:func:`used_area`): merged ranges are clipped to
    it, and ``source``/``where`` name the file and the sheet in the message of a sheet over them."""
    if not texts:
        return None
    min_r, max_r, min_c, max_c = used_area(texts, merges, source=source, where=where)
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merges:  # clipped to the used area
        r0, c0, r1, c1 = max(r0, min_r), max(c0, min_c), min(r1, max_r), min(c1, max_c)
        if r0 > r1 or c0 > c1 or (r0 == r1 and c0 == c1):
            continue
        merged[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        covered.discard((r0, c0))
    texts = {rc: t for rc, t in texts.items() if rc not in covered}
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


_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_RANGE_TAG = re.compile(rb"<(?:\w+:)?(?:mergeCell|hyperlink)\b[^>]*?\bref=\"([^\"]*)\"")
_SHEET_PART = re.compile(r"^xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml$", re.IGNORECASE)


def _check_workbook(source: str | Path | BinaryIO, label: str | None) -> None:
    """The zip budgets, then the cells, rows and merged/hyperlink ranges of every sheet, counted in
    its XML before openpyxl builds objects for them (it creates one per covered cell of a range)."""
    limits.check_package(source, source=label)
    cells = limits.Tally(limits.SHEET_CELLS, source=label)
    rows = limits.Tally(limits.SHEET_ROWS, source=label)
    with zipfile.ZipFile(source) as zf:
        for info in zf.infolist():
            if not _SHEET_PART.match(info.filename):
                continue
            area = limits.Tally(limits.SHEET_RANGE_CELLS, source=label, where=f"「{info.filename}」：")
            with zf.open(info) as fh:
                rest = b""
                while chunk := fh.read(1 << 20):
                    data = rest + chunk
                    cut = data.rfind(b">") + 1
                    data, rest = data[:cut], data[cut:]
                    cells.add(len(_CELL_TAG.findall(data)))
                    rows.add(len(_ROW_TAG.findall(data)))
                    for ref in _RANGE_TAG.findall(data):
                        area.add(_range_area(ref))
    if hasattr(source, "seek"):
        source.seek(0)  # type: ignore[union-attr]


def _range_area(ref: bytes) -> int:
    from openpyxl.utils.cell import range_boundaries

    try:
        c0, r0, c1, r1 = range_boundaries(ref.decode("ascii", "replace").split()[0])
    except (ValueError, TypeError, IndexError):
        return 1
    if None in (c0, r0, c1, r1):  # a whole row or column ("A:A", "1:1")
        return limits.SHEET_RANGE_CELLS.maximum + 1
    return (c1 - c0 + 1) * (r1 - r0 + 1)


def read_xlsx_forms(source: str | Path | BinaryIO, *, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in a workbook (one or more per visible sheet)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    label = name or (Path(source).name if isinstance(source, str | Path) else None)
    _check_workbook(source, label)
    try:
        wb = load_workbook(source, data_only=True)
    except (InvalidFileException, *_PACKAGE_ERRORS) as exc:
        raise CorruptFileError(
            "XLSX 文件已损坏或不完整，无法读取",
            english=f"corrupt or truncated XLSX: {type(exc).__name__}",
            source=label,
        ) from None
    pages: list[tuple[int, list[Block]]] = []
    bounds: dict[int, Bounds] = {}
    try:
        for i, ws in enumerate(wb.worksheets, start=1):
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            found = _sheet_table(ws, i, label)
            if found is not None:
                pages.append((i, [found[0]]))
                bounds[i] = found[1]
    finally:
        wb.close()
    forms = assemble_forms(pages, source_name=label, kind="xlsx")
    if not forms:
        raise not_a_form(label)
    blanks = _uncalculated_formulas(source, bounds)
    if blanks:
        note = (
            f"有{blanks}个公式单元格没有计算结果（文件未经 Excel/WPS 保存），已留空；请打开并保存后重新导入"
        )
        for form in forms:
            form.parse_warnings.append(note)
    return forms


def _uncalculated_formulas(
    source: str | Path | BinaryIO, bounds: dict[int, tuple[int, int, int, int]]
) -> int:
    """How many formula cells in the used areas of the read sheets have no cached value (openpyxl
    writes formulas without results; only a spreadsheet program computes them)."""
    from openpyxl import load_workbook

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
            if i not in bounds:
                continue
            min_r, max_r, min_c, max_c = bounds[i]
            area = {"min_row": min_r, "max_row": max_r, "min_col": min_c, "max_col": max_c}
            for row_v, row_f in zip(
                wv.iter_rows(values_only=True, **area), wf.iter_rows(values_only=True, **area), strict=False
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


def _int_attr(el: Any, default: int) -> int:
    try:
        return int(el.get(f"{_W}val", default) or default)
    except (TypeError, ValueError):
        return default


def _docx_table(tbl: Any, page: int, budget: limits.Tally | None = None) -> Table:
    """One ``w:tbl``; spans (``gridSpan``, ``gridBefore``) are clipped to the table's grid, and the
    cells count against the document's :data:`limits.DOC_CELLS`."""
    where = "文档中的表格："
    budget = budget or limits.Tally(limits.DOC_CELLS)
    grid = tbl.find(f"{_W}tblGrid")
    width = len(grid.findall(f"{_W}gridCol")) if grid is not None else 0
    width = width or limits.TABLE_COLS.maximum
    cells: list[Cell] = []
    open_cells: dict[int, Cell] = {}  # grid column -> cell a vMerge may continue
    n_cols = 0
    rows = [tr for tr in tbl if tr.tag == f"{_W}tr"]
    limits.TABLE_ROWS.check(len(rows), source=budget.source, where=where)
    for r, tr in enumerate(rows):
        col = 0
        trpr = tr.find(f"{_W}trPr")
        if trpr is not None:
            gb = trpr.find(f"{_W}gridBefore")
            if gb is not None:
                col = min(max(_int_attr(gb, 0), 0), width)
        for tc in tr:
            if tc.tag != f"{_W}tc":
                continue
            tcpr = tc.find(f"{_W}tcPr")
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = min(max(1, _int_attr(gs, 1)), max(1, width - col))
                vm = tcpr.find(f"{_W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{_W}val") or "continue"
            above = open_cells.get(col)
            if vmerge == "continue" and above is not None and above.col == col and above.colspan == span:
                above.rowspan = r - above.row + 1
            else:
                budget.add()
                cell = Cell(r, col, 1, span, _xml_text(tc).strip(), float(col), float(col + span))
                cells.append(cell)
                for k in range(col, col + span):
                    open_cells[k] = cell
            col += span
        n_cols = max(n_cols, col)
    limits.TABLE_COLS.check(n_cols, source=budget.source, where=where)
    limits.TABLE_GRID.check(n_cols * len(rows), source=budget.source, where=where)
    return Table(cells, len(rows), n_cols, page, 0.0)


def read_docx_forms(source: str | Path | BinaryIO, *, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in a document: its paragraphs and tables read in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    label = name or (Path(source).name if isinstance(source, str | Path) else None)
    limits.check_package(source, source=label)
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
    budget = limits.Tally(limits.DOC_CELLS, source=label)
    for el in body:
        if el.tag == f"{_W}p":
            text = _xml_text(el).strip()
            if text:
                blocks.extend(TextLine(line, 1) for line in text.split("\n") if line.strip())
        elif el.tag == f"{_W}tbl":
            blocks.append(_docx_table(el, 1, budget))
    forms = assemble_forms([(1, blocks)], source_name=label, kind="docx")
    if not forms:
        raise not_a_form(label)
    return forms
