"""Legacy Excel ``.xls`` (BIFF, also WPS ``.et``) -> the same cells as an XLSX sheet -> forms.

Read with xlrd (``formatting_info=True``: merged ranges and each number's format), so a workbook saved
as ``.xls`` gives exactly the cells of the same workbook saved as ``.xlsx`` (:func:`.office.sheet_table`):
each visible sheet is one page, merged ranges become row and column spans, typed numbers are printed
back the way their format shows them (``1`` with ``0.00%`` -> ``100.00%``).

python-calamine (Rust) was measured too: it reads the same merged ranges about 30× faster, but it
gives no number formats, so a percentage ``1.0`` could not be told from the number ``1`` — see
docs/import.md.  Macros are never run.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..model import SelfEvaluation
from .assemble import assemble_forms
from .errors import CorruptFileError, EncryptedFileError, FileTooLargeError, not_a_form
from .grid import Block
from .office import number_text, sheet_table

#: Bounds for a hostile workbook: a file larger than this is refused (bytes); rows and columns past
#: these limits are not read (a form has some 60 rows and 9 to 12 columns).
MAX_XLS_SIZE = 64 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLS = 64

ENCRYPTED_MESSAGE = "文件设有打开密码（已加密），无法读取；请在 Excel/WPS 中取消密码后另存为 XLSX 再导入"


def _cell_text(book: Any, cell: Any) -> str:
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if kind == xlrd.XL_CELL_TEXT:
        return str(cell.value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "是" if cell.value else "否"
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode).strftime("%Y-%m-%d")
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return number_text(cell.value, None)
    fmt = None
    xf = (
        book.xf_list[cell.xf_index]
        if cell.xf_index is not None and cell.xf_index < len(book.xf_list)
        else None
    )
    if xf is not None and xf.format_key in book.format_map:
        fmt = book.format_map[xf.format_key].format_str
    return number_text(cell.value, fmt)


def _sheet_blocks(book: Any, sheet: Any, page: int) -> list[Block]:
    texts: dict[tuple[int, int], str] = {}
    for r in range(min(sheet.nrows, MAX_ROWS)):
        for c, cell in enumerate(sheet.row_slice(r, 0, min(sheet.row_len(r), MAX_COLS))):
            text = _cell_text(book, cell).strip()
            if text:
                texts[(r + 1, c + 1)] = text
    merges = [
        (rlo + 1, clo + 1, rhi, chi)
        for rlo, rhi, clo, chi in sheet.merged_cells
        if rlo < MAX_ROWS and clo < MAX_COLS and rhi > rlo and chi > clo
    ]
    merges = [(r0, c0, min(r1, MAX_ROWS), min(c1, MAX_COLS)) for r0, c0, r1, c1 in merges]
    table = sheet_table(texts, merges, page)
    return [table] if table is not None else []


def read_xls_forms(source: Path | bytes, *, name: str | None = None) -> list[SelfEvaluation]:
    """Every form in a BIFF workbook (one or more per visible sheet)."""
    import xlrd

    label = name or (source.name if isinstance(source, Path) else None)
    size = source.stat().st_size if isinstance(source, Path) else len(source)
    if size > MAX_XLS_SIZE:
        raise FileTooLargeError(
            f"XLS 文件过大（{size / 1024 / 1024:.0f} MB），超过 {MAX_XLS_SIZE // 1024 // 1024} MB 上限",
            english="XLS file too large",
            source=label,
        )
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise EncryptedFileError(ENCRYPTED_MESSAGE, english="encrypted XLS", source=label) from None
        raise CorruptFileError(
            "XLS 文件已损坏或不是 Excel 工作簿，无法读取", english=f"unreadable XLS: {exc}", source=label
        ) from None
    except Exception as exc:  # xlrd reports damaged BIFF records with assorted exceptions
        raise CorruptFileError(
            "XLS 文件已损坏或不完整，无法读取",
            english=f"corrupt XLS: {type(exc).__name__}",
            source=label,
        ) from None
    pages: list[tuple[int, list[Block]]] = []
    try:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            if sheet.visibility != 0:
                continue
            blocks = _sheet_blocks(book, sheet, i + 1)
            if blocks:
                pages.append((i + 1, blocks))
            book.unload_sheet(i)
    except Exception as exc:  # a damaged sheet record
        raise CorruptFileError(
            "XLS 文件已损坏或不完整，无法读取",
            english=f"corrupt XLS sheet: {type(exc).__name__}",
            source=label,
        ) from None
    finally:
        book.release_resources()
    forms = assemble_forms(pages, source_name=label, kind="xls")
    if not forms:
        raise not_a_form(label)
    return forms
