"""Scanned and photographed forms for the OCR benchmark and tests: our own exports rasterised and degraded.

- ``scan``: an image-only PDF, gray at 200 dpi, turned by 0.5–1° (as a sheet fed slightly askew);
- ``photo``: a JPEG at 150 dpi, turned by 1–1.5°, blurred, with uneven lighting and sensor noise;
- ``binary``: the scan thresholded to black and white (a fax-like PNG).

Pages are rendered with pypdfium2 from our reportlab PDF export of :func:`perfeval.samples.sample_form`
forms (families central, anhui, sichuan-2023).  Deterministic in the seed.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from perfeval.export import export_forms
from perfeval.model import SelfEvaluation

KINDS = ("scan", "photo", "binary")


def rasterise(pdf: bytes, dpi: int) -> Iterator[Image.Image]:
    """Each page of a PDF as a gray PIL image at ``dpi``."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            yield page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
    finally:
        doc.close()


def turn(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def photo(img: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of a printed page: skew, blur, a light gradient and noise."""
    img = turn(img, rng.choice((-1, 1)) * rng.uniform(1.0, 1.5))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 0.9)))
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w]
    light = 0.82 + 0.18 * (xx / w) * (0.6 + 0.4 * yy / h)
    a = a * light + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).convert("RGB")


def degrade(page: Image.Image, kind: str, rng: random.Random) -> Image.Image:
    if kind == "scan":
        return turn(page, rng.choice((-1, 1)) * rng.uniform(0.5, 1.0))
    if kind == "binary":
        return turn(page, rng.choice((-1, 1)) * rng.uniform(0.5, 1.0)).point(lambda v: 255 if v > 170 else 0)
    if kind == "photo":
        return photo(page, rng)
    raise ValueError(kind)


def write_scan(forms: list[SelfEvaluation], kind: str, out: Path, seed: int = 0) -> Path:
    """The forms printed by our PDF export and scanned as ``kind``; returns the file written (a PDF for
    ``scan``, a JPEG for a one-page ``photo``, a multi-page TIFF otherwise)."""
    rng = random.Random(f"scan-{seed}-{kind}")
    pdf = export_forms(forms, "pdf", final=True)
    dpi = 150 if kind == "photo" else 200
    pages = [degrade(p, kind, rng) for p in rasterise(pdf, dpi)]
    if kind == "scan":
        path = out.with_suffix(".pdf")
        pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    elif kind == "photo" and len(pages) == 1:
        path = out.with_suffix(".jpg")
        pages[0].save(path, "JPEG", quality=80, dpi=(dpi, dpi))
    else:
        path = out.with_suffix(".tif" if kind == "photo" else ".png" if len(pages) == 1 else ".tif")
        if path.suffix == ".png":
            pages[0].save(path, dpi=(dpi, dpi), optimize=True)
        else:
            pages[0].save(
                path, save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_deflate"
            )
    return path


def encode_jpeg(img: Image.Image, quality: int = 80) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def misprint(form: SelfEvaluation) -> str:
    """Print one digit wrong in the 全年执行数 of a source row of the funds (as a typist might): the
    funds no longer add up.  Returns the path of the changed number."""
    row = next(f for f in form.funds if f.kind != "total" and (f.executed or 0) >= 10)
    digits = f"{row.executed:.2f}"
    row.executed = float(("9" if digits[0] != "9" else "1") + digits[1:])
    return f"funds.{row.kind}.executed"
