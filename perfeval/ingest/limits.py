"""Resource budgets of the readers: how much work one file may cause, checked before the work.

A shared app must survive a hostile upload: a 40 KB XLSX whose one cell sits at XFD1048576, a 3 MB
zip bomb, a 1 KB PDF whose form XObject draws itself 40 times per level.  Every reader checks the
budgets below *before* it does the expensive part (cheap counts: the zip directory, the sheet XML's
cells, a page's operators as they are tokenized), and an input over a budget is refused with one
Chinese line naming the limit (:class:`~perfeval.ingest.errors.ResourceLimitError`).

For a new reader::

    from . import limits

    limits.TEXT_BYTES.check(len(data), source=name)          # one amount against one budget
    limits.check_package(path_or_stream, source=name)        # any zip container (XLSX, DOCX, ODS ...)
    ops = limits.Tally(limits.PDF_PAGE_OPS, source=name, where="PDF 第3页：")
    ops.add(len(batch))                                      # a running count

The numbers are far above any real 项目支出绩效自评表 (the seed's PDF page has 1,700 operators and
14 KB of content; a 12-form workbook 5,000 cells) and far below what exhausts a 2–3 GB worker.
The worker process of :mod:`.guard` (memory cap, time limit) is the second line of defence.
They are documented in docs/import.md.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import CorruptFileError, ResourceLimitError, UnsafeXmlError

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """One budget: ``key`` names it in code and logs, ``label`` in the Chinese message."""

    key: str
    label: str
    maximum: int
    unit: str = "个"
    """``"bytes"`` shows amounts in MB; anything else is printed after the number (个, 行, 层 ...)."""

    def show(self, amount: int) -> str:
        if self.unit == "bytes":
            return f"{amount / MiB:,.0f} MB" if amount >= MiB else f"{amount:,} 字节"
        return f"{amount:,} {self.unit}"

    def error(
        self, amount: int | None = None, *, source: str | None = None, where: str = ""
    ) -> ResourceLimitError:
        found = f"（{self.show(amount)}）" if amount is not None else ""
        return ResourceLimitError(
            f"{where}{self.label}超过上限 {self.show(self.maximum)}{found}，为安全起见不予读取",
            limit=self.key,
            english=f"over the {self.key} limit of {self.maximum:,}",
            source=source,
        )

    def check(self, amount: int, *, source: str | None = None, where: str = "") -> None:
        """Raise :class:`ResourceLimitError` when ``amount`` is over the budget."""
        if amount > self.maximum:
            raise self.error(amount, source=source, where=where)


class Tally:
    """A running count against one budget (operators of a PDF page, cells of a document ...)."""

    __slots__ = ("limit", "count", "source", "where")

    def __init__(self, limit: Limit, *, source: str | None = None, where: str = "") -> None:
        self.limit = limit
        self.count = 0
        self.source = source
        self.where = where

    @property
    def left(self) -> int:
        return self.limit.maximum - self.count

    def add(self, n: int = 1) -> None:
        self.count += n
        if self.count > self.limit.maximum:
            raise self.limit.error(source=self.source, where=self.where)


# -- every file -------------------------------------------------------------------------------
#: The size of any file or upload.
FILE_BYTES = Limit("file.bytes", "文件大小", 512 * MiB, "bytes")
#: A plain-text file or pasted text (the seed's five forms are 60 KB of text).
TEXT_BYTES = Limit("text.bytes", "文本大小", 2 * MiB, "bytes")

# -- zip containers (XLSX, DOCX): from the zip directory, before any part is inflated -----------
ZIP_ENTRIES = Limit("zip.entries", "压缩包内的文件数", 10_000)
ZIP_TOTAL_BYTES = Limit("zip.total_bytes", "压缩包解压后的总大小", 512 * MiB, "bytes")
#: The XML parts (``*.xml``, ``*.rels``), which the readers parse into trees; images are not parsed.
ZIP_XML_BYTES = Limit("zip.xml_bytes", "压缩包内 XML 部件解压后的总大小", 128 * MiB, "bytes")
#: Uncompressed / compressed size of one entry; only entries over :data:`ZIP_RATIO_FLOOR` bytes count.
ZIP_RATIO = Limit("zip.ratio", "压缩包内文件的压缩比", 200, "倍")
ZIP_RATIO_FLOOR = 4 * MiB

# -- spreadsheets and word-processor tables ----------------------------------------------------
#: Cells and rows stored in all worksheets of a workbook (counted in the sheet XML before openpyxl loads it).
SHEET_CELLS = Limit("sheet.cells", "工作簿的单元格数", 300_000)
SHEET_ROWS = Limit("sheet.rows", "工作簿的行数", 200_000, "行")
#: Cells covered by the merged ranges and hyperlink ranges of one sheet (openpyxl expands each one).
SHEET_RANGE_CELLS = Limit("sheet.range_cells", "合并单元格或超链接覆盖的单元格数", 1_000_000)
#: The used area of a sheet (cells with text) and of a table, rows x columns.
TABLE_ROWS = Limit("table.rows", "表格行数", 50_000, "行")
TABLE_COLS = Limit("table.cols", "表格列数", 1_000, "列")
TABLE_GRID = Limit("table.grid", "表格的格子数（行×列）", 2_000_000)
#: Table cells of a document, all tables together.
DOC_CELLS = Limit("doc.cells", "文档中表格单元格的总数", 300_000)

# -- PDF content: counted while the content streams are inflated and tokenized -----------------
#: Operators of one page (form XObjects counted each time they are drawn) and of the whole file.
PDF_PAGE_OPS = Limit("pdf.page_ops", "页面的绘图指令数", 100_000)
PDF_FILE_OPS = Limit("pdf.file_ops", "PDF 全文的绘图指令数", 1_500_000)
#: Tokens (operators, operands, comments) of the content streams of one page and of the whole file:
#: what the tokenizer's time is proportional to.
PDF_PAGE_TOKENS = Limit("pdf.page_tokens", "页面内容流的词元（指令、操作数、注释）个数", 300_000)
PDF_FILE_TOKENS = Limit("pdf.file_tokens", "PDF 全文内容流的词元（指令、操作数、注释）个数", 3_000_000)
#: Values collected by one operator or one array (a real one takes a few dozen, a ``TJ`` line hundreds).
PDF_OPERANDS = Limit("pdf.operands", "一条绘图指令的操作数个数", 65_536)
#: Inflated content-stream bytes of one page (form XObjects counted each time they are drawn) and
#: of the whole file.  The spec advises inline images of at most 4 KB; images in XObjects are not read.
PDF_PAGE_BYTES = Limit("pdf.page_bytes", "页面内容流解压后的大小", 4 * MiB, "bytes")
PDF_FILE_BYTES = Limit("pdf.file_bytes", "PDF 全文内容流解压后的大小", 32 * MiB, "bytes")
PDF_XOBJECT_DEPTH = Limit("pdf.xobject_depth", "表单对象（XObject）的嵌套层数", 12, "层")
PDF_XOBJECT_DRAWS = Limit("pdf.xobject_draws", "页面绘制表单对象（XObject）的次数", 5_000, "次")
PDF_PAGES = Limit("pdf.pages", "PDF 页数", 10_000, "页")

# -- the worker process of :mod:`.guard` -------------------------------------------------------
#: Address-space cap of the worker that reads one upload (MB).
WORKER_MEMORY_MB = 2048
#: Wall-clock limit of the worker that reads one upload (seconds).
WORKER_SECONDS = 180.0


# ---------------------------------------------------------------------------------------------
# zip containers

_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
#: How far into an XML part its root element must start (the prolog holds ``<?xml …?>`` and comments).
_PROLOG_BYTES = 64 * 1024
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def check_zip(zf: zipfile.ZipFile, *, source: str | None = None) -> None:
    """The budgets of a zip container, from its directory (the declared sizes, which Python's
    :mod:`zipfile` never reads past), then each XML part's prolog: a ``<!DOCTYPE`` or ``<!ENTITY``
    (XXE, billion laughs) is refused before any XML parser sees it."""
    infos = zf.infolist()
    ZIP_ENTRIES.check(len(infos), source=source)
    total = xml = 0
    for info in infos:
        total += info.file_size
        if _XML_PART.search(info.filename):
            xml += info.file_size
        if info.file_size > ZIP_RATIO_FLOOR:
            ratio = info.file_size // max(info.compress_size, 1)
            ZIP_RATIO.check(ratio, source=source, where=f"「{info.filename}」：")
    ZIP_TOTAL_BYTES.check(total, source=source)
    ZIP_XML_BYTES.check(xml, source=source)
    for info in infos:
        if _XML_PART.search(info.filename) and info.file_size:
            _check_prolog(zf, info, source)


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str | None) -> None:
    with zf.open(info) as fh:
        head = fh.read(_PROLOG_BYTES)
    text = head.replace(b"\x00", b"")  # UTF-16 parts: the ASCII markup without its zero bytes
    root = _ROOT_START.search(text)
    prolog = text[: root.start()] if root else text
    if _DECLARATION.search(prolog) or (root is None and len(head) == _PROLOG_BYTES):
        raise UnsafeXmlError(
            f"文件中的「{info.filename}」含有 XML 文档类型或实体声明（DOCTYPE/ENTITY），为安全起见不予读取",
            english="XML part with a DTD or entity declarations",
            source=source,
        )


def check_package(package: str | Path | BinaryIO | bytes, *, source: str | None = None) -> None:
    """:func:`check_zip` on a path, a seekable stream (rewound afterwards) or bytes."""
    import io

    stream = io.BytesIO(package) if isinstance(package, bytes | bytearray) else package
    try:
        with zipfile.ZipFile(stream) as zf:
            check_zip(zf, source=source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise CorruptFileError(
            "文件已损坏或不完整（压缩包无法打开），无法读取",
            english=f"corrupt zip container: {type(exc).__name__}",
            source=source,
        ) from None
    except (NotImplementedError, RuntimeError) as exc:  # an unsupported compression method, encryption
        raise CorruptFileError(
            "文件使用了不支持的压缩方式或已加密，无法读取", english=f"unsupported zip: {exc}", source=source
        ) from None
    finally:
        if hasattr(stream, "seek"):
            stream.seek(0)
