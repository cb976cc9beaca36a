"""Shared fixtures: the seed's ground truth (tests/data/seed-2022/)."""

from __future__ import annotations

import json

import pytest
from seedpaths import SEED_JSON

from perfeval.interchange import forms_from_document
from perfeval.model import SelfEvaluation


@pytest.fixture(scope="session")
def seed_documents() -> list[dict]:
    """The five ground-truth forms as raw interchange dicts."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in SEED_JSON]


@pytest.fixture()
def seed_forms(seed_documents: list[dict]) -> list[SelfEvaluation]:
    """The five ground-truth forms as models (a fresh copy for each test)."""
    return [forms_from_document(d)[0] for d in seed_documents]
