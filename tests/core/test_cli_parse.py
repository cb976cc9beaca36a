"""The ``perfeval`` command as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from seedpaths import SEED_JSON


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "perfeval", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_parse_json_prints_the_form_back_as_a_bundle(seed_documents):
    out = run("parse", str(SEED_JSON[0]), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"forms": [seed_documents[0]]}


def test_malformed_json_gets_one_line_and_exit_1(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2022,', encoding="utf-8")
    out = run("parse", str(bad), "--json")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "JSON 格式错误" in lines[0] and "Traceback" not in out.stderr
    assert json.loads(out.stdout) == {"forms": []}


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path, seed_documents):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    out = run("parse", str(bad), str(SEED_JSON[1]), str(tmp_path / "missing.json"), "--json")
    assert out.returncode == 1
    assert json.loads(out.stdout)["forms"] == [seed_documents[1]]
    assert len(out.stderr.strip().splitlines()) == 2


def test_human_summary_and_version():
    out = run("parse", *map(str, SEED_JSON))
    assert out.returncode == 0
    assert "共 5 张自评表" in out.stdout and "窗口业务管理" in out.stdout
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("perfeval ")


def test_help_lists_parse():
    out = run("--help")
    assert out.returncode == 0 and "parse" in out.stdout


def test_an_unexpected_error_in_one_file_is_one_line_and_the_others_go_on(capsys, seed_forms):
    from perfeval.cli.common import read_all

    def reader(path: str):
        if path == "bug":
            raise RuntimeError("boom")
        return seed_forms[:1]

    forms, failed = read_all(["bug", "ok"], reader=reader)
    assert failed == 1 and forms == seed_forms[:1]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("perfeval: bug: 内部错误：RuntimeError: boom")


def test_a_form_that_fails_in_scoring_is_one_line_and_the_others_go_on(capsys, seed_forms):
    from perfeval.cli.common import each_form

    def work(form):
        if form is seed_forms[1]:
            raise RecursionError("deep")
        if form is seed_forms[2]:
            raise KeyError("bug")
        return form.project_name

    done, failed = each_form(seed_forms[:3], work)
    assert failed == 2 and [r for _, r in done] == [seed_forms[0].project_name]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "嵌套层数过多" in err[0] and seed_forms[1].project_name in err[0]
    assert "内部错误：KeyError" in err[1]
