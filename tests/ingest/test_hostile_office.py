"""Hostile XLSX and DOCX files, each parsed beside the seed PDF in one ``perfeval parse`` call under a
3 GiB address-space cap and a 60 s limit: every one ends in time with one clear line, and the seed's
five forms are still read."""

from __future__ import annotations

import dataclasses

import hostile as h
import pytest

from perfeval.errors import PerfevalError
from perfeval.export import export_forms
from perfeval.ingest import limits, read_bytes
from perfeval.ingest.errors import ResourceLimitError, UnsafeXmlError

_X = h.small_xlsx
_D = h.small_docx

#: file name -> (builder, a fragment of the expected line)
CASES: h.Cases = {
    "far-cell.xlsx": (h.xlsx_far_cell, "表格行数超过上限"),
    "whole-sheet-merge.xlsx": (h.xlsx_whole_sheet_merge, "合并单元格或超链接覆盖的单元格数超过上限"),
    "whole-sheet-link.xlsx": (h.xlsx_whole_sheet_hyperlink, "合并单元格或超链接覆盖的单元格数超过上限"),
    "million-rows.xlsx": (h.xlsx_million_rows, "工作簿的行数超过上限"),
    "bomb.xlsx": (lambda: h.zip_bomb(_X(), h.SHEET), "压缩比超过上限"),
    "entries.xlsx": (lambda: h.zip_many_entries(_X()), "压缩包内的文件数超过上限"),
    "xxe.xlsx": (lambda: h.with_dtd(_X(), h.SHEET, h.XXE), "DOCTYPE"),
    "laughs.xlsx": (lambda: h.with_dtd(_X(), h.SHEET, h.LAUGHS, b"&lol9;"), "DOCTYPE"),
    "truncated.xlsx": (lambda: h.truncated(_X()), "损坏或不完整"),
    "junk.xlsx": (lambda: b"PK\x03\x04" + bytes(range(256)) * 50, "损坏或不完整"),
    "not-xml.xlsx": (lambda: h._rezip(_X(), {h.SHEET: b"\x00\xff<worksheet"}), "损坏"),
    "empty.xlsx": (lambda: b"", "文件是空的"),
    "gridspan.docx": (lambda: _D(span=2_000_000_000), "没有找到项目支出绩效自评表"),
    "gridbefore.docx": (lambda: _D(before=2_000_000_000, grid=False), "表格列数超过上限"),
    "bomb.docx": (lambda: h.zip_bomb(_D(), "word/document.xml"), "压缩比超过上限"),
    "xxe.docx": (lambda: h.with_dtd(_D(), "word/document.xml", h.XXE, b"&xxe;"), "DOCTYPE"),
    "laughs.docx": (lambda: h.with_dtd(_D(), "word/document.xml", h.LAUGHS, b"&lol9;"), "DOCTYPE"),
    "deep.docx": (h.docx_deep, "损坏"),
    "truncated.docx": (lambda: h.truncated(_D()), "损坏或不完整"),
    "bomb.ods": (lambda: h.zip_bomb(h.small_ods(), "content.xml", copies=3), "压缩比超过上限"),
}


# the seed's five forms are still read, and one clear line per case
run, test_the_seed_is_still_read, test_one_clear_line = h.corpus_tests(CASES, "hostile-office")


def test_limit_errors_name_their_budget() -> None:
    with pytest.raises(ResourceLimitError) as exc:
        read_bytes("bomb.docx", h.zip_bomb(_D(), "word/document.xml", mib=8, copies=0))
    assert exc.value.limit == "zip.ratio"
    with pytest.raises(UnsafeXmlError):
        read_bytes("xxe.xlsx", h.with_dtd(_X(), h.SHEET, h.XXE))


def test_a_long_merged_range_is_clipped_to_the_used_area(
    seed_forms: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real form whose sheet also has a merged range past the table budget (row 3,000 of at most
    1,000 here): the range is clipped to where the text is and the form reads as without it."""
    monkeypatch.setattr(limits, "TABLE_ROWS", dataclasses.replace(limits.TABLE_ROWS, maximum=1_000))
    data = export_forms(seed_forms[3:4], "xlsx", final=True)
    entries = h._entries(data)
    sheet = next(n for n in entries if n.startswith("xl/worksheets/sheet"))
    xml = entries[sheet]
    merged = b'<mergeCell ref="Y1:Z3000"/>'
    if b"<mergeCells" in xml:
        xml = xml.replace(b"</mergeCells>", merged + b"</mergeCells>", 1)
    else:
        xml = xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merged + b"</mergeCells>", 1)
    (plain,) = read_bytes("plain.xlsx", data)
    (clipped,) = read_bytes("merged.xlsx", h._rezip(data, {sheet: xml}))
    assert clipped.model_dump(exclude={"source"}) == plain.model_dump(exclude={"source"})


def test_gridspan_is_clipped_to_the_table_grid(seed_forms: list) -> None:
    """A real form whose first table cell claims 2 billion columns still reads (clipped to the grid)."""
    data = export_forms(seed_forms[3:4], "docx", final=True)
    xml = h._entries(data)["word/document.xml"]
    xml = xml.replace(b"<w:gridSpan w:val=", b'<w:gridSpan w:val="2000000000" w:x=', 1)
    try:
        forms = read_bytes("span.docx", h._rezip(data, {"word/document.xml": xml}))
    except PerfevalError as exc:  # a clipped span may no longer line up with a form: one line then
        assert "\n" not in exc.message
    else:
        assert forms[0].project_name == seed_forms[3].project_name
