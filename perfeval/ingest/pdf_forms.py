"""PDF -> forms: pages (:mod:`.pdf`) -> cells (:mod:`.grid`) -> forms (:mod:`.assemble`), page by page,
with the checks that turn an unusable PDF into one clear message (unreadable fonts, no form).  Pages
without a text layer (scans) are read by OCR (:mod:`.ocr_forms`) into the same cells."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..model import SelfEvaluation
from .assemble import assemble_forms
from .errors import NotAFormError, UnreadableFontsError
from .grid import Block, page_blocks
from .ocr_forms import PdfScanPages, attach_provenance, finish
from .pdf import PageContent, iter_pages

_CID = re.compile(r"\(cid:\d+\)")

#: A page with images and fewer characters of text than this (a page number, a file name stamped on a
#: scan) is a scanned page: it is read by OCR.
SCAN_TEXT_CHARS = 40

#: Share of unreadable characters above which a text layer is called garbage.
GARBAGE_SHARE = 0.3


def garbage_chars(text: str) -> int:
    """Characters that show a font without a usable Unicode mapping: U+FFFD, private-use characters,
    control characters and ``(cid:NN)`` placeholders (counted per placeholder)."""
    n = len(_CID.findall(text)) * 4
    for ch in text:
        o = ord(ch)
        if o == 0xFFFD or 0xE000 <= o <= 0xF8FF or o >= 0xF0000 or (o < 32 and ch not in "\n\t\r"):
            n += 1
    return n


class _Stats:
    def __init__(self) -> None:
        self.chars = 0
        self.bad = 0
        self.images = 0
        self.pages = 0

    def add(self, page: PageContent) -> None:
        self.pages += 1
        self.images += page.images
        for run in page.runs:
            t = run.text.strip()
            self.chars += len(t)
            self.bad += garbage_chars(t)
        self.bad += page.unmapped_chars


def read_pdf_forms(
    source: str | Path | bytes | BinaryIO,
    *,
    name: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[SelfEvaluation]:
    """Every form in a PDF, with ``source = {"file", "pages", "template", "layout"}`` set."""
    label = name or (Path(source).name if isinstance(source, str | Path) else None)
    stats = _Stats()
    scans = PdfScanPages(source, label)

    def pages() -> Iterator[tuple[int, list[Block]]]:
        for page in iter_pages(source, on_progress=on_progress, name=label):
            if page.text_chars == 0 or (page.images and page.text_chars < SCAN_TEXT_CHARS):
                yield page.number, scans.blocks(page.number)
                continue
            stats.add(page)
            yield page.number, page_blocks(page)

    try:
        forms = assemble_forms(pages(), source_name=label, kind="pdf")
    finally:
        scans.close()
    if scans.seen.pages:
        if not stats.pages:
            return finish(forms, scans.seen, label, pdf=True)
        for form in forms:
            if set((form.source or {}).get("pages") or []) & {r.page for r in scans.seen.runs}:
                attach_provenance(form, scans.seen.runs)
    if stats.bad > GARBAGE_SHARE * stats.chars:
        raise UnreadableFontsError(
            "PDF 的字体无法解码为文字（乱码），无法读取；请提供 XLSX/DOCX 原件或重新导出 PDF",
            english="fonts cannot be decoded to text",
            source=label,
        )
    if not forms:
        raise NotAFormError(
            "文件中没有找到项目支出绩效自评表", english="not a performance self-evaluation form", source=label
        )
    return forms
