"""Page images for OCR: loading (PIL, multi-page TIFF, huge photos downscaled while decoding), deskew,
90°/180° orientation, binarisation and ruling lines by morphology (numpy + OpenCV).

Every function works on one gray ``uint8`` page at a time, so a long scan is held one page at a time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from .errors import CorruptFileError, FileTooLargeError

#: The longer side (pixels) a page is worked at: about 200 dpi on A4.  Larger images are reduced to it.
WORK_SIDE = 2400
#: Images beyond this many pixels are refused outright (a decompression bomb rather than a photo).
MAX_PIXELS = 400_000_000
#: A4's longer side in points: a page image is assumed to be an A4 sheet (portrait or landscape).
A4_LONG_PT = 842.0


@dataclass(slots=True)
class PageImage:
    """A gray page and its scale: ``pt_per_px`` converts pixels to PDF points."""

    number: int
    gray: np.ndarray
    pt_per_px: float


def _reduced(img: Image.Image) -> Image.Image:
    """A gray image whose longer side is at most about :data:`WORK_SIDE`: JPEGs decode at a reduced
    scale (``draft``), others are reduced after decoding, one frame at a time."""
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise FileTooLargeError(
            f"图片过大（{w}×{h} 像素），超过 {MAX_PIXELS // 1_000_000} 百万像素上限",
            english="image too large",
        )
    long = max(w, h)
    if long > WORK_SIDE and img.format == "JPEG":
        img.draft("L", (w * WORK_SIDE // long, h * WORK_SIDE // long))
    img = img.convert("L") if img.mode != "L" else img
    factor = max(img.size) // WORK_SIDE
    if factor >= 2:
        img = img.reduce(factor)
    if max(img.size) > WORK_SIDE * 1.2:
        scale = WORK_SIDE / max(img.size)
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
    return img


def image_pages(source: Path | bytes, name: str | None = None) -> Iterator[PageImage]:
    """Each frame of an image file (PNG, JPEG, TIFF, BMP) as a gray page, one at a time."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(source if isinstance(source, Path) else io.BytesIO(source))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise CorruptFileError(
            "图片文件已损坏或无法识别", english=f"unreadable image: {exc}", source=name
        ) from None
    except Image.DecompressionBombError:
        raise FileTooLargeError(
            f"图片过大，超过 {MAX_PIXELS // 1_000_000} 百万像素上限", english="image too large", source=name
        ) from None
    with img:
        for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
            try:
                gray = np.asarray(_reduced(frame))
            except (OSError, ValueError, SyntaxError) as exc:
                raise CorruptFileError(
                    f"图片第 {number} 页已损坏，无法读取", english=f"broken image frame: {exc}", source=name
                ) from None
            yield PageImage(number, gray, A4_LONG_PT / max(gray.shape))


def pdf_page_image(page: object, number: int, dpi: int = 200) -> PageImage:
    """A pypdfium2 page rendered gray at ``dpi``."""
    gray = np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))  # type: ignore[attr-defined]
    return PageImage(number, gray, 72.0 / dpi)


# --------------------------------------------------------------------------------------------- ink


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark marks as 255 on 0, robust to uneven lighting (a local-mean threshold)."""
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _rotate(img: np.ndarray, degrees: float, border: int) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def skew_angle(ink: np.ndarray, limit: float = 3.0) -> float:
    """The rotation (degrees, for :func:`deskew`) that makes rows of text and ruling lines level: the
    angle maximising the variance of row sums, searched coarse then fine on a reduced mask."""
    small = cv2.resize(ink, (ink.shape[1] // 3, ink.shape[0] // 3), interpolation=cv2.INTER_AREA)

    def sharpness(a: float) -> float:
        rows = _rotate(small, a, 0).sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    best = max(np.arange(-limit, limit + 1e-9, 0.25), key=sharpness)
    return float(max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=sharpness))


def deskew(gray: np.ndarray, angle: float) -> np.ndarray:
    return gray if abs(angle) < 0.02 else _rotate(gray, angle, 255)


def text_is_sideways(ink: np.ndarray) -> bool:
    """Whether lines of text run top to bottom (the page is turned by 90°): characters smeared along a
    line join into wide blobs when text is horizontal, tall ones when it is vertical."""

    def elongated(mask: np.ndarray) -> int:
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
        return int(np.count_nonzero((w > 3 * h) & (h >= 6) & (h < 80)))

    small = cv2.resize(ink, (ink.shape[1] // 2, ink.shape[0] // 2), interpolation=cv2.INTER_AREA)
    small = cv2.threshold(small, 100, 255, cv2.THRESH_BINARY)[1]
    text = cv2.subtract(small, ruling_mask(small, 60))
    along = elongated(cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((1, 9), np.uint8)))
    across = elongated(cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((9, 1), np.uint8)).T.copy())
    return across > 1.5 * along + 5


def ruling_mask(ink: np.ndarray, length: int) -> np.ndarray:
    """Horizontal and vertical strokes at least ``length`` pixels long."""
    return cv2.bitwise_or(_lines(ink, length, True), _lines(ink, length, False))


def _lines(ink: np.ndarray, length: int, horizontal: bool) -> np.ndarray:
    kernel = np.ones((1, length) if horizontal else (length, 1), np.uint8)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)


Segment = tuple[float, float, float]


def ruling_segments(
    ink: np.ndarray, h_length: int, v_length: int
) -> tuple[list[Segment], list[Segment], np.ndarray]:
    """Horizontal segments ``(y, x0, x1)`` at least ``h_length`` long and vertical ones ``(x, y0, y1)``
    at least ``v_length`` long, in pixels (y down), and the mask of their pixels (to take them out of the
    text).  Strokes along the image's edges (the border a rotation leaves) are not lines."""
    out: list[list[Segment]] = []
    masks = []
    rows, cols = ink.shape
    for horizontal in (True, False):
        length = h_length if horizontal else v_length
        mask = _lines(ink, length, horizontal)
        masks.append(mask)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        segs: list[Segment] = []
        for x, y, w, h, _area in stats[1:]:
            if horizontal and h <= 14 and w >= length and 8 < y < rows - 8 - h:
                segs.append((y + h / 2, float(x), float(x + w)))
            elif not horizontal and w <= 14 and h >= length and 8 < x < cols - 8 - w:
                segs.append((x + w / 2, float(y), float(y + h)))
        out.append(segs)
    return out[0], out[1], cv2.bitwise_or(masks[0], masks[1])
