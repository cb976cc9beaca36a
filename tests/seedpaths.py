"""Where ../shared and the seed files are (import as ``from seedpaths import SEED_PDF``).

A module of its own, not ``conftest``: several conftest.py files exist and a test importing
``from conftest import ...`` would get whichever was loaded last.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PERFEVAL_SHARED", ROOT.parent / "shared")).resolve()
SEED_DIR = SHARED / "fixtures" / "seed-2022"
SEED_JSON = [SEED_DIR / f"seed-{i}.json" for i in range(1, 6)]
SEED_PDF = SEED_DIR / "seed-2022.pdf"
SEED_TEXT = SHARED / "seeds" / "000_aee0d110bfff89f9.txt"
COMPARE_TOOL = SHARED / "tools" / "compare_forms.py"
