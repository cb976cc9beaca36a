"""A small version of benchmarks/accuracy.py: synthetic bundles of every template family, printed to
PDF four ways (our reportlab export; LibreOffice from our XLSX, from the same XLSX with fixed row
heights and from our DOCX, in one soffice call), read back with perfeval.ingest.read_forms and scored
with perfeval.compare."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from accuracy import PDF_ROUTES, evaluate  # noqa: E402
from corpus import corpus_bundles, render  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    # a single form, and a bundle of five (all four families; the first runs over a page break)
    bundles = corpus_bundles(seed=7, sizes=(1, 5), lengths=(6, 9, 12, 30))
    items, failures = render(bundles, tmp_path_factory.mktemp("corpus"), routes=PDF_ROUTES)
    assert failures == []
    return evaluate(items), items


def test_corpus_pdf_field_accuracy_at_least_99_9_percent(report) -> None:
    rep, _ = report
    assert rep.failures == []
    assert set(rep.by_route) == set(PDF_ROUTES)
    for route, tally in rep.by_route.items():
        assert tally.forms == 6, route
        assert tally.total > 500, route
    assert rep.accuracy() >= 0.999, "\n".join(rep.errors[:30])


def test_corpus_covers_every_family_and_page_breaks(report) -> None:
    rep, items = report
    families = {name.split("/", 1)[1] for name in rep.by_family}
    assert families == {"central (元)", "anhui (万元)", "zhongjiang", "sichuan-2023"}
    from perfeval.ingest import read_forms

    longest = max((i for i in items if i.route == "pdf-reportlab"), key=lambda i: len(i.bundle.forms))
    pages = [f.source["pages"] for f in read_forms(longest.path)]
    assert any(len(p) > 1 for p in pages), pages
