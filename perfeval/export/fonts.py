"""The Chinese font of the PDF export.

reportlab embeds TrueType-outline fonts only (a .ttc needs its subfont index); CFF-outline fonts such
as Noto Sans CJK (.otf, and the .ttc that bundle them) are refused.  :func:`cjk_font` tries, in order,
the file named by ``PERFEVAL_CJK_FONT``, then the usual places of 宋体-style and other TrueType CJK
fonts on Windows, macOS and Linux, and falls back to reportlab's built-in ``STSong-Light`` CID font
(not embedded: a viewer substitutes a local font, poppler needs its Adobe-GB1 language pack).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FALLBACK_FONT = "STSong-Light"
FONT_ENV = "PERFEVAL_CJK_FONT"

#: Candidate files, 宋体/明体 faces first.  Names only: each is looked up in the font folders below.
CANDIDATE_FILES: tuple[str, ...] = (
    "simsun.ttc",
    "simsun.ttf",
    "SimSun.ttf",
    "nsimsun.ttf",
    "simfang.ttf",
    "uming.ttc",
    "ukai.ttc",
    "Songti.ttc",
    "STSong.ttf",
    "simhei.ttf",
    "msyh.ttc",
    "msyh.ttf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "Arial Unicode.ttf",
    "NotoSerifCJK-Regular.ttc",
    "NotoSansCJK-Regular.ttc",
)


def font_dirs() -> list[Path]:
    """Folders that hold fonts on this machine (Windows, macOS, Linux; user folders included)."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [
        Path("/System/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
        Path("/Library/Fonts"),
    ]
    home = Path.home()
    dirs += [home / "Library" / "Fonts", home / ".local" / "share" / "fonts", home / ".fonts"]
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    return [d for d in dirs if d.is_dir()]


def _find(name: str, dirs: list[Path]) -> list[Path]:
    hits: list[Path] = []
    for d in dirs:
        direct = d / name
        if direct.is_file():
            hits.append(direct)
        elif str(d).startswith(("/usr", str(Path.home()))):
            hits.extend(p for p in d.rglob(name) if p.is_file())
    return hits


def _try_register(path: Path) -> str | None:
    """Register ``path`` with reportlab; None when reportlab cannot embed it (CFF outlines ...)."""
    indices = range(4) if path.suffix.lower() == ".ttc" else (0,)
    for index in indices:
        name = f"perfeval-cjk-{path.stem}-{index}"
        try:
            font = TTFont(name, str(path), subfontIndex=index)
        except Exception:  # TTFError for CFF outlines, a bad index, a damaged file
            continue
        if font.face.charToGlyph.get(ord("绩")) is None:  # no Chinese glyphs in this face
            continue
        pdfmetrics.registerFont(font)
        _COVERAGE[name] = frozenset(font.face.charToGlyph)
        return name
    return None


_COVERAGE: dict[str, frozenset[int]] = {}

#: TrueType faces for what a CJK face lacks (Droid Sans Fallback has no Latin letters or digits).
LATIN_FILES: tuple[str, ...] = (
    "arial.ttf",
    "Arial.ttf",
    "LiberationSans-Regular.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSans.ttf",
)


@lru_cache(maxsize=1)
def latin_font() -> str:
    """A font for characters the CJK face lacks: an embeddable TrueType face, else Helvetica."""
    dirs = font_dirs()
    for candidate in LATIN_FILES:
        for path in _find(candidate, dirs):
            name = f"perfeval-latin-{path.stem}"
            try:
                font = TTFont(name, str(path))
            except Exception:
                continue
            pdfmetrics.registerFont(font)
            _COVERAGE[name] = frozenset(font.face.charToGlyph)
            return name
    return "Helvetica"


def covers(font: str, ch: str) -> bool:
    """Whether the registered ``font`` has a glyph for ``ch`` (CID fonts: assumed yes)."""
    coverage = _COVERAGE.get(font)
    return coverage is None or ord(ch) in coverage


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str | None]:
    """The registered font name for Chinese text and the file it was embedded from (None for the
    built-in ``STSong-Light``)."""
    override = os.environ.get(FONT_ENV)
    if override and Path(override).is_file():
        name = _try_register(Path(override))
        if name:
            return name, override
    dirs = font_dirs()
    for candidate in CANDIDATE_FILES:
        for path in _find(candidate, dirs):
            name = _try_register(path)
            if name:
                return name, str(path)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT, None


@lru_cache(maxsize=1)
def any_cjk_font_file() -> str | None:
    """A CJK font file FreeType (Pillow) can draw with, CFF outlines included; None if none."""
    _name, path = cjk_font()
    if path:
        return path
    dirs = font_dirs()
    for candidate in (*CANDIDATE_FILES, "NotoSansCJKsc-Regular.otf", "NotoSerifCJKsc-Regular.otf"):
        for hit in _find(candidate, dirs):
            return str(hit)
    return None
