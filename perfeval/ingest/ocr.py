"""Scanned pages and photos -> the same page content a PDF text layer gives (:class:`~.pdf.PageContent`).

One page at a time (:mod:`.ocr_image`): the page is binarised, turned upright (90° by the shape of
its lines of text, 180° by which way the recogniser reads it better) and levelled (deskew), its ruling
lines are found by morphology and become the same cell grid the PDF path builds (:mod:`.grid`).  Inside
each cell, and in the page outside the tables, lines of text are found by ink projection and cut into
pieces at wide gaps; only those crops go through the recogniser (:mod:`.ocr_engine`), in batches.  Each
piece becomes an :class:`OcrRun` (a :class:`~.pdf.Run` with its page, pixel box, confidence and a small
JPEG of the crop for the app), so :func:`~.grid.page_blocks` and :mod:`.assemble` read the page exactly
as they read a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from .grid import _components, _merge_segments, _table_from_lines
from .ocr_engine import Recognised, recognise
from .ocr_image import (
    PageImage,
    deskew,
    ink_mask,
    ruling_segments,
    skew_angle,
    text_is_sideways,
)
from .pdf import PageContent, Run

#: The height of a recognition crop, in line heights (see :func:`_crop`).
FRAME = 2.0
#: Share of dark pixels below which a page is blank.
BLANK_INK = 0.0015
#: A horizontal ruling line is at least this long (points): longer than a word's strokes, shorter
#: than the narrowest column.
H_LINE_PT = 36.0
#: A vertical ruling line is at least this long (points): longer than a character, shorter than a row.
V_LINE_PT = 15.0


@dataclass(slots=True)
class OcrRun(Run):
    """A run read by OCR: ``box`` is ``(x0, y0, x1, y1)`` in the page image's pixels (y down)."""

    page: int = 1
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    score: float = 1.0
    lowest: float = 1.0
    crop: bytes = field(default=b"", repr=False)


@dataclass(slots=True)
class OcrPage:
    """A recognised page: its content for :func:`~.grid.page_blocks`, and whether it was blank."""

    content: PageContent
    blank: bool = False
    turned: int = 0
    skew: float = 0.0


# ------------------------------------------------------------------------------------------ pieces


def _bands(profile: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """Runs of non-zero entries, joined across gaps shorter than ``min_gap``."""
    on = np.flatnonzero(profile > 0)
    if on.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(on) > min_gap)
    starts = np.concatenate(([on[0]], on[cuts + 1]))
    ends = np.concatenate((on[cuts], [on[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _split_tall(text: np.ndarray, y0: int, y1: int, line_h: float) -> list[tuple[int, int]]:
    """A band taller than one line cut where lines touch: at rows much lighter than the band's typical
    row (a large title is one line, two wrapped lines touching by a descender are two)."""
    rows = text[y0:y1].sum(axis=1, dtype=np.int64)
    typical = float(np.median(rows[rows > 0])) if np.any(rows > 0) else 0.0
    out, start = [], y0
    y = y0 + int(0.7 * line_h)
    while y < y1 - int(0.7 * line_h):
        lo, hi = y, min(y1 - int(0.5 * line_h), y + int(0.6 * line_h))
        if hi <= lo:
            break
        cut = lo + int(np.argmin(rows[lo - y0 : hi - y0]))
        if rows[cut - y0] <= 0.12 * typical:
            out.append((start, cut))
            start = cut
            y = cut + int(0.7 * line_h)
        else:
            y = hi
    out.append((start, y1))
    return out


def text_pieces(
    text: np.ndarray, x0: int, y0: int, x1: int, y1: int, line_h: float
) -> list[tuple[int, int, int, int]]:
    """Boxes of the pieces of text in a region: lines by row projection, cut into pieces at gaps wider
    than about one character."""
    region = text[y0:y1, x0:x1]
    if region.size == 0:
        return []
    out = []
    # strokes of one symbol (=, ≤) are a few rows apart, lines of text farther
    for a, b in _bands(region.sum(axis=1, dtype=np.int64), max(2, int(0.25 * line_h))):
        if b - a < 3:
            continue
        for a2, b2 in _split_tall(region, a, b, line_h) if b - a > 1.6 * line_h else [(a, b)]:
            cols = region[a2:b2].sum(axis=0, dtype=np.int64)
            gap = max(6, int(1.2 * min(b2 - a2, line_h)))
            edge = a2 <= 1 or b2 >= region.shape[0] - 1  # a flat sliver along the border: a line's remnant
            if edge and b2 - a2 <= 0.25 * line_h:
                continue
            for c0, c1 in _bands(cols, gap):
                if (
                    c1 - c0 < 3
                    or (c1 - c0) * (b2 - a2) < 12
                    or (c1 - c0 < 0.5 * line_h and b2 - a2 < 0.4 * line_h)
                ):
                    continue
                out.append((x0 + c0, y0 + a2, x0 + c1, y0 + b2))
    return out


def _line_height(text: np.ndarray) -> float:
    """The typical height of a line of text (pixels), from the character-sized blobs."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(text, np.ones((1, 5), np.uint8)), connectivity=8
    )
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    h = h[(h >= 6) & (h <= 120)]
    return float(np.median(h)) if h.size else 24.0


def _crop(gray: np.ndarray, box: tuple[int, int, int, int], line_h: float) -> np.ndarray:
    """A piece cut close, then framed in its own paper colour to about twice a line's height: the
    recogniser scales every crop to 48 px high, so the frame keeps the text small and the work (which
    grows with the scaled width) low, without taking in the neighbouring lines."""
    x0, y0, x1, y1 = box
    pad = 2
    piece = gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    if piece.size == 0:
        return piece
    paper = int(np.percentile(piece, 90))
    short = x1 - x0 < 1.5 * line_h  # one or two characters: keep them large enough to tell apart
    frame = max(0, int(((1.3 if short else FRAME) * max(y1 - y0, line_h) - piece.shape[0]) / 2))
    side = max(2, int(0.3 * line_h))
    return cv2.copyMakeBorder(piece, frame, frame, side, side, cv2.BORDER_CONSTANT, value=paper)


_NUMERIC = re.compile(r"^[\dOoIl|,，.。%％\s+\-−]+$")
_DIGIT_FIX = str.maketrans(
    {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "，": ",", "。": ".", "％": "%"}
)


def clean_read(text: str) -> str:
    """Fix the recogniser's letter-for-digit slips in a piece that is a number (``25O0`` -> ``2500``)."""
    text = text.strip()
    if text == "二":  # a lone = (指标性质) read as the character for two
        return "="
    if text and _NUMERIC.match(text) and any(c.isdigit() for c in text):
        return text.translate(_DIGIT_FIX).replace(" ", "")
    return text


def _jpeg(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return buf.tobytes() if ok else b""


# ------------------------------------------------------------------------------------------ a page


@dataclass(slots=True)
class _Layout:
    gray: np.ndarray
    text: np.ndarray
    boxes: list[tuple[int, int, int, int]]
    hlines: list[tuple[float, float, float]]
    vlines: list[tuple[float, float, float]]
    line_h: float


def _layout(gray: np.ndarray, pt_per_px: float) -> _Layout:
    ink = ink_mask(gray)
    hs_px, vs_px, lines = ruling_segments(ink, round(H_LINE_PT / pt_per_px), round(V_LINE_PT / pt_per_px))
    text = cv2.subtract(ink, cv2.dilate(lines, np.ones((3, 3), np.uint8)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= 3)
    if specks.size > 1:
        text[np.isin(labels, specks[specks > 0])] = 0
    text = (text > 0).astype(np.uint8)
    line_h = _line_height(text * 255)
    height_pt = gray.shape[0] * pt_per_px
    s = pt_per_px
    hlines = [(height_pt - y * s, a * s, b * s) for y, a, b in hs_px]
    vlines = [(x * s, height_pt - b * s, height_pt - a * s) for x, a, b in vs_px]
    free = text.copy()
    boxes: list[tuple[int, int, int, int]] = []
    for ch, cv in _components(_merge_segments(hlines), _merge_segments(vlines)):
        table, xs, ys = _table_from_lines(ch, cv, 1)
        inset = 3
        for c in table.cells:
            cx0, cx1 = round(xs[c.col] / s) + inset, round(xs[c.col + c.colspan] / s) - inset
            cy0 = round((height_pt - ys[c.row]) / s) + inset
            cy1 = round((height_pt - ys[c.row + c.rowspan]) / s) - inset
            boxes += text_pieces(text, cx0, cy0, cx1, cy1, line_h)
        tx0, tx1 = round(xs[0] / s) - 2, round(xs[-1] / s) + 2
        ty0, ty1 = round((height_pt - ys[0]) / s) - 2, round((height_pt - ys[-1]) / s) + 2
        free[max(0, ty0) : ty1, max(0, tx0) : tx1] = 0
    margin = max(12, int(0.012 * max(free.shape)))  # the sheet's edge in a photo is not text
    boxes += text_pieces(free, margin, margin, free.shape[1] - margin, free.shape[0] - margin, line_h)
    return _Layout(gray, text, boxes, hlines, vlines, line_h)


def _is_dash(box: tuple[int, int, int, int], line_h: float) -> bool:
    """A single flat stroke about a character or two long (the ``—`` of an empty cell): read as a dash,
    not sent to the recogniser, which takes it for ``1`` or ``一``.  (``=`` is two strokes: taller.)"""
    x0, y0, x1, y1 = box
    return y1 - y0 <= 0.2 * line_h and 0.6 * line_h <= x1 - x0 <= 3 * line_h


_DASH = Recognised("—", 1.0, 1.0)


def symbol(mask: np.ndarray, line_h: float) -> str | None:
    """``=``, ``≥`` or ``≤`` from the shape of a lone small mark (the 指标性质 column), which the
    recogniser reads poorly alone: two flat strokes, or a chevron over a bar (the side where its arms
    spread apart is the open side)."""
    h, w = mask.shape
    if not (0 < w <= 1.1 * line_h and 0 < h <= 0.9 * line_h):
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    parts = sorted((s for s in stats[1:] if s[cv2.CC_STAT_AREA] > 2), key=lambda s: s[cv2.CC_STAT_TOP])
    flat = [p[cv2.CC_STAT_HEIGHT] * 2.5 <= p[cv2.CC_STAT_WIDTH] for p in parts]
    if len(parts) == 2 and all(flat):
        return "="
    if len(parts) == 2 and flat[1] and not flat[0]:
        x, y, cw, ch = (int(v) for v in parts[0][:4])
        arm = mask[y : y + ch, x : x + cw]
    elif len(parts) == 1:
        arm = mask[: max(1, int(0.65 * h))]  # the chevron above the bar it touches
    else:
        return None
    third = max(1, arm.shape[1] // 3)

    def spread(cols: np.ndarray) -> int:
        rows = np.flatnonzero(cols.any(axis=1))
        return int(rows[-1] - rows[0]) if rows.size else 0

    left, right = spread(arm[:, :third]), spread(arm[:, -third:])
    if abs(left - right) < 0.3 * arm.shape[0]:
        return None
    return "≥" if left > right else "≤"


#: What the recogniser makes of a lone ≥, ≤ or = (never a reading of a digit or a word).
_SYMBOL_MISREADS = frozenset("=≥≤<>二三SZNMVvs≦≧＜＞Il|")
#: Misreads that could also be a stroke of a digit: only two flat strokes (=) replace them.
_STROKE_MISREADS = frozenset("Il|")


def _read(layout: _Layout) -> list[Recognised]:
    out = [_DASH] * len(layout.boxes)
    todo = [i for i, b in enumerate(layout.boxes) if not _is_dash(b, layout.line_h)]
    reads = recognise([_crop(layout.gray, layout.boxes[i], layout.line_h) for i in todo])
    for i, read in zip(todo, reads, strict=True):
        out[i] = read
        if len(read.text.strip()) <= 1 and (not read.text.strip() or read.text.strip() in _SYMBOL_MISREADS):
            x0, y0, x1, y1 = layout.boxes[i]
            mark = symbol(layout.text[y0:y1, x0:x1], layout.line_h)
            if mark is not None and (mark == "=" or read.text.strip() not in _STROKE_MISREADS):
                out[i] = Recognised(mark, read.score, read.lowest)
    return out


def _doubtful(reads: list[Recognised]) -> bool:
    """Whether the page reads so badly that it may be upside down."""
    scores = [r.score for r in reads]
    return bool(scores) and float(np.mean(scores)) < 0.75


def _reads_better_turned(layout: _Layout, reads: list[Recognised]) -> bool:
    """Whether the widest pieces read better turned by 180°."""
    order = sorted(
        range(len(layout.boxes)), key=lambda i: layout.boxes[i][2] - layout.boxes[i][0], reverse=True
    )[:8]
    turned = recognise(
        [np.ascontiguousarray(_crop(layout.gray, layout.boxes[i], layout.line_h)[::-1, ::-1]) for i in order]
    )
    return sum(r.score for r in turned) > sum(reads[i].score for i in order) + 0.8


def read_page(page: PageImage) -> OcrPage:
    """One page image read into positioned runs and ruling lines (PDF points, y up)."""
    gray = page.gray
    ink = ink_mask(gray)
    h_pt, w_pt = gray.shape[0] * page.pt_per_px, gray.shape[1] * page.pt_per_px
    if np.count_nonzero(ink) < BLANK_INK * ink.size:
        return OcrPage(PageContent(page.number, w_pt, h_pt, images=1), blank=True)
    turned = 0
    if text_is_sideways(ink):
        gray, turned = np.ascontiguousarray(np.rot90(gray)), 90
        ink = ink_mask(gray)
    angle = skew_angle(ink)
    gray = deskew(gray, angle)
    layout = _layout(gray, page.pt_per_px)
    reads = _read(layout)
    if _doubtful(reads) and _reads_better_turned(layout, reads):
        gray, turned = np.ascontiguousarray(gray[::-1, ::-1]), (turned + 180) % 360
        layout = _layout(gray, page.pt_per_px)
        reads = _read(layout)
    s = page.pt_per_px
    height_pt = gray.shape[0] * s
    runs: list[Run] = []
    for box, read in zip(layout.boxes, reads, strict=True):
        text = clean_read(read.text)
        if not text:
            continue
        x0, y0, x1, y1 = box
        size = max(4.0, (y1 - y0) * s * 1.1)
        keep = _jpeg(_context(gray, box, layout.line_h)) if any(c.isdigit() for c in text) else b""
        runs.append(
            OcrRun(
                x0 * s,
                x1 * s,
                height_pt - y1 * s,
                size,
                text,
                page=page.number,
                box=box,
                score=read.score,
                lowest=read.lowest,
                crop=keep,
            )
        )
    content = PageContent(
        page.number, gray.shape[1] * s, height_pt, runs, layout.hlines, layout.vlines, images=1
    )
    return OcrPage(content, turned=turned, skew=angle)


def _context(gray: np.ndarray, box: tuple[int, int, int, int], line_h: float) -> np.ndarray:
    """The piece with some of its surroundings, for a person to compare with what was read."""
    x0, y0, x1, y1 = box
    m = int(line_h)
    return gray[max(0, y0 - m) : y1 + m, max(0, x0 - 2 * m) : x1 + 2 * m]
