"""Shared fixtures: where ../shared is, and the seed's ground truth."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from perfeval.interchange import forms_from_document
from perfeval.model import SelfEvaluation

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PERFEVAL_SHARED", ROOT.parent / "shared")).resolve()
SEED_DIR = SHARED / "fixtures" / "seed-2022"
SEED_JSON = [SEED_DIR / f"seed-{i}.json" for i in range(1, 6)]
SEED_PDF = SEED_DIR / "seed-2022.pdf"
SEED_TEXT = SHARED / "seeds" / "000_aee0d110bfff89f9.txt"
COMPARE_TOOL = SHARED / "tools" / "compare_forms.py"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared not found at {SHARED}; set PERFEVAL_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seed_documents(shared_dir: Path) -> list[dict]:
    """The five ground-truth forms as raw interchange dicts."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in SEED_JSON]


@pytest.fixture()
def seed_forms(seed_documents: list[dict]) -> list[SelfEvaluation]:
    """The five ground-truth forms as models (a fresh copy for each test)."""
    return [forms_from_document(d)[0] for d in seed_documents]
