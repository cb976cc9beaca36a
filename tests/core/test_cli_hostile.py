"""The command line against hostile input: numbers and JSON beyond the model's limits, a corrupt database,
standard input, and the start-up that loads no heavy module.  Every failure is one line, never an
internal error, and the good file given beside a bad one is still read."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from seedpaths import SEED_JSON, SEED_PDF

HEAVY = ("pydantic", "pypdf", "openpyxl", "docx", "reportlab", "sqlite_utils", "streamlit", "openai")


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    import os

    out = subprocess.run(
        [sys.executable, "-m", "perfeval", *args],
        capture_output=True,
        input=stdin,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    out.stdout = out.stdout.decode("utf-8")
    out.stderr = out.stderr.decode("utf-8")
    return out


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["parse", "--help"], ["export", "--help"]])
def test_start_up_loads_no_heavy_module(argv):
    code = (
        "import sys\nfrom perfeval.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "LOADED []"


def test_help_constants_match_the_library():
    from perfeval.assist import FIELDS
    from perfeval.cli import export as cli_export
    from perfeval.cli import suggest as cli_suggest
    from perfeval.export import FORMATS

    assert cli_export.FORMATS == FORMATS and cli_suggest.FIELDS == FIELDS


def _hostile(tmp_path: Path, seed_documents: list[dict]) -> list[Path]:
    good = seed_documents[3]
    files = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "deep-extra.json": '{"year": 2022, "extra": ' + '{"a": ' * 200 + "1" + "}" * 200 + "}",
        "digits.json": '{"year": 2022, "total_score": ' + "9" * 5000 + "}",
        "nan.json": '{"year": 2022, "total_score": NaN}',
        "inf.json": '{"year": 2022, "total_score": 1e999}',
        "surrogate.json": '{"year": 2022, "project_name": "a\\ud800b"}',
    }
    for key, path, value in (
        ("weight", ("indicators", 0, "weight"), 1e308),
        ("money", ("funds", 0, "annual_budget"), 1e300),
        ("digits-text", ("funds", 0, "executed"), "9" * 5000),
        ("score", ("indicators", 1, "score"), -1e12),
        ("target", ("indicators", 0, "target"), "≥" + "9" * 400 + "个"),
        ("rate", ("funds", 0, "execution_rate"), 1e40),
    ):
        doc = json.loads(json.dumps(good))
        doc[path[0]][path[1]][path[2]] = value
        files[f"{key}.json"] = json.dumps(doc, ensure_ascii=False)
    out = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        out.append(tmp_path / name)
    return out


@pytest.mark.parametrize("command", ["parse", "score", "check"])
def test_hostile_numbers_and_json_are_one_line_each_and_the_good_form_is_read(
    tmp_path, seed_documents, command
):
    bad = _hostile(tmp_path, seed_documents)
    out = run(command, "--json", *map(str, bad), str(SEED_JSON[3]))
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == len(bad), out.stderr
    for path, line in zip(bad, lines, strict=True):
        assert line.startswith(f"perfeval: {path}: ") and "内部错误" not in line and "Traceback" not in line
    forms = json.loads(out.stdout)["forms"]
    assert [f["project_name"] for f in forms] == [seed_documents[3]["project_name"]]
    messages = "\n".join(lines)
    for words in ("嵌套层数过多", "位数过多", "不能有 NaN", "超出范围", "孤立的代理码位", "数值超出合理范围"):
        assert words in messages


def test_hostile_numbers_through_export_raise_no_internal_error(tmp_path, seed_documents):
    bad = _hostile(tmp_path, seed_documents)
    for fmt in ("xlsx", "json"):
        target = tmp_path / f"out.{fmt}"
        out = run("export", *map(str, bad), str(SEED_JSON[3]), "-o", str(target), "--findings")
        assert out.returncode == 1 and target.stat().st_size > 0
        assert "内部错误" not in out.stderr and len(out.stderr.strip().splitlines()) == len(bad) + 1


def test_numbers_at_the_limits_score_check_draft_and_export(tmp_path, seed_documents):
    """The largest values the model accepts go through every command without an error."""
    from perfeval.model import MAX_MONEY, MAX_SCORE, MAX_WEIGHT, MIN_MONEY

    doc = json.loads(json.dumps(seed_documents[3]))
    for n, row in enumerate(doc["funds"]):
        row.update(initial_budget=MAX_MONEY, annual_budget=MIN_MONEY if n else MAX_MONEY, executed=MAX_MONEY)
        row.update(execution_rate=None, weight=MAX_WEIGHT, score=-MAX_SCORE)
    for row in doc["indicators"]:
        row.update(weight=MAX_WEIGHT, score=MAX_SCORE)
    doc["indicators"][0].update(target="≥" + "9" * 30 + "个", actual="0.000000000000000000000000000001个")
    doc["indicators"][1].update(target="≤0.000001小时", actual="999999999999999小时")
    path = tmp_path / "limits.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for args in (["score", "--explain"], ["check"], ["draft"], ["parse"]):
        out = run(*args, str(path))
        assert out.returncode in (0, 1) and not out.stderr, out.stderr
    for fmt in ("xlsx", "docx", "pdf", "json"):
        out = run("export", str(path), "-o", str(tmp_path / f"limits.{fmt}"), "--findings")
        assert out.returncode == 0, out.stderr


def test_standard_input_is_read_like_a_file(seed_documents):
    out = run("check", "-", stdin=SEED_JSON[3].read_bytes())
    assert out.returncode == 0 and "FUNDS_SUM_MISMATCH" in out.stdout  # seed-4's 年初预算数 sums: a warning
    broken = json.loads(SEED_JSON[3].read_text(encoding="utf-8"))
    broken["indicators"][0]["deviation"] = ""  # 4.7 of 7 points and no reason: an error
    out = run("check", "-", stdin=json.dumps(broken, ensure_ascii=False).encode("utf-8"))
    assert out.returncode == 1 and "DEVIATION_REASON_MISSING" in out.stdout
    out = run("parse", "--json", "-", stdin=SEED_PDF.read_bytes())  # a PDF, recognised by its content
    assert out.returncode == 0 and len(json.loads(out.stdout)["forms"]) == 5
    out = run("score", "--json", "-", str(SEED_JSON[0]), stdin=SEED_JSON[3].read_bytes())
    names = [f["project_name"] for f in json.loads(out.stdout)["forms"]]
    assert names == [seed_documents[3]["project_name"], seed_documents[0]["project_name"]]
    out = run("parse", "-", str(SEED_JSON[0]), stdin=b'{"year": 2022,')
    assert out.returncode == 1 and out.stderr.startswith("perfeval: 标准输入: JSON 格式错误")
    assert "1. 2022年度" in out.stdout


def test_draft_saves_standard_input_as_its_source_file(tmp_path):
    db = tmp_path / "d.db"
    out = run("draft", "-", "--save", "--db", str(db), stdin=SEED_JSON[0].read_bytes())
    assert out.returncode == 0, out.stderr
    from perfeval.store import Store

    with Store(db) as store:
        assert [s.name for s in store.source_files()] == ["标准输入"]


def test_a_corrupt_database_is_one_line(tmp_path):
    db = tmp_path / "c.db"
    for _ in range(3):
        assert run("draft", str(SEED_PDF), "--save", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096
    middle = len(data) // page // 2
    data[middle * page : (middle + 1) * page] = b"\xff" * page
    db.write_bytes(data)
    results = [run("db", "--db", str(db), *a) for a in (["list"], ["export", str(tmp_path / "b.json")])]
    failed = [r for r in results if r.returncode != 0]
    assert failed, "the corrupt page was never read"
    for r in failed:
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "数据库文件已损坏" in lines[0] and "内部错误" not in lines[0]


def test_third_party_reader_warnings_stay_off_stderr(tmp_path):
    """pypdf warns on stderr about a PDF whose startxref is off (and about every damaged object of a
    broken catalog); the command line prints only its own lines."""
    data = SEED_PDF.read_bytes()
    at = data.rindex(b"startxref") + len(b"startxref")
    end = data.index(b"%%EOF", at)
    offset = int(data[at:end].strip())
    bad = tmp_path / "off.pdf"
    bad.write_bytes(data[:at] + f"\n{offset + 7}\n".encode() + data[end:])
    probe = subprocess.run(
        [sys.executable, "-c", f"from pypdf import PdfReader; PdfReader({str(bad)!r}).pages[0]"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stderr.strip(), "pypdf no longer warns about this file: the test needs another one"
    out = run("parse", str(bad))
    assert out.returncode == 0 and out.stderr == "" and "共 5 张自评表" in out.stdout


def test_only_the_named_command_is_built_in_full_and_each_still_has_its_options():
    top = run("--help").stdout
    for name in ("parse", "score", "check", "draft", "export", "suggest", "db"):
        assert name in top
    assert "--format" in run("export", "--help").stdout
    assert "--explain" in run("score", "--json", "--help").stdout
    assert "--revision" in run("db", "form", "--help").stdout
