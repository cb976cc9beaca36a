"""Positioned text runs and table ruling lines of each PDF page, read with pypdf.

One pass over each page's content stream interprets the graphics state (``q``/``Q``/``cm``), the
text state (``BT`` ``Tf`` ``Td`` ``Tm`` ``TJ`` ...) and the path operators (``m`` ``l`` ``re`` and
their stroke/fill painting), so that a page yields:

- :class:`Run`: a piece of text on one baseline with its start and end x (from the font widths);
- ruling lines: horizontal and vertical segments, whether stroked lines or thin filled rectangles
  (LibreOffice draws cell borders as strokes, some generators as 0.5pt filled boxes).

Pages are read one at a time (:func:`iter_pages`), so memory stays bounded by one page.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    LimitReachedError,
    PdfReadError,
    PdfStreamError,
)
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject

from ..errors import PerfevalError
from . import limits
from .content import ContentSyntaxError, OperandFloodError, TokenCount, operations
from .errors import CorruptFileError, EncryptedPdfError, ResourceLimitError
from .vocab import unify_radicals

ProgressCallback = Callable[[int, int], None]
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` in device space (points, y up)."""
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

#: What pypdf raises on a damaged file or page (reported as :class:`CorruptFileError`).
_READ_ERRORS: tuple[type[BaseException], ...] = (
    PdfReadError,
    PdfStreamError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
)

#: A filled rectangle thinner than this (points) is a ruling line, not a shaded box.
THIN = 2.5


@dataclass(slots=True)
class Run:
    """Text drawn on one baseline: ``x0``..``x1`` horizontally, baseline ``y`` (PDF space, y up)."""

    x0: float
    x1: float
    y: float
    size: float
    text: str
    vertical: bool = False
    clip: Box | None = None
    """The clipping box the text was drawn in (device space), None where no clip was set: Office
    producers clip the text of a cell that overflows to the cell, so the clip names the cell."""
    hidden: bool = False
    """Whether the text lies outside its clipping box (not visible on the page)."""


@dataclass(slots=True)
class PageContent:
    """What one page holds: its runs, horizontal lines ``(y, x0, x1)`` and vertical lines ``(x, y0, y1)``."""

    number: int
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    hlines: list[tuple[float, float, float]] = field(default_factory=list)
    vlines: list[tuple[float, float, float]] = field(default_factory=list)
    images: int = 0
    unmapped_chars: int = 0
    """Characters drawn with fonts that have no Unicode mapping (CID fonts without /ToUnicode)."""

    @property
    def text_chars(self) -> int:
        return sum(len(r.text.strip()) for r in self.runs)


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """a × b for PDF matrices [a b c d e f] (row vectors)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _num(v: Any, default: float = 0.0) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


@lru_cache(maxsize=1)
def _private_font_class() -> Any:
    """pypdf's font model (``pypdf.generic._font.Font``, private), or None where it is missing or
    has changed shape (checked once on a Helvetica resource).

    pypdf has no public API for a font's code -> Unicode map and glyph widths: its public text
    extraction reports each string with the font *dictionary* only.  Its private ``Font`` class (the
    one its own layout-mode extraction uses) gives exact widths and the decoding, so this is the only
    place perfeval touches it; if a pypdf release moves or changes it, :func:`read_page` falls back
    to pypdf's public ``extract_text(visitor_text=...)`` with estimated widths."""
    try:
        from pypdf.generic._font import Font

        probe = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        _font_model(Font, probe)
    except Exception:  # ImportError, AttributeError, TypeError ...: a pypdf without this model
        return None
    return Font


def _font_model(font_class: Any, obj: DictionaryObject) -> tuple[Any, dict[Any, Any], dict[Any, Any], float]:
    """``(encoding, character_map, character_widths, space_width)`` of a font resource."""
    font = font_class.from_font_resource(obj)
    return font.encoding, font.character_map, font.character_widths, float(font.space_width)


class _FontInfo:
    """Decoding and widths of one font resource."""

    __slots__ = (
        "unmapped",
        "estimate",
        "two_byte",
        "encoding",
        "cmap",
        "widths",
        "default_width",
        "space_width",
    )

    def __init__(self, obj: DictionaryObject, font_class: Any) -> None:
        composite = obj.get("/Subtype") == "/Type0"
        identity = str(obj.get("/Encoding", "")).startswith("/Identity")
        # A CID font shown through Identity-H without /ToUnicode has no text behind its glyphs.
        self.unmapped = composite and identity and "/ToUnicode" not in obj
        # A CID font with a predefined CMap (UniGB-UCS2-H ...) keys its /W widths by CID, which
        # pypdf does not map: estimate widths from the characters instead.
        self.estimate = composite and not identity
        self.encoding, self.cmap, self.widths, self.space_width = _font_model(font_class, obj)
        self.default_width = float(self.widths.get("default", 500))
        self.two_byte = isinstance(self.encoding, str) and self.encoding.lower().startswith("utf-16")

    def decode(self, data: bytes) -> tuple[str, str]:
        """(raw code characters, text) of a shown string."""
        if isinstance(self.encoding, str):
            try:
                raw = data.decode(self.encoding, "surrogatepass")
            except (UnicodeDecodeError, LookupError):
                raw = data.decode(self.encoding if self.two_byte else "latin-1", "replace")
            decoded = raw
        else:
            raw = "".join(map(chr, data))
            enc = self.encoding
            decoded = "".join(enc.get(b, chr(b)) for b in data)
        cmap = self.cmap
        text = "".join(cmap.get(c, c) for c in decoded) if cmap else decoded
        return raw, unify_radicals(text)

    def width(self, raw: str) -> float:
        """Sum of glyph widths in text space units (/1000 em)."""
        if self.estimate:
            return sum(1000.0 if ord(c) >= 0x2E80 else 500.0 for c in raw)
        w = self.widths
        d = self.default_width
        return sum(self.space_width if c == " " else w.get(c, d) for c in raw)


@dataclass(slots=True)
class _GState:
    ctm: Matrix = _IDENTITY
    stroke_white: bool = False
    fill_white: bool = False
    font: _FontInfo | None = None
    size: float = 12.0
    tc: float = 0.0
    tw: float = 0.0
    tz: float = 100.0
    tl: float = 0.0
    ts: float = 0.0
    clip: Box | None = None
    """Bounding box of the clipping path (device space); text outside it is not visible."""

    def copy(self) -> _GState:
        return _GState(
            self.ctm,
            self.stroke_white,
            self.fill_white,
            self.font,
            self.size,
            self.tc,
            self.tw,
            self.tz,
            self.tl,
            self.ts,
            self.clip,
        )


def _clip_box(
    subpaths: list[list[tuple[float, float]]],
    rects: list[tuple[float, float, float, float]],
    ctm: Matrix,
    old: Box | None,
) -> Box | None:
    """The new clipping box: the current path's bounding box (device space) intersected with ``old``."""
    pts = [_apply(ctm, x, y) for path in subpaths for x, y in path]
    for x, y, w, h in rects:
        pts += [_apply(ctm, x, y), _apply(ctm, x + w, y + h), _apply(ctm, x + w, y), _apply(ctm, x, y + h)]
    if not pts:
        return old
    box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
    if old is not None:
        box = (max(box[0], old[0]), max(box[1], old[1]), min(box[2], old[2]), min(box[3], old[3]))
    return box


def _is_white(operands: list[Any]) -> bool:
    vals = [_num(v, -1) for v in operands if not isinstance(v, str)]
    if len(vals) == 1:
        return vals[0] >= 0.99
    if len(vals) == 3:
        return all(v >= 0.99 for v in vals)
    if len(vals) == 4:  # CMYK
        return all(v <= 0.01 for v in vals)
    return False


class ContentBudget:
    """The content budgets of one file (:mod:`.limits`): operators and inflated bytes of the whole
    file, and of the page being read (:meth:`page` starts a new page)."""

    def __init__(self, source: str | None = None) -> None:
        self.source = source
        self.file_ops = limits.Tally(limits.PDF_FILE_OPS, source=source)
        self.file_tokens = limits.Tally(limits.PDF_FILE_TOKENS, source=source)
        self.file_bytes = limits.Tally(limits.PDF_FILE_BYTES, source=source)
        self.page(1)

    def page(self, number: int) -> None:
        where = f"PDF 第{number}页："
        self.where = where
        self.page_ops = limits.Tally(limits.PDF_PAGE_OPS, source=self.source, where=where)
        self.page_tokens = limits.Tally(limits.PDF_PAGE_TOKENS, source=self.source, where=where)
        self.page_bytes = limits.Tally(limits.PDF_PAGE_BYTES, source=self.source, where=where)
        self.draws = limits.Tally(limits.PDF_XOBJECT_DRAWS, source=self.source, where=where)

    def add_bytes(self, n: int) -> None:
        self.page_bytes.add(n)
        self.file_bytes.add(n)

    def ops_left(self) -> int:
        return min(self.page_ops.left, self.file_ops.left)

    def add_ops(self, n: int) -> None:
        self.page_ops.add(n)
        self.file_ops.add(n)

    def tokens(self) -> TokenCount:
        """A count for the next stream, with what the page and the file have left."""
        return TokenCount(min(self.page_tokens.left, self.file_tokens.left))

    def add_tokens(self, count: TokenCount) -> None:
        self.page_tokens.add(count.used)
        self.file_tokens.add(count.used)


class _PageInterpreter:
    """Interprets one page's content stream (and the form XObjects it draws)."""

    def __init__(
        self,
        reader: PdfReader,
        font_cache: dict[Any, _FontInfo],
        font_class: Any,
        budget: ContentBudget | None = None,
    ) -> None:
        self.reader = reader
        self.budget = budget or ContentBudget()
        self.font_cache = font_cache
        self.font_class = font_class
        """pypdf's font model; None: text is left to :func:`_public_runs`, only paths are read here."""
        self.runs: list[Run] = []
        self.h: list[tuple[float, float, float]] = []
        self.v: list[tuple[float, float, float]] = []
        self.images = 0
        self.unmapped = 0

    # -- resources
    def _fonts(self, resources: DictionaryObject | None) -> dict[str, _FontInfo]:
        out: dict[str, _FontInfo] = {}
        if not isinstance(resources, DictionaryObject) or self.font_class is None:
            return out
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if not isinstance(fonts, DictionaryObject):
            return out
        for name, ref in fonts.items():
            key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else None
            info = self.font_cache.get(key) if key else None
            if info is None:
                obj = ref.get_object()
                if not isinstance(obj, DictionaryObject):
                    continue
                try:
                    info = _FontInfo(obj, self.font_class)
                except Exception:  # a malformed font: its text is skipped, not the page
                    continue
                if key:
                    self.font_cache[key] = info
            out[name] = info
        return out

    def run(self, content: Any, resources: DictionaryObject | None, gs: _GState, depth: int = 0) -> None:
        fonts = self._fonts(resources)
        xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        stack: list[_GState] = []
        tm: Matrix = _IDENTITY
        tlm: Matrix = _IDENTITY
        # current path: list of subpaths, each a list of points; rects separately
        subpaths: list[list[tuple[float, float]]] = []
        rects: list[tuple[float, float, float, float]] = []
        cur: list[tuple[float, float]] | None = None
        clip_pending = False
        ops = self._operations(content)
        for operands, op in ops:
            if op == b"re" and len(operands) == 4:
                x, y, w, h = (_num(v) for v in operands)
                rects.append((x, y, w, h))
                cur = None
            elif op == b"m" and len(operands) >= 2:
                cur = [(_num(operands[0]), _num(operands[1]))]
                subpaths.append(cur)
            elif op == b"l" and len(operands) >= 2:
                if cur is None:
                    cur = []
                    subpaths.append(cur)
                cur.append((_num(operands[0]), _num(operands[1])))
            elif op in (b"c", b"v", b"y"):
                if operands and cur is not None:  # curves are not ruling lines: restart at the end point
                    cur = [(_num(operands[-2]), _num(operands[-1]))]
                    subpaths.append(cur)
            elif op == b"h":
                if cur and len(cur) > 1:
                    cur.append(cur[0])
            elif op in (b"W", b"W*"):
                clip_pending = True
            elif clip_pending and op in (b"n", b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
                clip_pending = False
                gs.clip = _clip_box(subpaths, rects, gs.ctm, gs.clip)
                if op == b"n":
                    subpaths, rects, cur = [], [], None
                    continue
            if op in (b"S", b"s"):
                if not gs.stroke_white:
                    self._stroke(subpaths, rects, gs.ctm, closed=op == b"s")
                subpaths, rects, cur = [], [], None
            elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
                if op in (b"B", b"B*", b"b", b"b*") and not gs.stroke_white:
                    self._stroke(subpaths, rects, gs.ctm, closed=op in (b"b", b"b*"))
                elif not gs.fill_white:
                    self._fill(subpaths, rects, gs.ctm)
                subpaths, rects, cur = [], [], None
            elif op == b"n":
                subpaths, rects, cur = [], [], None
            elif op == b"q":
                stack.append(gs.copy())
            elif op == b"Q":
                if stack:
                    gs = stack.pop()
            elif op == b"cm" and len(operands) == 6:
                gs.ctm = _mul(tuple(_num(v) for v in operands), gs.ctm)  # type: ignore[arg-type]
            elif op in (b"RG", b"G", b"K", b"SC", b"SCN"):
                gs.stroke_white = _is_white(operands)
            elif op in (b"rg", b"g", b"k", b"sc", b"scn"):
                gs.fill_white = _is_white(operands)
            elif op == b"BT":
                tm = tlm = _IDENTITY
            elif op == b"Tf" and len(operands) >= 2:
                gs.font = fonts.get(operands[0])
                gs.size = _num(operands[1], 12.0)
            elif op == b"Td" and len(operands) >= 2:
                tlm = _mul((1.0, 0.0, 0.0, 1.0, _num(operands[0]), _num(operands[1])), tlm)
                tm = tlm
            elif op == b"TD" and len(operands) >= 2:
                gs.tl = -_num(operands[1])
                tlm = _mul((1.0, 0.0, 0.0, 1.0, _num(operands[0]), _num(operands[1])), tlm)
                tm = tlm
            elif op == b"Tm" and len(operands) == 6:
                tlm = tm = tuple(_num(v) for v in operands)  # type: ignore[assignment]
            elif op == b"T*":
                tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl), tlm)
                tm = tlm
            elif op == b"Tc" and operands:
                gs.tc = _num(operands[0])
            elif op == b"Tw" and operands:
                gs.tw = _num(operands[0])
            elif op == b"Tz" and operands:
                gs.tz = _num(operands[0], 100.0)
            elif op == b"TL" and operands:
                gs.tl = _num(operands[0])
            elif op == b"Ts" and operands:
                gs.ts = _num(operands[0])
            elif op == b"Tj" and operands:
                tm = self._show(operands[0], tm, gs)
            elif op == b"TJ" and operands:
                for item in operands[0] if isinstance(operands[0], list) else []:
                    if isinstance(item, bytes | str):
                        tm = self._show(item, tm, gs)
                    else:
                        dx = -_num(item) / 1000.0 * gs.size * gs.tz / 100.0
                        tm = _mul((1.0, 0.0, 0.0, 1.0, dx, 0.0), tm)
            elif op == b"'" and operands:
                tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl), tlm)
                tm = self._show(operands[0], tlm, gs)
            elif op == b'"' and len(operands) >= 3:
                gs.tw, gs.tc = _num(operands[0]), _num(operands[1])
                tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl), tlm)
                tm = self._show(operands[2], tlm, gs)
            elif op == b"Do" and operands and isinstance(xobjects, DictionaryObject):
                self._do(xobjects.get(operands[0]), gs, depth)
            elif op == b"INLINE IMAGE":
                self.images += 1

    def _operations(self, content: Any) -> list[tuple[list[Any], bytes]]:
        """The content's operations: the fast tokenizer, or pypdf's parser where it gives up.

        Each stream's inflated bytes count against the budget before it is tokenized, and the
        tokenizer stops one operator past what the budget has left."""
        budget = self.budget
        try:
            data = self._content_bytes(content)
            count = budget.tokens()
            tokens = operations(data, limits.PDF_OPERANDS.maximum, count)
            try:
                ops = list(islice(tokens, budget.ops_left() + 1))
            finally:
                tokens.close()
                budget.add_tokens(count)
            budget.add_ops(len(ops))
            return ops
        except (PerfevalError, LimitReachedError):
            raise
        except OperandFloodError:
            raise limits.PDF_OPERANDS.error(source=budget.source, where=budget.where) from None
        except ContentSyntaxError:
            pass
        except Exception:  # undecodable stream: let pypdf try (and fail) the same way
            pass
        try:
            ops = ContentStream(content, self.reader, "bytes").operations
        except (LimitReachedError, RecursionError):
            raise
        except Exception:
            return []
        budget.add_ops(len(ops))
        return ops

    def _content_bytes(self, content: Any) -> bytes:
        """A content stream, or a page's array of them, inflated and counted stream by stream."""
        if isinstance(content, StreamObject):
            data = content.get_data()
            self.budget.add_bytes(len(data))
            return data
        parts = []
        for ref in content:
            data = ref.get_object().get_data()
            self.budget.add_bytes(len(data) + 1)
            parts.append(data)
        return b"\n".join(parts)

    def _do(self, ref: Any, gs: _GState, depth: int) -> None:
        if ref is None:
            return
        obj = ref.get_object()
        if not isinstance(obj, StreamObject):
            return
        sub = obj.get("/Subtype")
        if sub == "/Image":
            self.images += 1
        elif sub == "/Form":
            limits.PDF_XOBJECT_DEPTH.check(depth + 1, source=self.budget.source, where=self.budget.where)
            self.budget.draws.add()
            inner = gs.copy()
            matrix = obj.get("/Matrix")
            if matrix is not None and len(matrix) == 6:
                inner.ctm = _mul(tuple(_num(v) for v in matrix), inner.ctm)  # type: ignore[arg-type]
            res = obj.get("/Resources")
            res = res.get_object() if res is not None else None
            self.run(obj, res, inner, depth + 1)

    # -- text
    def _show(self, data: Any, tm: Matrix, gs: _GState) -> Matrix:
        font = gs.font
        if font is None:
            return tm
        if isinstance(data, str):
            data = data.encode("latin-1", "replace")
        raw, text = font.decode(bytes(data))
        size = gs.size
        scale = gs.tz / 100.0
        advance = (font.width(raw) / 1000.0 * size + len(raw) * gs.tc + raw.count(" ") * gs.tw) * scale
        trm = _mul(_mul((size * scale, 0.0, 0.0, size, 0.0, gs.ts), tm), gs.ctm)
        end = _mul((1.0, 0.0, 0.0, 1.0, advance, 0.0), tm)
        x0, y0 = trm[4], trm[5]
        x1, y1 = _apply(gs.ctm, end[4], end[5] + gs.ts)
        if text and font.unmapped:
            self.unmapped += len(text)
        eff = abs(trm[3]) or abs(trm[2]) or size
        vertical = abs(trm[1]) > abs(trm[0])
        if text.strip():
            clip = gs.clip
            hidden = clip is not None and not _visible(clip, x0, x1, y0, eff, vertical)
            self._add_run(x0, x1, y0, eff, text, vertical, clip, hidden)
        return end

    def _add_run(
        self,
        x0: float,
        x1: float,
        y: float,
        size: float,
        text: str,
        vertical: bool,
        clip: Box | None = None,
        hidden: bool = False,
    ) -> None:
        runs = self.runs
        if runs and not vertical:
            last = runs[-1]
            if (
                not last.vertical
                and last.clip is clip
                and last.hidden == hidden
                and abs(last.y - y) < 0.1 * size
                and -0.05 * size < x0 - last.x1 < 0.12 * size
                and abs(last.size - size) < 0.2 * size
            ):
                last.text += text
                last.x1 = max(last.x1, x1)
                return
        if x1 < x0:
            x0, x1 = x1, x0
        runs.append(Run(x0, x1, y, size, text, vertical, clip, hidden))

    # -- paths
    def _stroke(
        self,
        subpaths: list[list[tuple[float, float]]],
        rects: list[tuple[float, float, float, float]],
        ctm: Matrix,
        closed: bool,
    ) -> None:
        for x, y, w, h in rects:
            pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
            self._segments(pts, ctm)
        for pts in subpaths:
            if closed and len(pts) > 2:
                pts = [*pts, pts[0]]
            self._segments(pts, ctm)

    def _segments(self, pts: list[tuple[float, float]], ctm: Matrix) -> None:
        tp = [_apply(ctm, x, y) for x, y in pts]
        for (ax, ay), (bx, by) in zip(tp, tp[1:], strict=False):
            if abs(ay - by) < 0.5 and abs(ax - bx) >= 0.5:
                self.h.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
            elif abs(ax - bx) < 0.5 and abs(ay - by) >= 0.5:
                self.v.append(((ax + bx) / 2, min(ay, by), max(ay, by)))

    def _fill(
        self,
        subpaths: list[list[tuple[float, float]]],
        rects: list[tuple[float, float, float, float]],
        ctm: Matrix,
    ) -> None:
        boxes = list(rects)
        for pts in subpaths:  # a closed 4-point path drawn as m/l/l/l/h is a rectangle too
            if len(pts) >= 4:
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
        for x, y, w, h in boxes:
            (ax, ay), (bx, by) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
            x0, x1 = sorted((ax, bx))
            y0, y1 = sorted((ay, by))
            if y1 - y0 <= THIN and x1 - x0 > THIN:
                self.h.append(((y0 + y1) / 2, x0, x1))
            elif x1 - x0 <= THIN and y1 - y0 > THIN:
                self.v.append(((x0 + x1) / 2, y0, y1))


def _visible(
    clip: Box | None,
    x0: float,
    x1: float,
    y: float,
    size: float,
    vertical: bool,
) -> bool:
    """Whether text at this position shows through the clipping box (its first glyph's centre, ±1pt)."""
    if clip is None:
        return True
    if vertical:
        cx, cy = x0 - 0.3 * size, y - 0.5 * size
    else:
        cx, cy = x0 + min(0.45 * size, abs(x1 - x0) / 2), y + 0.3 * size
    return clip[0] - 1 <= cx <= clip[2] + 1 and clip[1] - 1 <= cy <= clip[3] + 1


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's own log lines (``EOF marker not found`` ...): problems reach the user as one
    :class:`~perfeval.errors.PerfevalError` line, not as library chatter."""
    logger = logging.getLogger("pypdf")
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)


def open_pdf(source: str | Path | bytes | BinaryIO, *, name: str | None = None) -> PdfReader:
    """A PdfReader for ``source``; an encrypted file is opened with the empty password when that
    works, else :class:`EncryptedPdfError`.  A file pypdf cannot read raises :class:`CorruptFileError`."""
    label = name or (str(source) if isinstance(source, str | Path) else None)
    stream: Any = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with quiet_pypdf():
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise EncryptedPdfError(
                        "PDF 已加密，无法打开（缺少解密组件）", english=f"encrypted PDF: {exc}", source=label
                    ) from None
                if not ok:
                    raise EncryptedPdfError(
                        "PDF 已加密，需要密码才能打开；请提供未加密的文件",
                        english="encrypted PDF needs a password",
                        source=label,
                    )
            _ = len(reader.pages)
    except PerfevalError:
        raise
    except LimitReachedError as exc:
        raise _pypdf_limit(exc, label) from None
    except FileNotDecryptedError:
        raise EncryptedPdfError(
            "PDF 已加密，需要密码才能打开；请提供未加密的文件",
            english="encrypted PDF needs a password",
            source=label,
        ) from None
    except (*_READ_ERRORS, RecursionError) as exc:
        raise CorruptFileError(
            "PDF 文件已损坏或不完整，无法读取",
            english=f"corrupt or truncated PDF: {_short(exc)}",
            source=label,
        ) from None
    return reader


def _pypdf_limit(exc: LimitReachedError, label: str | None, where: str = "") -> ResourceLimitError:
    """One of pypdf's own safety limits (an object-stream bomb, a stream over 75 MB, a loop)."""
    return ResourceLimitError(
        f"PDF {where}的对象或数据流超出安全上限（如对象流炸弹、超大数据流或循环引用），为安全起见不予读取",
        limit="pdf.pypdf",
        english=f"pypdf limit: {_short(exc)}",
        source=label,
    )


def _short(exc: BaseException) -> str:
    return re.sub(r"\s+", " ", str(exc))[:120] or type(exc).__name__


def _public_runs(page: Any, base: Matrix, interp: _PageInterpreter) -> None:
    """The page's text runs from pypdf's public ``extract_text(visitor_text=...)``, for a pypdf
    without the font model: positions are exact, run ends are estimated from the characters
    (a CJK character one em wide, others half an em); clipping is not applied."""

    def visit(text: str, cm: Any, tm: Any, _font: Any, size: Any) -> None:
        for i, line in enumerate(text.split("\n")):
            if not line.strip():
                continue
            trm = _mul(_mul(tuple(_num(v) for v in tm), tuple(_num(v) for v in cm)), base)  # type: ignore[arg-type]
            eff = abs(_num(size, 12.0) * trm[3]) or _num(size, 12.0)
            x0, y = trm[4], trm[5] - i * eff * 1.2
            width = sum(1.0 if ord(c) >= 0x2E80 else 0.5 for c in line) * eff
            interp._add_run(x0, x0 + width, y, eff, unify_radicals(line), False)

    page.extract_text(visitor_text=visit)


def read_page(
    reader: PdfReader,
    index: int,
    font_cache: dict[Any, _FontInfo] | None = None,
    budget: ContentBudget | None = None,
) -> PageContent:
    """Runs and ruling lines of page ``index`` (0-based); ``budget`` carries the file's content
    budgets from page to page (a fresh one: this page alone)."""
    page = reader.pages[index]
    box = page.mediabox
    content = PageContent(index + 1, float(box.width), float(box.height))
    font_class = _private_font_class()
    if budget is None:
        budget = ContentBudget()
    budget.page(index + 1)
    interp = _PageInterpreter(reader, font_cache if font_cache is not None else {}, font_class, budget)
    contents = page.get("/Contents")
    if contents is not None:
        contents = contents.get_object()
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        gs = _GState()
        rotate = int(page.get("/Rotate", 0) or 0) % 360
        left, bottom = float(box.left), float(box.bottom)
        w, h = content.width, content.height
        base: Matrix = (1.0, 0.0, 0.0, 1.0, -left, -bottom)
        if rotate == 90:
            base = _mul(base, (0.0, -1.0, 1.0, 0.0, 0.0, w))
            content.width, content.height = h, w
        elif rotate == 180:
            base = _mul(base, (-1.0, 0.0, 0.0, -1.0, w, h))
        elif rotate == 270:
            base = _mul(base, (0.0, 1.0, -1.0, 0.0, h, 0.0))
            content.width, content.height = h, w
        gs.ctm = base
        interp.run(contents, resources, gs)
        if font_class is None:
            _public_runs(page, base, interp)
    content.runs = interp.runs
    content.hlines = interp.h
    content.vlines = interp.v
    content.images = interp.images
    content.unmapped_chars = interp.unmapped
    return content


def iter_pages(
    source: str | Path | bytes | BinaryIO | PdfReader,
    *,
    on_progress: ProgressCallback | None = None,
    name: str | None = None,
) -> Iterator[PageContent]:
    """Each page's :class:`PageContent`, one page at a time; ``on_progress(done, total)`` after each."""
    reader = source if isinstance(source, PdfReader) else open_pdf(source, name=name)
    label = name or (str(source) if isinstance(source, str | Path) else None)
    total = len(reader.pages)
    limits.PDF_PAGES.check(total, source=label)
    fonts: dict[Any, _FontInfo] = {}
    budget = ContentBudget(label)
    for i in range(total):
        try:
            with quiet_pypdf():
                page = read_page(reader, i, fonts, budget)
        except PerfevalError:
            raise
        except LimitReachedError as exc:
            raise _pypdf_limit(exc, label, f"第{i + 1}页") from None
        except (*_READ_ERRORS, RecursionError) as exc:
            raise CorruptFileError(
                f"PDF 第{i + 1}页已损坏，无法读取",
                english=f"corrupt page {i + 1}: {_short(exc)}",
                source=label,
            ) from None
        # Page objects pypdf cached while reading this page are not needed again: keep memory flat.
        _forget_page(reader, i)
        yield page
        if on_progress is not None:
            on_progress(i + 1, total)


def _forget_page(reader: PdfReader, index: int) -> None:
    """Drop the parsed content of a page from pypdf's caches (bounded memory on long files)."""
    try:
        page = reader.pages[index]
        contents = page.get("/Contents")
        refs = contents if isinstance(contents, list) else [contents]
        for ref in refs:
            if isinstance(ref, IndirectObject):
                reader.resolved_objects.pop((ref.generation, ref.idnum), None)
    except Exception:  # pragma: no cover - only a cache
        pass
