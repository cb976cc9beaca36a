"""`perfeval score` and `perfeval check` as the interchange spec describes them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from seedpaths import SEED_JSON

from perfeval.cli import main
from perfeval.interchange import dumps
from perfeval.quantity import parse_quantity

PRINTED = [
    ([8, 8, 6, 10, 6, 6, 7, 7, 6, 8, 10], 92),
    ([6, 5, 5, 0, 6, 6, 0, 0, 0, 5, 5, 10, 10, 10, 10], 88),
    ([16, 16, 18, 15, 15, 10], 100),
    ([4.7, 6.9, 7, 7, 8, 7, 7, 8, 8, 8, 6, 10], 97.6),
    ([4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 10], 100),
]


@pytest.fixture()
def blanked(seed_forms, tmp_path: Path) -> Path:
    """The seed bundle with the computed scores set to null (rows whose target and actual hold a
    number, the execution score, the total)."""
    for form in seed_forms:
        for ind in form.indicators:
            if parse_quantity(ind.target).value is not None and parse_quantity(ind.actual).value is not None:
                ind.score = None
        form.total_fund.score = None
        form.total_score = None
    path = tmp_path / "blanked.json"
    path.write_text(dumps(seed_forms), encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_gives_back_the_printed_scores(capsys, blanked):
    code, out, _ = run(capsys, "score", str(blanked), "--json")
    assert code == 0
    forms = json.loads(out)["forms"]
    assert len(forms) == 5
    for form, (scores, total) in zip(forms, PRINTED, strict=True):
        assert [i["score"] for i in form["indicators"]] == scores
        assert form["total_score"] == total
        assert form["funds"][0]["score"] == 10 and form["funds"][0]["execution_rate"] == 1
        assert form["profile"] == "shanghai"
        assert {f["code"] for f in form["findings"]} >= {"FUNDS_SUM_MISMATCH", "SCORE_MISSING"}
        assert set(form["findings"][0]) == {"code", "severity", "path", "message", "hint"}
        assert "explanations" not in form


def test_score_profile_and_explain(capsys, blanked):
    code, out, _ = run(capsys, "score", str(blanked), "--json", "--profile", "central", "--explain")
    form = json.loads(out)["forms"][3]
    assert form["profile"] == "central"
    assert [i["score"] for i in form["indicators"][:2]] == [4.7, 6.88]
    assert form["explanations"][2]["path"] == "indicators.1.score"
    assert "6.8775" in form["explanations"][2]["text_zh"]


def test_score_human_explain(capsys, blanked):
    code, out, _ = run(capsys, "score", str(blanked), "--explain")
    assert code == 0
    assert "总分 97.6，等级「优」" in out
    assert "11790 ÷ 12000 × 7 = 6.8775" in out


def test_check_json_exit_code(capsys, seed_forms, tmp_path):
    seeds = SEED_JSON
    code, out, _ = run(capsys, "check", *map(str, seeds), "--json")
    doc = json.loads(out)
    assert code == 0  # the seed raises warnings only (年初预算数 sums)
    assert [set(f) for f in doc["forms"]] == [{"project_name", "findings"}] * 5
    assert doc["forms"][3]["project_name"] == "窗口业务管理"
    assert all(f["severity"] != "error" for form in doc["forms"] for f in form["findings"])
    code, out, _ = run(capsys, "check", str(seeds[2]))
    assert code == 0 and "[警告] TARGET_NOT_QUANTIFIED" in out
    broken = seed_forms[2]
    broken.total_fund.executed = (broken.total_fund.executed or 0) + 1000  # a column the score uses
    path = tmp_path / "broken.json"
    path.write_text(dumps(broken), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--json")
    assert code == 1
    errors = [f for f in json.loads(out)["forms"][0]["findings"] if f["severity"] == "error"]
    assert ("FUNDS_SUM_MISMATCH", "funds.total.executed") in [(f["code"], f["path"]) for f in errors]


def test_unknown_profile_one_line(capsys, blanked):
    code, out, err = run(capsys, "score", str(blanked), "--profile", "nowhere")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "nowhere" in err and "Traceback" not in err


def test_missing_file_does_not_stop_the_others(capsys, blanked, tmp_path):
    code, out, err = run(capsys, "check", str(tmp_path / "none.json"), str(blanked), "--json")
    assert code == 1 and len(json.loads(out)["forms"]) == 5
    assert "文件不存在" in err


def test_console_entry_point(blanked):
    proc = subprocess.run(
        [sys.executable, "-m", "perfeval", "score", str(blanked), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert [f["total_score"] for f in json.loads(proc.stdout)["forms"]] == [92, 88, 100, 97.6, 100]


def test_scored_output_reads_back_as_interchange(capsys, blanked):
    from perfeval.interchange import forms_from_document

    _, out, _ = run(capsys, "score", str(blanked), "--json")
    forms = forms_from_document(json.loads(out))
    assert [f.total_score for f in forms] == [92, 88, 100, 97.6, 100]
