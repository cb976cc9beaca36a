"""Images that are not forms, huge images, cancelling, and how image files are recognised — each a
clear one-line message, on images built here."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from perfeval.ingest import _kind, read_bytes, read_forms
from perfeval.ingest.errors import BlankImageError, CorruptFileError, ImportCancelledError, NotAFormError
from perfeval.ingest.ocr import clean_read
from perfeval.ingest.ocr_image import WORK_SIDE, image_pages, ink_mask, text_is_sideways


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_blank_photo_says_blank() -> None:
    with pytest.raises(BlankImageError) as exc:
        read_bytes("blank.png", _png(Image.new("L", (1240, 1754), 250)))
    assert exc.value.message == "图片是空白页，没有找到文字"


def test_photo_of_something_else_is_not_a_form() -> None:
    img = Image.new("RGB", (1240, 1754), (210, 200, 190))
    draw = ImageDraw.Draw(img)
    rng = np.random.default_rng(3)
    for _ in range(25):  # a picture: blobs and strokes, no ruled table
        x, y = rng.integers(0, 1100), rng.integers(0, 1600)
        draw.ellipse((x, y, x + rng.integers(30, 140), y + rng.integers(30, 140)), fill=(40, 60, 30))
    with pytest.raises(NotAFormError) as exc:
        read_bytes("cat.jpg", _png(img))
    assert "没有找到项目支出绩效自评表" in exc.value.message


def test_broken_image_file() -> None:
    with pytest.raises(CorruptFileError) as exc:
        read_bytes("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(300))
    assert "图片" in exc.value.message


def test_100_megapixel_photo_is_reduced_while_decoding(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    Image.new("L", (12000, 8400), 255).save(path, "JPEG", quality=50)  # 100.8 megapixels
    pages = list(image_pages(path))
    assert len(pages) == 1 and max(pages[0].gray.shape) <= WORK_SIDE * 1.2
    with pytest.raises(BlankImageError):
        read_forms(path)


def test_cancel_between_pages_of_a_long_tiff(tmp_path: Path) -> None:
    path = tmp_path / "long.tif"
    frames = [Image.new("L", (620, 877), 255) for _ in range(5)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    seen: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:
            raise ImportCancelledError("已取消导入", english="cancelled")

    with pytest.raises(ImportCancelledError):
        read_forms(path, on_progress=on_progress)
    assert seen == [(1, 5), (2, 5)]


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n", "a.png", "image"),
        (b"\xff\xd8\xff\xe0", "photo.JPG", "image"),
        (b"II*\x00", "scan.tif", "image"),
        (b"MM\x00*", "scan.tiff", "image"),
        (b"BM6\x00", "scan.bmp", "image"),
        (b"BM is how this note starts", "note.txt", "txt"),
    ],
)
def test_images_are_recognised_by_content(head: bytes, name: str, kind: str) -> None:
    assert _kind(head, Path(name).suffix.lower(), None) == kind


def test_sideways_text_is_detected() -> None:
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    for row in range(30):  # lines of "words": short dark blocks with gaps, as text prints
        for word in range(12):
            x, y = 100 + word * 85, 120 + row * 50
            draw.rectangle((x, y, x + 60, y + 18), fill=0)
    upright = ink_mask(np.asarray(img))
    assert not text_is_sideways(upright)
    assert text_is_sideways(np.ascontiguousarray(np.rot90(upright)))


def test_letters_read_in_a_number_become_digits() -> None:
    assert clean_read("25O,0l0.00") == "250,010.00"
    assert clean_read("项目O") == "项目O"
