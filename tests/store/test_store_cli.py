"""``perfeval draft`` and ``perfeval db`` through the CLI entry point."""

from __future__ import annotations

import json

import pytest
from seedpaths import SEED_JSON

from perfeval.cli import main
from perfeval.store import Store


@pytest.fixture()
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFEVAL_USER", "测试员")
    monkeypatch.delenv("PERFEVAL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cli.db"


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_draft_json_prints_forms_and_suggestions(capsys, db):
    assert main(["draft", str(SEED_JSON[1]), str(SEED_JSON[4]), "--json"]) == 0
    doc = _json(capsys)
    assert doc["mode"] == "draft" and doc["profiles"] == ["shanghai", "shanghai"]
    assert [f["year"] for f in doc["forms"]] == [2023, 2023]
    assert all(i["actual"] == "" and i["score"] is None for f in doc["forms"] for i in f["indicators"])
    codes = {(s["form"], s["code"]) for s in doc["suggestions"]}
    assert (0, "RECHECK_CANCELLED") in codes and (1, "RAISE_TARGET") in codes
    raise_ = next(s for s in doc["suggestions"] if s["code"] == "RAISE_TARGET")
    assert raise_["proposed"] == "=3人" and raise_["path"] == "indicators.5.target"
    assert "saved" not in doc
    assert not (db.parent / "data").exists()  # nothing stored without --save


def test_draft_as_is_and_human_output(capsys, db):
    assert main(["draft", str(SEED_JSON[3]), "--as-is", "--json"]) == 0
    doc = _json(capsys)
    assert doc["mode"] == "review" and doc["forms"][0]["year"] == 2022 and doc["suggestions"] == []
    assert main(["draft", str(SEED_JSON[4])]) == 0
    out = capsys.readouterr().out
    assert "2023年度「网络信息系统运行与维护」" in out and "RAISE_TARGET" in out and "=3人" in out


def test_draft_save_then_db_commands(capsys, db, tmp_path):
    assert main(["draft", str(SEED_JSON[0]), str(SEED_JSON[2]), "--save", "--db", str(db), "--json"]) == 0
    saved = _json(capsys)["saved"]
    assert [s["revision"] for s in saved] == [1, 1]
    with Store(db) as store:
        files = store.source_files()
        assert [f.name for f in files] == ["seed-1.json", "seed-3.json"]
        assert store.get(saved[0]["id"]).source_file_id == files[0].id
        assert store.get(saved[0]["id"]).updated_by == "测试员"

    assert main(["db", "--db", str(db), "list", "--json"]) == 0
    listed = _json(capsys)["drafts"]
    assert {d["project"] for d in listed} == {"网络信息系统开发、升级、建设（历年已批复）", "宣传与推广"}

    draft_id = saved[1]["id"]
    assert main(["db", "show", str(draft_id), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "宣传与推广" in out and "第1版" in out and "测试员" in out

    assert main(["db", "--db", str(db), "form", str(draft_id)]) == 0
    assert _json(capsys)["year"] == 2023

    assert main(["db", "--db", str(db), "delete", str(draft_id)]) == 0
    capsys.readouterr()
    assert main(["db", "--db", str(db), "list", "--json"]) == 0
    assert len(_json(capsys)["drafts"]) == 1
    assert main(["db", "--db", str(db), "undelete", str(draft_id)]) == 0
    capsys.readouterr()

    backup = tmp_path / "备份.json"
    assert main(["db", "--db", str(db), "export", str(backup)]) == 0
    assert "草稿 2 份" in capsys.readouterr().out
    copy = tmp_path / "copy.db"
    assert main(["db", "--db", str(copy), "import", str(backup)]) == 0
    capsys.readouterr()
    with Store(db) as a, Store(copy) as b:
        assert a.dump() == b.dump()
    # A second import into the now non-empty copy is refused with a one-line Chinese reason ...
    assert main(["db", "--db", str(copy), "import", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "--replace" in err and "Traceback" not in err
    # ... unless --replace.
    assert main(["db", "--db", str(copy), "import", str(backup), "--replace"]) == 0


def test_db_restore_and_errors(capsys, db):
    with Store(db) as store:
        rec = store.create(json_form(), who="张三")
        form = rec.form.model_copy(deep=True)
        form.goal_actual = "改过"
        store.save(rec.id, form, base_revision=1, who="张三")
    assert main(["db", "--db", str(db), "restore", str(rec.id), "1"]) == 0
    assert "第 3 版" in capsys.readouterr().out
    with Store(db) as store:
        assert store.get(rec.id).form.goal_actual == rec.form.goal_actual
    assert main(["db", "--db", str(db), "show", "42"]) == 1
    assert "没有编号为 42 的草稿" in capsys.readouterr().err
    assert main(["db", "--db", str(db), "restore", str(rec.id), "9"]) == 1
    assert "没有第 9 版" in capsys.readouterr().err


def test_default_database_location(capsys, db, tmp_path):
    assert main(["db", "list"]) == 0
    assert "没有草稿" in capsys.readouterr().out
    assert (tmp_path / "data" / "perfeval.db").is_file()


def json_form():
    from perfeval.interchange import load_path

    return load_path(SEED_JSON[2])[0]


def test_draft_from_the_seed_pdf_matches_the_draft_from_its_ground_truth(capsys, db):
    from seedpaths import SEED_PDF

    assert main(["draft", str(SEED_PDF), "--json"]) == 0
    from_pdf = _json(capsys)
    assert main(["draft", *map(str, SEED_JSON), "--json"]) == 0
    from_json = _json(capsys)
    assert len(from_pdf["forms"]) == 5
    key = [(s["form"], s["code"], s["path"], s["proposed"]) for s in from_json["suggestions"]]
    assert [(s["form"], s["code"], s["path"], s["proposed"]) for s in from_pdf["suggestions"]] == key
    for a, b in zip(from_pdf["forms"], from_json["forms"], strict=True):
        assert [i["target"] for i in a["indicators"]] == [i["target"] for i in b["indicators"]]
        assert a["year"] == b["year"] == 2023


def test_a_bad_file_does_not_stop_the_others(capsys, db, tmp_path):
    bad = tmp_path / "坏文件.json"
    bad.write_text("{oops", encoding="utf-8")
    assert main(["draft", str(bad), str(SEED_JSON[2]), "--json"]) == 1
    captured = capsys.readouterr()
    assert [f["project_name"] for f in json.loads(captured.out)["forms"]] == ["宣传与推广"]
    assert "坏文件.json" in captured.err and "Traceback" not in captured.err
