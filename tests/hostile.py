"""A hostile corpus, generated (nothing big is stored): files of a few KB or MB that would make a
naive reader run for minutes or grow to gigabytes, and damaged or odd files.  Each builder returns
the file's bytes; :func:`parse_beside_seed` runs ``perfeval parse`` on them next to the seed PDF in
one CLI call under a 3 GiB address-space cap and a time limit."""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seedpaths import SEED_PDF, SEED_TEXT

MiB = 1024 * 1024
CAP = 3 * 1024 * MiB
LIMIT_SECONDS = 60

# ---------------------------------------------------------------------------------------------
# running the CLI


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def lines_about(self, name: str) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if name in ln]


def _cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def parse_beside_seed(paths: list[Path], *, timeout: float = LIMIT_SECONDS) -> Run:
    """``perfeval parse SEED_PDF *paths`` in a child process under the cap; raises
    ``subprocess.TimeoutExpired`` when it does not end in time."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PERFEVAL_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "perfeval", "parse", str(SEED_PDF), *map(str, paths)],
        capture_output=True,
        timeout=timeout,
        preexec_fn=_cap,
        env=env,
    )
    return Run(
        proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    )


#: A case of a corpus: file name -> (builder of its bytes, a fragment of its expected line).
Cases = dict[str, tuple[Callable[[], bytes], str]]


def parse_cases(folder: Path, cases: Cases, good: tuple[Path, ...] = ()) -> Run:
    """Write every case into ``folder`` and parse them (and the ``good`` files) beside the seed PDF."""
    paths = []
    for name, (build, _) in cases.items():
        path = folder / name
        path.write_bytes(build())
        paths.append(path)
    return parse_beside_seed([*paths, *good])


def check_batch(run: Run, cases: Cases, forms: int = 5) -> None:
    """The good files' forms are all read; one line per case and nothing else on stderr."""
    assert run.returncode == 1
    assert run.stdout.startswith(f"共 {forms} 张自评表"), run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == len(cases), run.stderr  # no library chatter
    for bad in ("内部错误", "Traceback", "MemoryError"):
        assert bad not in run.stderr


def check_line(run: Run, cases: Cases, name: str) -> None:
    """One clear ``perfeval:`` line about ``name``, with the expected fragment."""
    (line,) = run.lines_about(name)
    assert cases[name][1] in line, line
    assert line.startswith("perfeval: ")


def corpus_tests(
    cases: Cases, folder: str, forms: int = 5, good: Callable[[Path], tuple[Path, ...]] | None = None
) -> tuple[Callable, Callable, Callable]:
    """The module fixture ``run`` (every case, and the files ``good`` writes, parsed in one call) and
    the two tests over it, :func:`check_batch` and a :func:`check_line` per case; a test module
    binds them as ``run, test_the_batch, test_one_clear_line = corpus_tests(...)``."""
    import pytest

    @pytest.fixture(scope="module")
    def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
        path = tmp_path_factory.mktemp(folder)
        return parse_cases(path, cases, good(path) if good else ())

    def test_the_batch(run: Run) -> None:
        check_batch(run, cases, forms=forms)

    @pytest.mark.parametrize("name", list(cases))
    def test_one_clear_line(run: Run, name: str) -> None:
        check_line(run, cases, name)

    return run, test_the_batch, test_one_clear_line


# ---------------------------------------------------------------------------------------------
# zip containers


def _crc_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from already-deflated entries ``(name, raw_deflate, crc, size)``: the same
    compressed blob can be stored many times (a zip bomb of a few MB without deflating GBs)."""
    out = bytearray()
    central = bytearray()
    for name, blob, crc, size in entries:
        fname = name.encode("utf-8")
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(blob), size, len(fname), 0
        )
        out += fname + blob
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0x800,
            8,
            0,
            0x21,
            crc,
            len(blob),
            size,
            len(fname),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += fname
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def _rezip(data: bytes, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a zip with some entries replaced (``None``: removed) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    dst.writestr(info.filename, changes[info.filename])
            else:
                dst.writestr(info.filename, src.read(info.filename))
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def small_xlsx(cells: dict[str, str] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for ref, value in (cells or {"A1": "项目支出绩效自评表", "A2": "项目名称", "B2": "测试"}).items():
        ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def small_ods() -> bytes:
    """The two parts that make a zip an OpenDocument spreadsheet to perfeval's detection."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
            "</office:document-content>",
        )
    return out.getvalue()


def _sheet_with(after_data: bytes) -> bytes:
    data = small_xlsx()
    xml = _entries(data)[SHEET]
    return _rezip(data, {SHEET: xml.replace(b"</sheetData>", b"</sheetData>" + after_data, 1)})


def xlsx_far_cell() -> bytes:
    """One cell at XFD1048576 beside a title at A1."""
    return small_xlsx({"A1": "项目支出绩效自评表", "XFD1048576": "x"})


def xlsx_whole_sheet_merge() -> bytes:
    return _sheet_with(b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')


def xlsx_whole_sheet_hyperlink() -> bytes:
    return _sheet_with(b'<hyperlinks><hyperlink ref="A1:XFD1048576" display="x"/></hyperlinks>')


def xlsx_grid(rows: int, cols: int = 1) -> bytes:
    """A workbook whose sheet holds ``rows`` x ``cols`` numbers (the year 2000), written as raw XML."""
    from openpyxl.utils import get_column_letter

    data = small_xlsx()
    xml = _entries(data)[SHEET]
    letters = [get_column_letter(c).encode() for c in range(1, cols + 1)]
    rows_xml = b"".join(
        b'<row r="%d">' % i
        + b"".join(b'<c r="%s%d"><v>2000</v></c>' % (col, i) for col in letters)
        + b"</row>"
        for i in range(1, rows + 1)
    )
    xml = re.sub(
        rb"<sheetData>.*</sheetData>|<sheetData/>",
        lambda _: b"<sheetData>" + rows_xml + b"</sheetData>",
        xml,
        flags=re.S,
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, xml if info.filename == SHEET else src.read(info.filename))
    return out.getvalue()


def xlsx_million_rows() -> bytes:
    """1,000,000 rows of a year in column A (the issue's 255 s / 4.8 GB file)."""
    return xlsx_grid(1_000_000)


def zip_bomb(base: bytes, part: str, mib: int = 64, copies: int = 47) -> bytes:
    """``base`` with ``part`` padded by ``mib`` MiB of spaces inside its root element, and ``copies``
    more copies of that deflated blob as media files: by default about 3 MB that declares 3 GiB."""
    xml = _entries(base)[part]
    root_end = xml.rindex(b"</")
    bomb = xml[:root_end] + b" " * (mib * MiB) + xml[root_end:]
    blob, crc, size = _deflated(bomb)
    entries = []
    for name, body in _entries(base).items():
        if name == part:
            entries.append((name, blob, crc, size))
        else:
            entries.append((name, *_deflated(body)))
    entries += [(f"xl/media/image{i}.bin", blob, crc, size) for i in range(copies)]
    return _crc_zip(entries)


def zip_many_entries(base: bytes) -> bytes:
    return _rezip(base, {}, {f"customXml/item{i}.bin": b"" for i in range(10_050)})


XXE = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def with_dtd(base: bytes, part: str, dtd: bytes, entity: bytes = b"") -> bytes:
    """``part`` with a DOCTYPE (and an entity reference in the first text)."""
    xml = _entries(base)[part]
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
    if entity:
        body = body.replace(b"<t>", b"<t>" + entity, 1).replace(b"<w:t>", b"<w:t>" + entity, 1)
    return _rezip(base, {part: dtd + body})


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


def small_docx(span: int | None = None, before: int | None = None, grid: bool = True) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表")
    table = document.add_table(rows=2, cols=3)
    for r in range(2):
        for c in range(3):
            table.cell(r, c).text = f"格{r}{c}"
    buf = io.BytesIO()
    document.save(buf)
    data = buf.getvalue()
    if span is None and before is None and grid:
        return data
    xml = _entries(data)["word/document.xml"]
    if span is not None:
        xml = xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="%d"/>' % span, 1)
    if before is not None:
        xml = re.sub(
            rb"<w:tr( [^>]*)?>",
            lambda m: m.group(0) + b'<w:trPr><w:gridBefore w:val="%d"/></w:trPr>' % before,
            xml,
            count=1,
        )
    if not grid:
        xml = re.sub(rb"<w:tblGrid>.*?</w:tblGrid>", b"", xml, flags=re.S)
    return _rezip(data, {"word/document.xml": xml})


def docx_deep() -> bytes:
    data = small_docx()
    xml = _entries(data)["word/document.xml"]
    deep = b"<w:sdt><w:sdtContent>" * 50_000 + b"</w:sdtContent></w:sdt>" * 50_000
    return _rezip(data, {"word/document.xml": xml.replace(b"<w:body>", b"<w:body>" + deep, 1)})


# ---------------------------------------------------------------------------------------------
# PDF


def pdf_file(
    objects: dict[int, bytes], *, root: int = 1, trailer: bytes = b"", prev_loop: bool = False
) -> bytes:
    """A PDF from numbered object bodies, with a classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    prev = b"/Prev %d " % xref if prev_loop else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R %s%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        prev,
        trailer,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pages(n_pages: int, contents: bytes, resources: bytes = b"<< >>", first: int = 10) -> dict[int, bytes]:
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(n_pages))
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages),
    }
    for i in range(n_pages):
        objs[first + i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s /Resources %s >>"
            % (contents, resources)
        )
    return objs


def _pages_drawing(n_pages: int, content: bytes) -> bytes:
    """A PDF of ``n_pages`` pages that all draw one shared (deflated) content stream."""
    objs = _pages(n_pages, b"3 0 R")
    objs[3] = stream(content)
    return pdf_file(objs)


def pdf_contents_array() -> bytes:
    """A page whose /Contents array names one 10 MiB stream 300 times: 3 GB when inflated."""
    objs = _pages(1, b"[" + b"3 0 R " * 300 + b"]")
    objs[3] = stream(b" " * (10 * MiB))
    return pdf_file(objs)


def pdf_huge_pages() -> bytes:
    """200 pages that each draw 70 MB of operators (one shared stream)."""
    return _pages_drawing(200, b"q Q\n" * (70 * MiB // 4))


def pdf_many_ops() -> bytes:
    """200 pages, each 3 MB of operators: under the byte budget of a page, over its operators."""
    return _pages_drawing(200, b"0 0 m\n" * (MiB // 2))


def pdf_pages_of_ops(pages: int, ops: int) -> bytes:
    """``pages`` pages that each draw ``ops`` operators (one shared stream)."""
    return _pages_drawing(pages, b"q Q " * (ops // 2))


def pdf_operand_flood(pages: int = 200) -> bytes:
    """Pages of 4 MB of numbers and no operator at all."""
    return _pages_drawing(pages, b"0 " * (2 * MiB - 64))


def pdf_self_drawing_xobject() -> bytes:
    """A 1 KB PDF whose form XObject draws itself 40 times per level."""
    objs = _pages(1, b"4 0 R", b"<< /XObject << /X 3 0 R >> >>")
    objs[3] = stream(
        b"/X Do " * 40,
        b" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 3 0 R >> >>",
    )
    objs[4] = stream(b"/X Do")
    return pdf_file(objs)


def pdf_deep_xobjects() -> bytes:
    """A chain of 30 form XObjects, each drawing the next once."""
    objs = _pages(1, b"4 0 R", b"<< /XObject << /X 100 0 R >> >>")
    objs[4] = stream(b"/X Do")
    for i in range(30):
        objs[100 + i] = stream(
            b"/X Do",
            b" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X %d 0 R >> >>"
            % (101 + i),
        )
    objs[130] = stream(b"0 0 m 1 1 l S", b" /Type /XObject /Subtype /Form /BBox [0 0 10 10]")
    return pdf_file(objs)


def pdf_objstm_bomb() -> bytes:
    """The catalog inside an object stream that declares 100 million objects over 30 MB of pairs."""
    pairs = b"1 0 " * (30 * MiB // 4)
    first = len(pairs)
    body = pairs + b"<< /Type /Catalog /Pages 2 0 R >>"
    objs_stream = zlib.compress(body, 9)
    out = bytearray(b"%PDF-1.7\n")
    offs = {}
    offs[2] = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    offs[3] = len(out)
    out += (
        b"3 0 obj\n<< /Type /ObjStm /N 100000000 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (first, len(objs_stream))
    )
    out += objs_stream + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = b"".join(
        [
            struct.pack(">BIH", 0, 0, 65535),
            struct.pack(">BIH", 2, 3, 0),  # object 1: in object stream 3, index 0
            struct.pack(">BIH", 1, offs[2], 0),
            struct.pack(">BIH", 1, offs[3], 0),
            struct.pack(">BIH", 1, xref_at, 0),
        ]
    )
    out += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_deep_catalog() -> bytes:
    """A catalog entry nested 100,000 arrays deep."""
    objs = _pages(1, b"3 0 R")
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 100_000 + b"]" * 100_000 + b" >>"
    objs[3] = stream(b"BT ET")
    return pdf_file(objs)


def pdf_deep_page_tree() -> bytes:
    """A page tree 5,000 levels deep."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    depth = 5000
    for i in range(depth):
        objs[2 + i] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + i)
    objs[2 + depth] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (1 + depth)
    return pdf_file(objs)


def pdf_kids_loop() -> bytes:
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"}
    objs[3] = b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"
    return pdf_file(objs)


def pdf_xref_loop() -> bytes:
    objs = _pages(1, b"3 0 R")
    objs[3] = stream(b"BT ET")
    return pdf_file(objs, prev_loop=True)


def pdf_encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(SEED_PDF))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_huge_length() -> bytes:
    objs = _pages(1, b"3 0 R")
    objs[3] = b"<< /Length 999999999999 >>\nstream\nBT ET\nendstream"
    return pdf_file(objs)


# ---------------------------------------------------------------------------------------------
# text


def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")


def full_width(text: str) -> str:
    """ASCII digits, letters and punctuation as their full-width forms (U+FF01..U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
