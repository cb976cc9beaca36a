"""Scans and photos -> forms: image files (PNG, JPEG, TIFF with several pages, BMP) and the image-only
pages of a PDF are read by OCR (:mod:`.ocr`) into the same page content as a PDF text layer, then
through :func:`~.grid.page_blocks` and :func:`~.assemble.assemble_forms` like every other source.

Each form read this way carries its :class:`~perfeval.model.OcrTrace`: for every number (and every
target/actual holding a digit) the page, box, confidence and a small crop of what was read.  The
checks (:func:`perfeval.rules.ocr.check_ocr_uncertain`) turn doubtful ones into ``OCR_UNCERTAIN``.

Pages are read one at a time and their images dropped at once, so memory stays flat on long scans;
``on_progress(done, total)`` is called after each page, and a progress callback that raises
:class:`~.errors.ImportCancelledError` cancels the import between pages.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..model import OcrRead, OcrTrace, SelfEvaluation
from ..rules.ocr import reads_as
from .assemble import assemble_forms
from .errors import BlankImageError, CorruptFileError, NotAFormError
from .grid import Block, page_blocks
from .ocr import OcrPage, OcrRun, read_page
from .ocr_image import image_pages, pdf_page_image

ProgressCallback = Callable[[int, int], None]


class OcrPages:
    """Runs and page facts gathered while pages are read (the runs keep only what provenance needs)."""

    def __init__(self) -> None:
        self.runs: list[OcrRun] = []
        self.pages = 0
        self.blank = 0
        self.chars = 0

    def add(self, page: OcrPage) -> list[Block]:
        self.pages += 1
        self.blank += page.blank
        runs = [r for r in page.content.runs if isinstance(r, OcrRun)]
        self.chars += sum(len(r.text) for r in runs)
        self.runs.extend(r for r in runs if r.crop)
        return page_blocks(page.content)


def _frames(source: Path | bytes) -> int:
    from PIL import Image

    try:
        with Image.open(source if isinstance(source, Path) else io.BytesIO(source)) as img:
            return int(getattr(img, "n_frames", 1))
    except Exception:  # the reader below reports a broken file in one line
        return 1


def read_image_forms(
    source: Path | bytes, *, name: str | None = None, on_progress: ProgressCallback | None = None
) -> list[SelfEvaluation]:
    """Every form in an image file (each frame of a TIFF is a page)."""
    total = _frames(source)
    seen = OcrPages()

    def pages() -> Iterator[tuple[int, list[Block]]]:
        for image in image_pages(source, name):
            blocks = seen.add(read_page(image))
            del image
            yield seen.pages, blocks
            if on_progress is not None:
                on_progress(seen.pages, max(total, seen.pages))

    forms = assemble_forms(pages(), source_name=name, kind="pdf")
    return finish(forms, seen, name)


def finish(
    forms: list[SelfEvaluation], seen: OcrPages, name: str | None, *, pdf: bool = False
) -> list[SelfEvaluation]:
    """Forms with their OCR provenance, or the one-line reason there are none."""
    if not forms:
        if seen.pages and seen.blank == seen.pages:
            pages = "页面是空白的" if seen.pages == 1 else f" {seen.pages} 页都是空白页"
            raise BlankImageError(
                f"PDF 没有文字层，扫描的{pages}，没有找到文字"
                if pdf
                else "图片是空白页，没有找到文字"
                if seen.pages == 1
                else f"扫描件的 {seen.pages} 页都是空白页，没有找到文字",
                english="blank page(s): no text",
                source=name,
            )
        raise NotAFormError(
            "扫描件或图片中没有找到项目支出绩效自评表（未识别出带表格线的自评表）",
            english="no performance self-evaluation form in the image",
            source=name,
        )
    for form in forms:
        attach_provenance(form, seen.runs)
    return forms


class PdfScanPages:
    """OCR of the image-only pages of a PDF (rendered with pypdfium2, opened on the first such page)."""

    def __init__(self, source: str | Path | bytes | BinaryIO, name: str | None) -> None:
        self.source = source
        self.name = name
        self.doc: Any = None
        self.seen = OcrPages()

    def blocks(self, number: int) -> list[Block]:
        if self.doc is None:
            import pypdfium2 as pdfium

            src = self.source
            if hasattr(src, "read"):
                src.seek(0)  # type: ignore[union-attr]
                src = src.read()  # type: ignore[union-attr]
            try:
                self.doc = pdfium.PdfDocument(str(src) if isinstance(src, Path) else src)
            except pdfium.PdfiumError as exc:
                raise CorruptFileError(
                    "PDF 无法渲染为图片", english=f"pdfium: {exc}", source=self.name
                ) from None
        page = self.doc[number - 1]
        try:
            image = pdf_page_image(page, number)
        finally:
            page.close()
        return self.seen.add(read_page(image))

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None


# ----------------------------------------------------------------------------------------- provenance


def numeric_paths(form: SelfEvaluation) -> Iterator[tuple[str, list[tuple[str, Any]]]]:
    """The form's records in reading order: each a path prefix and its fields ``(path, value)``: the
    numbers, and the targets/actuals holding digits."""
    for row in form.funds:
        cols = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")
        yield (
            f"funds.{row.kind}",
            [(f"funds.{row.kind}.{c}", getattr(row, c)) for c in cols if getattr(row, c) is not None],
        )
    for i, ind in enumerate(form.indicators):
        fields: list[tuple[str, Any]] = [
            (f"indicators.{i}.{c}", getattr(ind, c))
            for c in ("target", "actual")
            if any(ch.isdigit() for ch in getattr(ind, c))
        ]
        fields += [
            (f"indicators.{i}.{c}", getattr(ind, c))
            for c in ("weight", "score")
            if getattr(ind, c) is not None
        ]
        yield f"indicators.{i}", fields
    yield (
        "total",
        [(k, getattr(form, k)) for k in ("total_weight", "total_score") if getattr(form, k) is not None],
    )


def attach_provenance(form: SelfEvaluation, runs: Iterable[OcrRun]) -> None:
    """Give each number of ``form`` the OCR run it was read from: records in form order, each field the
    earliest unused run (in reading order, on the form's pages) that reads as its value, never before
    the first field of the record before."""
    pages = set((form.source or {}).get("pages") or [])
    ordered = sorted(
        (r for r in runs if not pages or r.page in pages), key=lambda r: (r.page, -round(r.y / 4), r.x0)
    )
    used: set[int] = set()
    trace = OcrTrace()
    cursor = 0
    for _record, fields in numeric_paths(form):
        first: int | None = None
        for path, value in fields:
            for k in range(cursor, len(ordered)):
                if k not in used and reads_as(ordered[k].text, value, path):
                    used.add(k)
                    run = ordered[k]
                    trace.fields[path] = OcrRead(
                        page=run.page, box=run.box, text=run.text, score=run.lowest, crop=run.crop
                    )
                    first = k if first is None else min(first, k)
                    break
        if first is not None:
            cursor = first + 1
    form.ocr = trace
