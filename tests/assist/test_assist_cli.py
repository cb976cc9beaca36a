"""``perfeval suggest FILE --field goal|deviation [--indicator N] [--form K] [--backend NAME] --json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from seedpaths import SEED_JSON

from perfeval.assist import suggest
from perfeval.cli import main
from perfeval.interchange import bundle_to_dict, load_path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["suggest", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_deviation_of_a_row(capsys):
    code, out, err = _run(capsys, str(SEED_JSON[3]), "--field", "deviation", "--indicator", "0", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"text", "backend", "warnings"}
    assert doc["backend"] == "template" and doc["warnings"] == []
    assert doc["text"].startswith(
        "原因：服务新开办企业数量年初设定指标值25000家，实际完成16780家，完成率67.12%"
    )


def test_goal_from_the_kth_form_of_a_bundle(capsys, tmp_path: Path):
    forms = [load_path(p)[0] for p in SEED_JSON]
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(bundle_to_dict(forms), ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(capsys, str(bundle), "--field", "goal", "--form", "2", "--json")
    assert code == 0
    assert json.loads(out)["text"] == suggest("goal", forms[2]).text
    code, out, err = _run(capsys, str(bundle), "--field", "goal", "--form", "5")
    assert code == 1 and out == "" and "没有第 5 张表" in err and "Traceback" not in err


def test_plain_output_and_funds_deviation(capsys):
    code, out, _ = _run(capsys, str(SEED_JSON[0]), "--field", "deviation")
    assert code == 0 and out.startswith("原因：全年预算数641.23万元")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--field", "deviation", "--indicator", "40"], "没有第 40 号指标"),
        (["--field", "goal", "--backend", "nope"], "没有名为「nope」"),
    ],
)
def test_errors_are_one_chinese_line(capsys, args, message):
    code, out, err = _run(capsys, str(SEED_JSON[0]), *args)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file(capsys, tmp_path):
    code, _, err = _run(capsys, str(tmp_path / "none.json"), "--field", "goal")
    assert code == 1 and "文件不存在" in err


def test_console_script():
    exe = Path(sys.executable).with_name("perfeval")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "perfeval"]
    run = subprocess.run(
        [*cmd, "suggest", str(SEED_JSON[1]), "--field", "deviation", "--indicator", "3", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert "取消" in doc["text"] and doc["warnings"] == []
