"""Bad input: every case is one PerfevalError with a clear Chinese line, on real files built here."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from seedpaths import SEED_PDF

from perfeval.errors import InputFormatError, PerfevalError
from perfeval.ingest import read_bytes, read_forms
from perfeval.ingest.errors import (
    CorruptFileError,
    EncryptedPdfError,
    NotAFormError,
    ScannedPdfError,
    UnreadableFontsError,
)
from perfeval.ingest.pdf_forms import garbage_chars


@pytest.fixture()
def seed_pdf() -> Path:
    return SEED_PDF


def _encrypted(seed: Path, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(seed))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _drawing(draw_text: bool = False, image: bool = False) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(5):  # a ruled table without any text
        c.line(50, 700 - 20 * i, 500, 700 - 20 * i)
    c.line(50, 620, 50, 700)
    c.line(500, 620, 500, 700)
    if image:
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        img = Image.new("RGB", (200, 100), "white")
        c.drawImage(ImageReader(img), 50, 300, width=400, height=200)
    if draw_text:
        c.setFont("Helvetica", 12)
        c.drawString(60, 500, "Quarterly minutes of the garden committee")
        c.drawString(60, 480, "Nothing here is a self-evaluation form.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _without_tounicode(seed: Path) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(seed))
    for page in writer.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if NameObject("/ToUnicode") in font:
                del font[NameObject("/ToUnicode")]
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_encrypted_with_a_password_says_so(seed_pdf: Path) -> None:
    with pytest.raises(EncryptedPdfError) as exc:
        read_bytes("locked.pdf", _encrypted(seed_pdf, "secret", "owner"))
    assert "需要密码" in exc.value.message
    assert exc.value.source == "locked.pdf"


def test_encrypted_with_the_empty_password_opens(seed_pdf: Path) -> None:
    forms = read_bytes("owner-only.pdf", _encrypted(seed_pdf, "", "owner"))
    assert [f.project_name for f in forms] == [f.project_name for f in read_forms(seed_pdf)]


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.97])
def test_truncated_pdf(seed_pdf: Path, keep: float) -> None:
    data = seed_pdf.read_bytes()
    with pytest.raises(CorruptFileError) as exc:
        read_bytes("cut.pdf", data[: int(len(data) * keep)])
    assert "损坏或不完整" in exc.value.message


def test_garbage_bytes_with_pdf_extension(tmp_path: Path) -> None:
    p = tmp_path / "noise.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(CorruptFileError):
        read_forms(p)


def test_drawing_without_text_is_called_a_scan() -> None:
    with pytest.raises(ScannedPdfError) as exc:
        read_bytes("lines.pdf", _drawing())
    assert "扫描件" in exc.value.message


def test_image_only_pdf_is_called_a_scan() -> None:
    with pytest.raises(ScannedPdfError):
        read_bytes("scan.pdf", _drawing(image=True))


def test_scan_with_printed_page_numbers_is_still_a_scan() -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(3):
        c.drawImage(ImageReader(Image.new("RGB", (60, 80), "white")), 50, 100, width=500, height=700)
        c.setFont("Helvetica", 9)
        c.drawString(290, 30, f"- {i + 1} -")
        c.showPage()
    c.save()
    with pytest.raises(ScannedPdfError):
        read_bytes("scan-numbered.pdf", buf.getvalue())


def test_text_that_is_not_a_form() -> None:
    with pytest.raises(NotAFormError) as exc:
        read_bytes("minutes.pdf", _drawing(draw_text=True))
    assert "没有找到项目支出绩效自评表" in exc.value.message


def test_fonts_without_unicode_mapping_are_reported(seed_pdf: Path) -> None:
    with pytest.raises(UnreadableFontsError) as exc:
        read_bytes("cid.pdf", _without_tounicode(seed_pdf))
    assert "字体" in exc.value.message


def test_garbage_counter() -> None:
    assert garbage_chars("项目名称") == 0
    assert garbage_chars("\ufffd\ufffd") == 2
    assert garbage_chars("\ue000\ue001x") == 2
    assert garbage_chars("(cid:12)(cid:7)") >= 8


def test_other_bad_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(CorruptFileError):
        read_forms(empty)
    with pytest.raises(InputFormatError):
        read_forms(tmp_path / "missing.pdf")
    with pytest.raises(InputFormatError):
        read_forms(tmp_path)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(CorruptFileError) as exc:
        read_forms(legacy)
    assert "损坏" in exc.value.message
    odd = tmp_path / "photo.bmp"
    odd.write_bytes(b"BM" + bytes(200))
    with pytest.raises(InputFormatError):
        read_forms(odd)
    zipped = tmp_path / "cut.xlsx"
    zipped.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(CorruptFileError):
        read_forms(zipped)
    docx = tmp_path / "cut.docx"
    docx.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(CorruptFileError):
        read_forms(docx)
    bad_json = tmp_path / "x.json"
    bad_json.write_text("{", encoding="utf-8")
    with pytest.raises(PerfevalError):
        read_forms(bad_json)


def test_cli_prints_the_good_file_and_exits_1(tmp_path: Path, seed_pdf: Path) -> None:
    bad = tmp_path / "locked.pdf"
    bad.write_bytes(_encrypted(seed_pdf, "secret", "owner"))
    proc = subprocess.run(
        [sys.executable, "-m", "perfeval", "parse", str(seed_pdf), str(bad), "--json"],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.count('"project_name"') == 5
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "locked.pdf" in lines[0] and "需要密码" in lines[0]
    assert "Traceback" not in proc.stderr
