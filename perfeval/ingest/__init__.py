"""Last year's report -> list[SelfEvaluation].

:func:`read_forms` (a path) and :func:`read_bytes` (an upload) pick the importer by the file's
content (magic bytes) and extension: PDF (:mod:`.pdf` + :mod:`.grid` + :mod:`.assemble`), XLSX and
DOCX (:mod:`.office`), interchange JSON, and the plain text of a PDF (:mod:`.text`).  Every importer
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

from ..errors import InputFormatError, PerfevalError
from ..interchange import load_path, loads
from ..model import SelfEvaluation
from . import limits
from .errors import CorruptFileError, FileTooLargeError, ResourceLimitError

ProgressCallback = Callable[[int, int], None]

SUPPORTED_SUFFIXES = (".pdf", ".xlsx", ".docx", ".json", ".txt")

#: Files larger than this are refused (bytes).  PDFs are read page by page below it.  The other
#: budgets of the readers are in :mod:`.limits`.
MAX_FILE_SIZE = limits.FILE_BYTES.maximum


def _kind(head: bytes, suffix: str, opener: Callable[[], zipfile.ZipFile] | None) -> str | None:
    """``pdf``, ``xlsx``, ``docx``, ``json``, ``txt`` from the first bytes and the extension."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
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
        f"不支持的文件类型「{suffix or '无扩展名'}」，支持：PDF、XLSX、DOCX、JSON、TXT",
        english="unsupported file type",
        source=source,
    )


#: What a reader gets: a path (read from disk, so big PDFs need not be in memory) or an upload's bytes.
Source = Path | bytes


def _read_pdf(src: Source, name: str, on_progress: ProgressCallback | None) -> list[SelfEvaluation]:
    from .pdf_forms import read_pdf_forms

    return read_pdf_forms(src, name=name, on_progress=on_progress)


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
    limits.TEXT_BYTES.check(src.stat().st_size if isinstance(src, Path) else len(src), source=name)
    return _read_text(src.read_bytes() if isinstance(src, Path) else src, name)


#: The reader of each kind of file that :func:`_kind` recognises.  A new format is a new entry here (and a
#: reader that feeds :mod:`.grid` / :mod:`.assemble`), never a new assembly.
READERS: dict[str, Callable[[Source, str, ProgressCallback | None], list[SelfEvaluation]]] = {
    "pdf": _read_pdf,
    "xlsx": _read_xlsx,
    "docx": _read_docx,
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
    opener: Callable[[], zipfile.ZipFile],
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
_KIND_LABELS = {"pdf": "PDF", "xlsx": "XLSX", "docx": "DOCX", "json": "JSON", "txt": "文本"}


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
