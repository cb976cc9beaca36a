"""Hostile PDFs, each parsed beside the seed PDF in one ``perfeval parse`` call under a 3 GiB
address-space cap and a 60 s limit: every one ends in time with one clear line, and the seed's
five forms are still read.  The file-wide budgets are checked in-process with smaller limits."""

from __future__ import annotations

import dataclasses

import hostile as h
import pytest
from seedpaths import SEED_PDF

from perfeval.errors import PerfevalError
from perfeval.ingest import limits, read_bytes
from perfeval.ingest.errors import ResourceLimitError

CASES: h.Cases = {
    "contents-array.pdf": (h.pdf_contents_array, "页面内容流解压后的大小超过上限"),
    "huge-pages.pdf": (h.pdf_huge_pages, "页面内容流解压后的大小超过上限"),
    "many-operators.pdf": (h.pdf_many_ops, "超过上限"),
    "operand-flood.pdf": (h.pdf_operand_flood, "操作数个数超过上限"),
    "self-drawing-xobject.pdf": (h.pdf_self_drawing_xobject, "XObject"),
    "deep-xobjects.pdf": (h.pdf_deep_xobjects, "嵌套层数超过上限"),
    "objstm-bomb.pdf": (h.pdf_objstm_bomb, "PDF"),
    "deep-catalog.pdf": (h.pdf_deep_catalog, "损坏"),
    "deep-page-tree.pdf": (h.pdf_deep_page_tree, "安全上限"),
    "kids-loop.pdf": (h.pdf_kids_loop, "损坏"),
    "xref-loop.pdf": (h.pdf_xref_loop, "没有文字层"),
    "huge-length.pdf": (h.pdf_huge_length, "安全上限"),
    "encrypted.pdf": (h.pdf_encrypted, "需要密码"),
    "truncated.pdf": (lambda: h.truncated(SEED_PDF.read_bytes(), 0.6), "损坏或不完整"),
    "nul.pdf": (lambda: b"%PDF-1.4\n" + b"\x00" * 100_000, "损坏或不完整"),
    "empty.pdf": (lambda: b"", "文件是空的"),
}


# the seed's five forms are still read, and one clear line per case
run, test_the_seed_is_still_read, test_one_clear_line = h.corpus_tests(CASES, "hostile-pdf")


def _smaller(monkeypatch: pytest.MonkeyPatch, name: str, maximum: int) -> None:
    monkeypatch.setattr(limits, name, dataclasses.replace(getattr(limits, name), maximum=maximum))


@pytest.mark.parametrize(
    ("budget", "maximum", "key"),
    [
        ("PDF_FILE_OPS", 20_000, "pdf.file_ops"),
        ("PDF_FILE_TOKENS", 30_000, "pdf.file_tokens"),
        ("PDF_FILE_BYTES", 100_000, "pdf.file_bytes"),
    ],
)
def test_file_budgets_add_up_over_the_pages(
    monkeypatch: pytest.MonkeyPatch, budget: str, maximum: int, key: str
) -> None:
    """Pages each under the page budgets, together over the file's."""
    data = h.pdf_pages_of_ops(40, 2_000)  # 40 pages of 2,000 operators, 4 KB each
    with pytest.raises(PerfevalError) as plain:  # under the real budgets: read, merely not a form
        read_bytes("pages.pdf", data)
    assert not isinstance(plain.value, ResourceLimitError)
    _smaller(monkeypatch, budget, maximum)
    with pytest.raises(ResourceLimitError) as exc:
        read_bytes("pages.pdf", data)
    assert exc.value.limit == key
    assert "PDF 全文" in exc.value.message


def test_the_seed_reads_within_every_budget() -> None:
    forms = read_bytes("seed.pdf", SEED_PDF.read_bytes())
    assert len(forms) == 5
