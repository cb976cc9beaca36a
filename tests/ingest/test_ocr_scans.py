"""Scans and phone photos of real forms (our PDF export, rasterised and degraded here as in
benchmarks/scans.py), read by OCR and scored field by field with perfeval.compare; and the
OCR_UNCERTAIN findings on what the arithmetic contradicts.  Three OCR pages in all (OCR is slow)."""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from scans import degrade, misprint, rasterise, write_scan  # noqa: E402

from perfeval.compare import compare_form  # noqa: E402
from perfeval.export import export_forms  # noqa: E402
from perfeval.ingest import read_bytes, read_forms  # noqa: E402
from perfeval.model import SelfEvaluation  # noqa: E402
from perfeval.rules.checks import check_form  # noqa: E402
from perfeval.rules.ocr import path_value  # noqa: E402
from perfeval.samples import sample_form  # noqa: E402

BAR = 0.97


def _accuracy(got: SelfEvaluation, want: SelfEvaluation) -> tuple[float, list[str]]:
    errors: list[str] = []
    ok, total = compare_form(json.loads(got.model_dump_json()), json.loads(want.model_dump_json()), errors)
    return ok / total, errors


def _uncertain(form: SelfEvaluation) -> dict[str, str]:
    return {f.path: f.message for f in check_form(form) if f.code == "OCR_UNCERTAIN"}


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[SelfEvaluation, Path]:
    form = sample_form(11, "central", n_indicators=6)
    return form, write_scan([form], "photo", tmp_path_factory.mktemp("photo") / "central", seed=11)


@pytest.fixture(scope="module")
def photo_read(photo) -> list[SelfEvaluation]:
    _, path = photo
    assert path.suffix == ".jpg" and path.stat().st_size < 600_000
    return read_bytes(path.name, path.read_bytes())


def test_phone_photo_reads_into_the_form(photo, photo_read) -> None:
    truth, _ = photo
    assert len(photo_read) == 1
    accuracy, errors = _accuracy(photo_read[0], truth)
    assert accuracy >= BAR, errors
    for row in photo_read[0].funds:  # the dashes of empty cells stay empty
        if row.kind != "total":
            assert row.weight is None and row.score is None and row.execution_rate is None
    flagged = _uncertain(photo_read[0])
    for line in errors:  # a number left wrong is flagged at its path
        if "funds." in line or "total_" in line:
            path = line.split()[1].rstrip(":")
            assert path in flagged, (line, flagged)


def test_every_number_keeps_page_box_confidence_and_crop(photo_read) -> None:
    form = photo_read[0]
    trace = form.ocr
    assert trace is not None
    for path in ("funds.total.annual_budget", "funds.total.executed", "total_score", "indicators.0.weight"):
        read = trace.fields[path]
        assert read.page == 1 and 0 < read.score <= 1
        x0, y0, x1, y1 = read.box
        assert 0 <= x0 < x1 and 0 <= y0 < y1
        assert read.crop[:3] == b"\xff\xd8\xff" and len(read.crop) < 40_000
    assert "ocr" not in json.loads(form.model_dump_json())  # never in the interchange JSON


def test_sideways_page_in_a_two_page_tiff(photo, tmp_path: Path) -> None:
    truth, path = photo
    page = Image.open(path).convert("L").rotate(90, expand=True)
    tiff = tmp_path / "scan.tif"
    Image.new("L", page.size, 255).save(tiff, save_all=True, append_images=[page], compression="tiff_deflate")
    progress: list[tuple[int, int]] = []
    forms = read_forms(tiff, on_progress=lambda d, n: progress.append((d, n)))
    assert progress == [(1, 2), (2, 2)]
    assert len(forms) == 1 and forms[0].source["pages"] == [2]
    accuracy, errors = _accuracy(forms[0], truth)
    assert accuracy >= BAR, errors


@pytest.fixture(scope="module")
def mixed() -> tuple[list[SelfEvaluation], list[SelfEvaluation]]:
    """A PDF whose first page has a text layer (an Anhui form) and whose second is a gray 200-dpi scan,
    0.7° askew, of a Sichuan form that prints one digit wrong in 当年财政资金's 全年执行数."""
    typed = sample_form(21, "anhui", n_indicators=5)
    scanned = sample_form(22, "sichuan-2023", n_indicators=5)
    misprint(scanned)
    pages = list(rasterise(export_forms([scanned], "pdf", final=True), 200))
    assert len(pages) == 1
    buf = io.BytesIO()
    degrade(pages[0], "scan", random.Random(5)).save(buf, "PDF", resolution=200)
    writer = PdfWriter()
    for data in (export_forms([typed], "pdf", final=True), buf.getvalue()):
        for p in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(p)
    out = io.BytesIO()
    writer.write(out)
    return read_bytes("mixed.pdf", out.getvalue()), [typed, scanned]


def test_mixed_pdf_reads_the_text_page_and_ocrs_the_scanned_one(mixed) -> None:
    forms, truths = mixed
    assert len(forms) == 2
    assert forms[0].ocr is None and forms[1].ocr is not None
    assert forms[1].source["pages"] == [2]
    for got, want in zip(forms, truths, strict=True):
        accuracy, errors = _accuracy(got, want)
        assert accuracy >= BAR, errors


def test_number_contradicted_by_the_sums_is_flagged_with_the_implied_value(mixed) -> None:
    forms, truths = mixed
    form = forms[1]
    row = next(f for f in truths[1].funds if f.kind != "total" and (f.executed or 0) >= 10)
    path = f"funds.{row.kind}.executed"
    flagged = _uncertain(form)
    assert path in flagged, flagged
    total = truths[1].total_fund.executed
    others = sum(f.executed or 0 for f in truths[1].funds if f.kind not in ("total", row.kind))
    assert (
        f"应为「{total - others:,.2f}」" in flagged[path] or f"应为「{total - others:.2f}」" in flagged[path]
    )
    assert "识别为" in flagged[path]
    form.ocr.confirmed.add(path)  # a person checked the source: no longer uncertain
    assert path not in _uncertain(form)


def test_a_value_changed_by_hand_is_not_the_recognisers(mixed) -> None:
    forms, _ = mixed
    form = forms[1].model_copy(deep=True)
    form.ocr.confirmed.clear()
    path = next(iter(_uncertain(form)))
    kind, col = path.split(".")[1:]
    total = path_value(form, f"funds.total.{col}")
    others = sum(getattr(f, col) or 0 for f in form.funds if f.kind not in ("total", kind))
    setattr(form.fund(kind), col, round(total - others, 2))
    assert path not in _uncertain(form)
