"""`perfeval review` as shared/spec/interchange.md ("Reviewer batch mode") describes it, on a real inbox:
PDF bundles, seed forms with injected errors, a broken PDF in a subfolder and a zip archive."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from review_batch import INJECTED, Batch, injected_seed

from perfeval.cli import main

FORM_KEYS = {
    "file", "index", "project_name", "department", "year", "total_score", "computed_total", "grade",
    "profile", "findings",
}  # fmt: skip
FINDING_KEYS = {"code", "severity", "path", "message", "hint"}


@pytest.fixture(scope="module")
def runs(batch: Batch, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``review in --json`` with 2 workers, and with 1 worker writing the XLSX report (run from the
    inbox's parent folder so that names are relative)."""
    out = tmp_path_factory.mktemp("report") / "report.xlsx"
    cwd = batch.root.parent
    cmd = [sys.executable, "-m", "perfeval", "review", "in", "--json"]
    two = subprocess.run([*cmd, "--jobs", "2"], cwd=cwd, capture_output=True, text=True, timeout=600)
    one = subprocess.run(
        [*cmd, "--jobs", "1", "-o", str(out)], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    return {"two": two, "one": one, "xlsx": out}


def test_json_lists_every_form_with_the_spec_keys(runs: dict, batch: Batch) -> None:
    doc = json.loads(runs["two"].stdout)
    assert set(doc) == {"forms", "failed"}
    assert len(doc["forms"]) == batch.n_forms
    for form in doc["forms"]:
        assert set(form) == FORM_KEYS
        for finding in form["findings"]:
            assert set(finding) == FINDING_KEYS
            assert finding["severity"] in ("error", "warning", "info")
    files = {f["file"] for f in doc["forms"]}
    assert files == {
        "in/bundles/b00.pdf",
        "in/bundles/b01.pdf",
        "in/bundles/b02.pdf",
        "in/seed-injected.json",
        "in/more.zip/zipped/b03.pdf",
    }
    assert [f["index"] for f in doc["forms"] if f["file"] == "in/bundles/b01.pdf"] == [0, 1, 2]
    clean = [f for f in doc["forms"] if f["file"].startswith("in/bundles/")]
    assert all(f["computed_total"] == pytest.approx(f["total_score"]) for f in clean)
    assert all(f["grade"] in ("优", "良", "中", "差") for f in clean)


def test_each_injected_error_is_found_on_its_own_form(runs: dict) -> None:
    doc = json.loads(runs["two"].stdout)
    seeds = [f for f in doc["forms"] if f["file"] == "in/seed-injected.json"]
    names = [f["project_name"] for f in injected_seed()["forms"]]
    assert [f["project_name"] for f in seeds] == names
    for code, form in zip(INJECTED, seeds, strict=True):
        codes = {x["code"] for x in form["findings"] if x["severity"] == "error"}
        assert code in codes, (form["project_name"], codes)
    # each injected code is on its own form, not on the four others
    for k, code in enumerate(INJECTED):
        others = [f for i, f in enumerate(seeds) if i != k]
        assert all(code not in {x["code"] for x in f["findings"]} for f in others), code


def test_broken_file_named_with_a_reason_and_exit_non_zero(runs: dict, batch: Batch) -> None:
    doc = json.loads(runs["two"].stdout)
    assert [f["file"] for f in doc["failed"]] == [batch.broken]
    message = doc["failed"][0]["message"]
    assert "\n" not in message and "PDF" in message and "(" in message
    assert runs["two"].returncode == 1
    assert "Traceback" not in runs["two"].stderr


def test_same_output_with_one_or_two_workers(runs: dict) -> None:
    assert runs["one"].returncode == runs["two"].returncode == 1
    assert runs["one"].stdout == runs["two"].stdout


def test_report_holds_every_form_and_the_findings(runs: dict, batch: Batch) -> None:
    doc = json.loads(runs["one"].stdout)
    wb = load_workbook(runs["xlsx"])
    assert wb.sheetnames == ["总览", "问题明细", "无法读取", "统计"]
    overview = list(wb["总览"].iter_rows(values_only=True))
    assert overview[0][:6] == ("文件", "序号", "项目名称", "主管部门", "年度", "自评总分")
    assert len(overview) - 1 == batch.n_forms
    assert [(r[0], r[1], r[2]) for r in overview[1:]] == [
        (f["file"], f["index"] + 1, f["project_name"]) for f in doc["forms"]
    ]
    assert wb["总览"].freeze_panes == "A2" and wb["总览"].auto_filter.ref
    findings = list(wb["问题明细"].iter_rows(values_only=True))
    assert len(findings) - 1 == sum(len(f["findings"]) for f in doc["forms"])
    fields = {r[3] for r in findings[1:]}
    assert not any("." in f for f in fields)  # Chinese names, not interchange paths
    assert "项目资金·年度资金总额·执行率" in fields
    failed = list(wb["无法读取"].iter_rows(values_only=True))
    assert failed[1][0] == batch.broken
    assert len(wb["统计"]._charts) == 2


def test_human_output_and_clean_exit(batch: Batch, capsys: pytest.CaptureFixture[str]) -> None:
    clean = batch.root / "bundles" / "b00.pdf"
    assert main(["review", str(clean), "--jobs", "1"]) in (0, 1)
    out = capsys.readouterr().out
    assert out.startswith("共 3 张自评表")


def test_exit_zero_when_nothing_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = injected_seed()["forms"][3]  # 窗口业务管理: fix the injected rate and the seed's own sum
    total = next(f for f in doc["funds"] if f["kind"] == "total")
    total["execution_rate"] = 1.0
    total["initial_budget"] = sum(f["initial_budget"] or 0 for f in doc["funds"] if f["kind"] != "total")
    (tmp_path / "ok.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["review", str(tmp_path), "--json", "--jobs", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["forms"]) == 1 and out["failed"] == []


def test_unknown_profile_and_bad_jobs_are_one_line(batch: Batch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(batch.root / "seed-injected.json"), "--profile", "nowhere"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["review", str(batch.root), "--jobs", "0"])


def test_missing_path_is_a_failed_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(tmp_path / "nope.pdf"), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc == {
        "forms": [],
        "failed": [{"file": (tmp_path / "nope.pdf").as_posix(), "message": "文件不存在 (no such file)"}],
    }


def test_profile_applies_to_every_form(batch: Batch, capsys: pytest.CaptureFixture[str]) -> None:
    main(["review", str(batch.root / "seed-injected.json"), "--json", "--jobs", "1", "--profile", "central"])
    doc = json.loads(capsys.readouterr().out)
    assert [f["profile"] for f in doc["forms"]] == ["central"] * 5
