"""Fixtures of the review tests: one reviewer's inbox, built once per module."""

from __future__ import annotations

import pytest
from review_batch import Batch, make_batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return make_batch(tmp_path_factory.mktemp("review"))
