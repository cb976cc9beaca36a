"""The seed PDF (five 松江 2022 forms, LibreOffice from XLSX) parses to the ground truth exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from seedpaths import SEED_JSON, SEED_PDF

from perfeval.ingest import read_forms
from perfeval.interchange import bundle_to_dict


@pytest.fixture()
def seed_pdf() -> Path:
    return SEED_PDF


def _accuracy(parsed: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "perfeval.compare", "-v", str(parsed), *map(str, SEED_JSON)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


def test_cli_parse_seed_pdf_is_exact(tmp_path: Path, seed_pdf: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "perfeval", "parse", str(seed_pdf), "--json"],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "o.json"
    out.write_text(proc.stdout, encoding="utf-8")
    assert _accuracy(out).endswith("= 1.0000")


def test_seed_pdf_provenance_and_no_warnings(seed_pdf: Path) -> None:
    forms = read_forms(seed_pdf)
    assert [f.source["pages"] for f in forms] == [[1], [2], [3], [4], [5]]
    assert all(f.source["template"] == "central" for f in forms)
    assert all(f.source["file"] == "seed-2022.pdf" for f in forms)
    assert all(not f.parse_warnings for f in forms)
    # the wrapped cells that overflow their rows in this PDF come back whole
    window = forms[3]
    assert window.indicators[0].deviation == "因疫情原因，服务新开办企业数量少于预期"
    assert window.indicators[-1].level2 == "服务对象满意度指标"
    assert window.indicators[-2].name == "松江区行政服务中心快递寄送管理制度"


def test_progress_reports_every_page(seed_pdf: Path) -> None:
    seen: list[tuple[int, int]] = []
    read_forms(seed_pdf, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 5) for i in range(1, 6)]


def test_bundle_json_round_trip_through_the_parser(tmp_path: Path, seed_pdf: Path) -> None:
    forms = read_forms(seed_pdf)
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle_to_dict(forms), ensure_ascii=False), encoding="utf-8")
    again = read_forms(path)
    assert [f.model_dump() for f in again] == [f.model_dump() for f in forms]
