"""The seed's plain text (../shared/seeds/) parses to the five ground-truth forms, every field equal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from seedpaths import SEED_JSON, SEED_TEXT

from perfeval.compare import compare_bundle
from perfeval.ingest.text import read_text_forms
from perfeval.interchange import bundle_to_dict, form_to_dict


@pytest.fixture(scope="module")
def parsed() -> list:
    return read_text_forms(SEED_TEXT.read_text(encoding="utf-8"), source=SEED_TEXT.name)


def test_seed_text_scores_full_accuracy(parsed, seed_documents) -> None:
    errors: list[str] = []
    ok, total = compare_bundle(bundle_to_dict(parsed)["forms"], seed_documents, errors)
    assert errors == []
    assert total > 500 and ok == total


def test_compare_tool_reports_1_0000(parsed, tmp_path: Path) -> None:
    out = tmp_path / "parsed.json"
    out.write_text(json.dumps(bundle_to_dict(parsed), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "perfeval.compare", str(out), *map(str, SEED_JSON)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert run.stdout.strip().endswith("= 1.0000"), run.stdout


def test_seed_text_equals_fixtures_exactly(parsed, seed_documents) -> None:
    """Stricter than the compare tool: the interchange dicts are equal key for key."""
    assert len(parsed) == 5
    for form, truth in zip(parsed, seed_documents, strict=True):
        got = form_to_dict(form)
        assert form.parse_warnings == []
        for key, want in truth.items():
            if key != "source":
                assert got[key] == want, key


def test_seed_provenance(parsed) -> None:
    for form in parsed:
        assert form.source["template"] == "central"
        assert form.source["file"] == SEED_TEXT.name
        assert form.source["layout"]["title"] == "财政项目支出绩效自评表(2022年度)"


def test_cli_parses_the_seed_text_and_reports_a_bad_text_file(tmp_path: Path, seed_documents) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "perfeval", "parse", str(SEED_TEXT), str(bad), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 1
    forms = json.loads(run.stdout)["forms"]
    assert [f["project_name"] for f in forms] == [d["project_name"] for d in seed_documents]
    err = run.stderr.strip().splitlines()
    assert len(err) == 1 and "notes.txt" in err[0] and "未找到项目支出绩效自评表" in err[0]
    assert "Traceback" not in run.stderr
