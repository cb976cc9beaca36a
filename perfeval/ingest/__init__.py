"""Last year's report -> list[SelfEvaluation].

:func:`read_forms` (a path) and :func:`read_bytes` (an upload) pick the importer by the file's
content (magic bytes, zip members, OLE2 streams, markup) and, where that does not tell, its extension:
PDF (:mod:`.pdf` + :mod:`.grid` + :mod:`.assemble`), XLSX and DOCX (:mod:`.office`), legacy XLS/ET
(:mod:`.xls`), DOC/WPS/ODT/ODS/RTF through LibreOffice (:mod:`.libreoffice`, then :mod:`.office`),
saved web pages HTML/MHTML (:mod:`.html`), interchange JSON, copied text (:mod:`.text`), and scans:
images (PNG, JPEG, TIFF, BMP) and the image-only pages of PDFs, read by OCR (:mod:`.ocr_forms`).  Every importer
raises a :class:`perfeval.errors.PerfevalError` subclass with a Chinese message for input it cannot
read; see :mod:`.errors`.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import InputFormatError, PerfevalError
from ..formats import SUPPORTED_NAMES, SUPPORTED_SUFFIXES  # noqa: F401  (re-exported)
from ..interchange import load_path, loads
from ..model import SelfEvaluation
from . import limits, ole
from .errors import CorruptFileError, FileTooLargeError, ResourceLimitError

ProgressCallback = Callable[[int, int], None]

#: Magic bytes of the image files read by OCR (a BMP's ``BM`` only with an image extension).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

#: Files larger than this are refused (bytes).  PDFs are read page by page below it.  The other
#: budgets of the readers are in :mod:`.limits`.
MAX_FILE_SIZE = limits.FILE_BYTES.maximum
#: A saved web page is parsed whole, so it has a bound of its own (bytes); an MHTML file also carries
#: its images, of which only the page is read.
MAX_HTML_SIZE = 24 * 1024 * 1024
MAX_MHTML_SIZE = 96 * 1024 * 1024


#: The kind a legacy or OpenDocument extension implies when the content does not tell.
_SUFFIX_KINDS = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".xls": "xls",
    ".et": "xls",
    ".doc": "doc",
    ".wps": "doc",
    ".odt": "odt",
    ".ods": "ods",
    ".rtf": "rtf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".mht": "mhtml",
    ".mhtml": "mhtml",
}

_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _zip_kind(opener: Callable[[], BinaryIO]) -> str | None:
    with opener() as fh, zipfile.ZipFile(fh) as zf:
        names = set(zf.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "mimetype" in names:
            mime = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
            return next((k for m, k in _ODF_KINDS.items() if mime.startswith(m)), None)
    return None


def _text_kind(head: bytes) -> str | None:
    """``mhtml`` or ``html`` from a text file's first bytes."""
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(enc, "replace").encode("utf-8")
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"mime-version:" in low and b"multipart/related" in low:
        return "mhtml"
    if b'progid="excel.sheet"' in low:
        return "excel-xml"  # Excel 2003 XML spreadsheet (often saved as .xls)
    if b'progid="word.document"' in low:
        return "word-xml"  # Word 2003 XML document
    if low.startswith(b"<") and any(t in low for t in (b"<html", b"<!doctype html", b"<body", b"<table")):
        return "html"
    if low.startswith(b"{\\rtf"):
        return "rtf"
    return None


def _kind(head: bytes, suffix: str, opener: Callable[[], BinaryIO] | None) -> str | None:
    """The reader for a file (a key of :data:`READERS`) from its first bytes, its content and its
    extension: the content decides, the extension only where the content does not tell."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head.startswith(b"BM") and suffix in _IMAGE_SUFFIXES):
        return "image"
    if head[:4] == b"PK\x03\x04" and opener is not None:
        try:
            return _zip_kind(opener)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError):
            return _SUFFIX_KINDS.get(suffix) if suffix in (".xlsx", ".docx", ".odt", ".ods") else None
    if head[:8] == ole.MAGIC and opener is not None:
        names = ole.stream_names(opener)
        if not names:
            return "damaged"
        return ole.kind(names, opener) or (
            _SUFFIX_KINDS[suffix] if suffix in (".xls", ".et", ".doc", ".wps") else None
        )
    kind = _text_kind(head)
    if kind is not None:
        return kind
    if suffix in _SUFFIX_KINDS:
        return _SUFFIX_KINDS[suffix]
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


def _unsupported(suffix: str, source: str) -> InputFormatError:
    return InputFormatError(
        f"不支持的文件类型「{suffix or '无扩展名'}」，支持：{SUPPORTED_NAMES}",
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


def _read_xls(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .libreoffice import find_soffice
    from .xls import MAX_XLS_SIZE, read_xls_forms

    data = _bounded_bytes(src, name, MAX_XLS_SIZE, "XLS 文件")
    try:
        return _noting_macros(data, read_xls_forms(data, name=name))
    except CorruptFileError:
        if find_soffice() is None:  # LibreOffice reads more BIFF variants (WPS ET, Excel 5, XML)
            raise
    return _via_libreoffice(data, name, "xlsx")


def _via_libreoffice(data: bytes, name: str, target: str) -> list[SelfEvaluation]:
    """A file LibreOffice converts to ``target`` (``docx``/``xlsx``), read by that format's reader."""
    from .libreoffice import converted
    from .office import read_docx_forms, read_xlsx_forms

    suffix = Path(name).suffix.lower() or ".bin"
    read = read_docx_forms if target == "docx" else read_xlsx_forms
    with converted(data, suffix, target, source=name) as out:
        return _noting_macros(data, read(out, name=name))


def _noting_macros(data: bytes, forms: list[SelfEvaluation]) -> list[SelfEvaluation]:
    """The forms of a legacy Office file, each with a warning when the file carries macros (never run)."""
    if data[:8] == ole.MAGIC and ole.has_macros(ole.stream_names(lambda: io.BytesIO(data))):
        for form in forms:
            form.parse_warnings.append(ole.MACRO_NOTE)
    return forms


def _converter(target: str) -> Callable[[Source, str, ProgressCallback | None], list[SelfEvaluation]]:
    def read(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
        from .libreoffice import MAX_CONVERT_SIZE

        data = _bounded_bytes(src, name, MAX_CONVERT_SIZE, "文件")
        if data[:4] == b"PK\x03\x04":  # ODT/ODS: the zip budgets before LibreOffice inflates it
            limits.check_package(data, source=name)
        return _via_libreoffice(data, name, target)

    return read


def _read_html(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .html import read_html_forms

    return read_html_forms(_bounded_bytes(src, name, MAX_HTML_SIZE, "网页文件"), name=name)


def _read_mhtml(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .html import read_html_forms

    return read_html_forms(_bounded_bytes(src, name, MAX_MHTML_SIZE, "网页文件"), name=name, mhtml=True)


def _bounded_bytes(src: Source, name: str, limit: int, what: str) -> bytes:
    """The bytes of a file read whole (``what`` it is, for the message), refused beyond ``limit``
    before they are read."""
    size = src.stat().st_size if isinstance(src, Path) else len(src)
    if size > limit:
        raise FileTooLargeError(
            f"{what}过大（{size / 1024 / 1024:.0f} MB），超过 {limit // 1024 // 1024} MB 上限；"
            "请导入原始的 Word/Excel 文件或 PDF",
            english=f"file too large ({size} bytes > {limit})",
            source=name,
        )
    return src.read_bytes() if isinstance(src, Path) else src


def _read_damaged(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    raise CorruptFileError(
        "文件已损坏或不完整（Office 复合文档结构无法读取），无法读取",
        english="damaged OLE2 compound file",
        source=name,
    )


def _read_encrypted(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .errors import EncryptedFileError

    raise EncryptedFileError(
        "文件设有打开密码（已加密），无法读取；请在 Office/WPS 中取消密码后另存，再导入",
        english="password-protected office file",
        source=name,
    )


def _read_json(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    if isinstance(src, Path):
        return load_path(src)
    try:
        text = src.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFormatError("文件不是 UTF-8 编码的 JSON", english="not UTF-8 JSON", source=name) from None
    return loads(text, source=name)


def _read_txt(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    limits.TEXT_BYTES.check(src.stat().st_size if isinstance(src, Path) else len(src), source=name)
    return _read_text(src.read_bytes() if isinstance(src, Path) else src, name)


#: The reader of each kind of file that :func:`_kind` recognises.  A new format is a new entry here (and a
#: reader that feeds :mod:`.grid` / :mod:`.assemble`), never a new assembly.
READERS: dict[str, Callable[[Source, str, ProgressCallback | None], list[SelfEvaluation]]] = {
    "pdf": _read_pdf,
    "image": _read_image,
    "xlsx": _read_xlsx,
    "docx": _read_docx,
    "xls": _read_xls,
    "doc": _converter("docx"),
    "odt": _converter("docx"),
    "rtf": _converter("docx"),
    "word-xml": _converter("docx"),
    "ods": _converter("xlsx"),
    "excel-xml": _converter("xlsx"),
    "html": _read_html,
    "mhtml": _read_mhtml,
    "encrypted": _read_encrypted,
    "damaged": _read_damaged,
    "json": _read_json,
    "txt": _read_txt,
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
    opener: Callable[[], BinaryIO],
    on_progress: ProgressCallback | None,
) -> list[SelfEvaluation]:
    suffix = Path(name).suffix.lower()
    kind = _kind(head, suffix, opener)
    reader = READERS.get(kind or "")
    if reader is None:
        raise _unsupported(suffix, name)
    try:
        return reader(src, name, on_progress)
    except PerfevalError:
        raise
    except Exception as exc:
        raise reader_failure(exc, kind or suffix, name) from None


#: What the reader boundary calls each kind of file in its messages.
_KIND_LABELS = {
    "pdf": "PDF",
    "xlsx": "XLSX",
    "docx": "DOCX",
    "xls": "XLS",
    "doc": "DOC",
    "odt": "ODT",
    "rtf": "RTF",
    "word-xml": "Word XML",
    "ods": "ODS",
    "excel-xml": "Excel XML",
    "html": "网页",
    "mhtml": "网页",
    "json": "JSON",
    "txt": "文本",
}


def reader_failure(exc: BaseException, kind: str, source: str | None) -> PerfevalError:
    """The one line for anything a reader raised that is not a :class:`PerfevalError`: whatever
    pypdf, openpyxl, python-docx, zipfile, lxml or zlib raise on a hostile or damaged file
    (``LimitReachedError``, ``ParseError``, ``RecursionError``, ``MemoryError``, ``KeyError``,
    ``struct.error`` ...).  ``PERFEVAL_DEBUG=1`` prints the traceback to stderr as well."""
    if os.environ.get("PERFEVAL_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    label = _KIND_LABELS.get(kind.lstrip("."), kind.lstrip(".").upper() or "文件")
    where = _raised_in(exc)
    if isinstance(exc, MemoryError):
        return ResourceLimitError(
            f"{label} 文件过于复杂，读取时内存不足，为安全起见不予读取",
            limit="memory",
            english=f"out of memory while reading ({where})",
            source=source,
        )
    if isinstance(exc, RecursionError):
        return CorruptFileError(
            f"{label} 文件的结构嵌套过深或循环引用，无法读取",
            english=f"structure nested too deeply ({where})",
            source=source,
        )
    detail = " ".join(str(exc).split())[:100]
    return CorruptFileError(
        f"{label} 文件已损坏或结构异常，无法读取",
        english=f"damaged file: {type(exc).__name__} in {where}" + (f": {detail}" if detail else ""),
        source=source,
    )


def _raised_in(exc: BaseException) -> str:
    """The top-level module of the innermost frame that raised ``exc`` (``pypdf``, ``openpyxl`` ...)."""
    tb = exc.__traceback__
    module = "?"
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "?")
        tb = tb.tb_next
    return module.split(".")[0]


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
        return _dispatch(p, p.name, head, lambda: p.open("rb"), on_progress)
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
    return _dispatch(data, name, data[:2048], lambda: io.BytesIO(data), on_progress)


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
