"""Fixtures of the app tests: a fresh app session on a temporary database (PERFEVAL_DB)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest
from ui_helpers import APP


@pytest.fixture()
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "perfeval.db"
    monkeypatch.setenv("PERFEVAL_DB", str(path))
    monkeypatch.setenv("PERFEVAL_USER", "测试员")
    for name in ("PERFEVAL_LLM_API_KEY", "PERFEVAL_LLM_BASE_URL", "PERFEVAL_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture(scope="session")
def _components() -> BidiComponentManager:
    """Streamlit scans every installed package for components on each new AppTest (~0.3 s); the app
    uses none, so one scan per test session is shared."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


@pytest.fixture()
def new_app(db_path: Path, _components: BidiComponentManager) -> Iterator[Callable[[], AppTest]]:
    """A factory of app sessions (each one like a browser tab) sharing the temporary database."""

    def make() -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at._bidi_component_manager = _components
        return at.run()

    yield make


@pytest.fixture()
def app(new_app: Callable[[], AppTest]) -> AppTest:
    at = new_app()
    assert not at.exception, at.exception
    return at
