"""Glyph widths and decoding come from pypdf's private font model, isolated in
``perfeval.ingest.pdf._private_font_class``; without it the reader falls back to pypdf's public text
extraction (estimated widths) and still reads a plain form."""

from __future__ import annotations

import pytest
from seedpaths import SEED_PDF

from perfeval.compare import compare_bundle
from perfeval.ingest import pdf, read_forms
from perfeval.interchange import form_to_dict


def _seed_accuracy(truth: list[dict]) -> tuple[int, int, list[str]]:
    errs: list[str] = []
    forms = read_forms(SEED_PDF)
    ok, total = compare_bundle([form_to_dict(f) for f in forms], truth, errs)
    return ok, total, errs


def test_the_installed_pypdf_has_the_font_model() -> None:
    assert pdf._private_font_class() is not None


def test_without_the_private_font_model_public_extraction_reads_the_seed(
    monkeypatch: pytest.MonkeyPatch, seed_documents: list[dict]
) -> None:
    monkeypatch.setattr(pdf, "_private_font_class", lambda: None)
    ok, total, errs = _seed_accuracy(seed_documents)
    assert ok == total, errs[:10]
