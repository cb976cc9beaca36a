"""Last year's report -> list[SelfEvaluation].

:func:`read_forms` (a path) and :func:`read_bytes` (an upload) pick the importer by the file's
content (magic bytes) and extension: PDF (:mod:`.pdf` + :mod:`.grid` + :mod:`.assemble`), XLSX and
DOCX (:mod:`.office`), interchange JSON, the plain text of a PDF (:mod:`.text`), and scans: images
(PNG, JPEG, TIFF, BMP) and image-only PDF pages, read by OCR (:mod:`.ocr_forms`).  Every importer
raises a :class:`perfeval.errors.PerfevalError` subclass with a Chinese message for input it cannot
read; see :mod:`.errors`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputFormatError, PerfevalError
from ..interchange import load_path, loads
from ..model import SelfEvaluation
from .errors import CorruptFileError, FileTooLargeError

ProgressCallback = Callable[[int, int], None]

SUPPORTED_SUFFIXES = (
    ".pdf",
    ".xlsx",
    ".docx",
    ".json",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".bmp",
)

#: Magic bytes of the image files read by OCR.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

#: Files larger than this are refused (bytes).  PDFs are read page by page below it.
MAX_FILE_SIZE = 512 * 1024 * 1024


def _kind(head: bytes, suffix: str, opener: Callable[[], zipfile.ZipFile] | None) -> str | None:
    """``pdf``, ``xlsx``, ``docx``, ``json``, ``txt`` from the first bytes and the extension."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) and (not head.startswith(b"BM") or suffix in _IMAGE_SUFFIXES):
        return "image"
    if head[:4] == b"PK\x03\x04" and opener is not None:
        try:
            with opener() as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return suffix.lstrip(".") if suffix in (".xlsx", ".docx") else None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if suffix in (".pdf", ".xlsx", ".docx"):
        return suffix.lstrip(".")
    if suffix in _IMAGE_SUFFIXES:
        return "image"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == ".json" or text[:1] in (b"{", b"["):
        return "json"
    if suffix in (".txt", ".text", "") or _looks_like_text(head):
        return "txt"
    return None


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut at the end is fine
            return False
    return b"\x00" not in head


_LEGACY = {".doc": "DOCX", ".wps": "DOCX", ".xls": "XLSX", ".et": "XLSX"}


def _unsupported(suffix: str, source: str) -> InputFormatError:
    if suffix in _LEGACY:
        return InputFormatError(
            f"不支持旧版「{suffix}」文件，请在 Office/WPS 中另存为 {_LEGACY[suffix]} 或 PDF 后再导入",
            english=f"legacy {suffix} file: save as {_LEGACY[suffix]}",
            source=source,
        )
    return InputFormatError(
        f"不支持的文件类型「{suffix or '无扩展名'}」，支持：PDF、XLSX、DOCX、JSON、TXT、图片（PNG/JPEG/TIFF/BMP）",
        english="unsupported file type",
        source=source,
    )


#: What a reader gets: a path (read from disk, so big PDFs need not be in memory) or an upload's bytes.
Source = Path | bytes


def _read_pdf(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .pdf_forms import read_pdf_forms

    return read_pdf_forms(src, name=name, on_progress=on_progress)


def _read_image(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .ocr_forms import read_image_forms

    return read_image_forms(src, name=name, on_progress=on_progress)


def _read_xlsx(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .office import read_xlsx_forms

    return read_xlsx_forms(src if isinstance(src, Path) else io.BytesIO(src), name=name)


def _read_docx(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .office import read_docx_forms

    return read_docx_forms(src if isinstance(src, Path) else io.BytesIO(src), name=name)


def _read_json(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    if isinstance(src, Path):
        return load_path(src)
    try:
        text = src.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFormatError("文件不是 UTF-8 编码的 JSON", english="not UTF-8 JSON", source=name) from None
    return loads(text, source=name)


def _read_txt(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    return _read_text(src.read_bytes() if isinstance(src, Path) else src, name)


#: The reader of each kind of file that :func:`_kind` recognises.  A new format is a new entry here (and a
#: reader that feeds :mod:`.grid` / :mod:`.assemble`), never a new assembly.
READERS: dict[str, Callable[[Source, str, ProgressCallback | None], list[SelfEvaluation]]] = {
    "pdf": _read_pdf,
    "xlsx": _read_xlsx,
    "docx": _read_docx,
    "json": _read_json,
    "txt": _read_txt,
    "image": _read_image,
}


def _too_large(size: int, source: str) -> FileTooLargeError:
    return FileTooLargeError(
        f"文件过大（{size / 1024 / 1024:.0f} MB），超过 {MAX_FILE_SIZE // 1024 // 1024} MB 上限",
        english="file too large",
        source=source,
    )


def _dispatch(
    src: Source,
    name: str,
    head: bytes,
    opener: Callable[[], zipfile.ZipFile],
    on_progress: ProgressCallback | None,
) -> list[SelfEvaluation]:
    suffix = Path(name).suffix.lower()
    kind = _kind(head, suffix, opener)
    reader = READERS.get(kind or "")
    if reader is None:
        raise _unsupported(suffix, name)
    return reader(src, name, on_progress)


def read_forms(path: str | Path, on_progress: ProgressCallback | None = None) -> list[SelfEvaluation]:
    """All forms found in one file; ``on_progress(done, total)`` reports pages (PDF) as they are read."""
    p = Path(path)
    source = str(p)
    if not p.exists():
        raise InputFormatError("文件不存在", english="no such file", source=source)
    if p.is_dir():
        raise InputFormatError("这是一个文件夹，不是文件", english="is a directory", source=source)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise InputFormatError(
            f"无法读取文件：{exc.strerror or exc}", english="cannot read file", source=source
        ) from None
    if size > MAX_FILE_SIZE:
        raise _too_large(size, source)
    if size == 0:
        raise CorruptFileError("文件是空的", english="empty file", source=source)
    try:
        return _dispatch(p, p.name, head, lambda: zipfile.ZipFile(p), on_progress)
    except PerfevalError as exc:
        if exc.source is None or exc.source == p.name:
            exc.source = source
        raise


def read_bytes(name: str, data: bytes, on_progress: ProgressCallback | None = None) -> list[SelfEvaluation]:
    """All forms in an uploaded file's bytes (``name`` gives the extension and the messages' source)."""
    if len(data) > MAX_FILE_SIZE:
        raise _too_large(len(data), name)
    if not data:
        raise CorruptFileError("文件是空的", english="empty file", source=name)
    return _dispatch(data, name, data[:2048], lambda: zipfile.ZipFile(io.BytesIO(data)), on_progress)


def _read_text(data: bytes, name: str) -> list[SelfEvaluation]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputFormatError(
            "文本文件编码无法识别（应为 UTF-8 或 GBK）", english="unknown text encoding", source=name
        )
    from .text import read_text_forms

    return read_text_forms(text, source=name)
