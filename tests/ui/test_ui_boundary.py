"""The app is the only place that imports streamlit, and the library imports without it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "perfeval"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_ui_imports_streamlit():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts[:1] and "streamlit" in _imports(p)
    ]
    assert offenders == []
    assert "streamlit" in _imports(PACKAGE / "ui" / "main.py")


def test_library_loads_without_streamlit():
    code = (
        "import sys; sys.modules['streamlit'] = None\n"
        "import perfeval.ingest, perfeval.rules, perfeval.draft, perfeval.store, perfeval.export, perfeval.assist\n"
        "import perfeval.cli; perfeval.cli.build_parser()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
