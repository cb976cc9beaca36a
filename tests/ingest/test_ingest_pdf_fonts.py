"""Glyph widths and decoding come from pypdf's private font model, isolated in
``perfeval.ingest.pdf._private_font_class``; without it the reader falls back to pypdf's public text
extraction (estimated widths) and still reads a plain form."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from perfeval.ingest import pdf, read_forms
from perfeval.interchange import form_to_dict


def _seed_accuracy(shared: Path, truth: list[dict]) -> tuple[int, int, list[str]]:
    sys.path.insert(0, str(shared / "tools"))
    import compare_forms

    errs: list[str] = []
    forms = read_forms(shared / "fixtures" / "seed-2022" / "seed-2022.pdf")
    ok, total = compare_forms.score([form_to_dict(f) for f in forms], truth, errs)
    return ok, total, errs


def test_the_installed_pypdf_has_the_font_model() -> None:
    assert pdf._private_font_class() is not None


def test_without_the_private_font_model_public_extraction_reads_the_seed(
    monkeypatch: pytest.MonkeyPatch, shared_dir: Path, seed_documents: list[dict]
) -> None:
    monkeypatch.setattr(pdf, "_private_font_class", lambda: None)
    ok, total, errs = _seed_accuracy(shared_dir, seed_documents)
    assert ok == total, errs[:10]
