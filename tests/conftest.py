"""Shared fixtures: where ../shared is, and the seed's ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seedpaths import COMPARE_TOOL, SEED_DIR, SEED_JSON, SEED_PDF, SEED_TEXT, SHARED  # noqa: F401

from perfeval.interchange import forms_from_document
from perfeval.model import SelfEvaluation


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
