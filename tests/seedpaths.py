"""Where the seed files are (import as ``from seedpaths import SEED_PDF``).

The seed is public data: a Shanghai 松江区 department's 2022 self-evaluation bundle (five forms), as
published.  ``tests/data/seed-2022/`` holds copies of the project's reference files, so that a clone of the
repository alone runs its tests:

- ``000_aee0d110bfff89f9.txt``: the text of the published PDF, as the user pasted it (from ``shared/seeds/``);
- ``seed-1.json`` … ``seed-5.json``: the five forms' ground truth in interchange JSON
  (from ``shared/fixtures/seed-2022/``);
- ``seed-2022.pdf``: a PDF rendering of those forms (from ``shared/fixtures/seed-2022/``).

``tests/data/interchange.md`` is a copy of the interchange contract (``shared/spec/interchange.md``).

A module of its own, not ``conftest``: several conftest.py files exist and a test importing
``from conftest import ...`` would get whichever was loaded last.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEED_DIR = DATA / "seed-2022"
SEED_JSON = [SEED_DIR / f"seed-{i}.json" for i in range(1, 6)]
SEED_PDF = SEED_DIR / "seed-2022.pdf"
SEED_TEXT = SEED_DIR / "000_aee0d110bfff89f9.txt"
SPEC = DATA / "interchange.md"
