"""A reviewer's inbox for the review tests: PDF bundles made by perfeval.export from perfeval.samples,
the seed forms with one injected error each, a broken PDF in a subfolder and a zip archive.

A module of its own (not conftest) so that the app tests can build the same files."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from seedpaths import SEED_JSON

from perfeval.export import export_forms
from perfeval.samples import sample_bundle

#: The code injected into each seed form (seed-1 ... seed-5), and how.
INJECTED: tuple[str, ...] = (
    "TOTAL_MISMATCH",
    "WEIGHT_TOTAL",
    "SCORE_ABOVE_WEIGHT",
    "EXEC_RATE_MISMATCH",
    "EXEC_SCORE_MISMATCH",
)


def injected_seed() -> dict:
    """``{"forms": [...]}``: the five seed forms, each with one error the checks must find."""
    forms = [json.loads(p.read_text(encoding="utf-8")) for p in SEED_JSON]
    forms[0]["total_score"] = forms[0]["total_score"] - 5
    forms[1]["indicators"][0]["weight"] += 5
    row = forms[2]["indicators"][0]
    forms[2]["total_score"] += row["weight"] + 3 - row["score"]  # the total still adds up
    row["score"] = row["weight"] + 3
    total = next(f for f in forms[3]["funds"] if f["kind"] == "total")
    total["execution_rate"] = 0.5
    total = next(f for f in forms[4]["funds"] if f["kind"] == "total")
    total["score"] = total["weight"] - 2
    forms[4]["total_score"] -= 2
    return {"forms": forms}


def bundle_pdf(n_forms: int, seed: int) -> bytes:
    return export_forms(sample_bundle(n_forms, seed=seed), "pdf", final=True)


@dataclass(frozen=True)
class Batch:
    root: Path  # the folder "in"
    n_forms: int  # every form the batch holds
    broken: str  # the broken file's name as review shows it (relative to root.parent)


def make_batch(base: Path) -> Batch:
    """``base/in``: bundles/b00..b02.pdf (3 forms each), seed-injected.json (5), sub/broken.pdf,
    more.zip with zipped/b03.pdf (2 forms)."""
    root = base / "in"
    (root / "bundles").mkdir(parents=True)
    (root / "sub").mkdir()
    for k in range(3):
        (root / "bundles" / f"b{k:02d}.pdf").write_bytes(bundle_pdf(3, seed=40 + k))
    (root / "seed-injected.json").write_text(
        json.dumps(injected_seed(), ensure_ascii=False), encoding="utf-8"
    )
    whole = bundle_pdf(1, seed=50)
    (root / "sub" / "broken.pdf").write_bytes(whole[: len(whole) // 2])
    with zipfile.ZipFile(root / "more.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zipped/b03.pdf", bundle_pdf(2, seed=60))
    return Batch(root, 3 * 3 + 5 + 2, "in/sub/broken.pdf")
