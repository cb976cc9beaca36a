"""perfeval.review on its own: archives (traversal, bombs, nesting), duplicates, order, field names,
and the XLSX report's safety with hostile text."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from review_batch import bundle_pdf
from seedpaths import SEED_JSON, SEED_TEXT

from perfeval import review as rv
from perfeval.cli import main
from perfeval.export.review_xlsx import review_xlsx, score_distribution
from perfeval.interchange import load_path
from perfeval.rules.fieldnames import field_name


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _one_failure(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:
    assert main(["review", *args, "--json", "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["forms"] == [] and len(doc["failed"]) == 1
    assert "\n" not in doc["failed"][0]["message"]
    return doc["failed"][0]


def test_zip_with_path_traversal_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    z = _zip(tmp_path / "evil.zip", {"ok.json": SEED_JSON[0].read_bytes(), "../../etc/x.json": b"{}"})
    failed = _one_failure(capsys, [str(z)])
    assert failed["file"] == z.as_posix()
    assert "越出压缩包的路径" in failed["message"] and "path traversal" in failed["message"]


@pytest.mark.parametrize("name", ["/abs/x.txt", "C:/x.txt", "a\\..\\..\\x.txt"])
def test_unsafe_member_names(name: str) -> None:
    assert rv._unsafe_member(name)


def test_zip_bomb_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    z = _zip(tmp_path / "bomb.zip", {"big.txt": b"0" * (20 * 1024**2)})  # 20 MB of zeros pack to ~20 KB
    failed = _one_failure(capsys, [str(z)])
    assert "压缩炸弹" in failed["message"]


def test_zip_limits_on_entries_and_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    z = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(12)})
    monkeypatch.setattr(rv, "MAX_ZIP_ENTRIES", 10)
    sources, failed = rv.collect([z])
    assert sources == [] and "文件数 12 超过上限 10" in failed[0].message
    monkeypatch.setattr(rv, "MAX_ZIP_ENTRIES", 100)
    monkeypatch.setattr(rv, "MAX_ZIP_TOTAL", 5)
    sources, failed = rv.collect([z])
    assert sources == [] and "too many" not in failed[0].message and "total size" in failed[0].message


def test_nested_zip_and_corrupt_zip(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("x.json", SEED_JSON[0].read_bytes())
    outer = _zip(
        tmp_path / "outer.zip", {"inner.zip": inner.getvalue(), "a/seed.json": SEED_JSON[1].read_bytes()}
    )
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    report = rv.review([outer, tmp_path / "bad.zip"], jobs=1)
    assert [(f.file, f.index) for f in report.forms] == [(f"{outer.as_posix()}/a/seed.json", 0)]
    messages = {f.file: f.message for f in report.failed}
    assert "只展开一层" in messages[f"{outer.as_posix()}/inner.zip"]
    assert "压缩包已损坏" in messages[(tmp_path / "bad.zip").as_posix()]


def test_uploaded_zip_members_are_read_from_memory(tmp_path: Path) -> None:
    data = _zip(tmp_path / "up.zip", {"2022/seed-3.json": SEED_JSON[2].read_bytes()}).read_bytes()
    sources, skipped = rv.zip_members(data, "up.zip")
    assert skipped == [] and [s.name for s in sources] == ["up.zip/2022/seed-3.json"]
    assert sources[0].data == SEED_JSON[2].read_bytes()
    result = rv.review_source(sources[0])
    assert result.failure is None and result.forms[0].form.project_name == "宣传与推广"


def test_gbk_member_names_of_chinese_windows_zips() -> None:
    """7-Zip/WinRAR on Chinese Windows store names in GBK without the UTF-8 flag."""
    gbk = "审核.json".encode("gbk")
    placeholder = b"x" * (len(gbk) - 5) + b".json"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(placeholder.decode(), SEED_JSON[0].read_bytes())
    data = buf.getvalue().replace(placeholder, gbk)  # local header and central directory
    sources, _ = rv.zip_members(data, "gbk.zip")
    assert [s.name for s in sources] == ["gbk.zip/审核.json"]
    assert rv.review_source(sources[0]).failure is None


def test_duplicates_are_marked_and_the_order_is_stable(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "seed.txt").write_bytes(SEED_TEXT.read_bytes())
    (tmp_path / "a.json").write_bytes(SEED_JSON[3].read_bytes())
    (tmp_path / "notes.md").write_text("不是自评表", encoding="utf-8")  # not a candidate in a folder
    (tmp_path / ".hidden.pdf").write_bytes(b"junk")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.json").write_bytes(b"junk")
    report = rv.review([tmp_path / "b", tmp_path], jobs=1)  # the folder twice: each file once
    names = [(f.file, f.index) for f in report.forms]
    assert names == sorted(names) and len(names) == 6 and report.failed == []
    dup = {f.ref: [x for x in f.findings if x.code == rv.DUPLICATE_CODE] for f in report.forms}
    a = f"{(tmp_path / 'a.json').as_posix()}#1"
    txt4 = f"{(tmp_path / 'b' / 'seed.txt').as_posix()}#4"
    assert {ref for ref, found in dup.items() if found} == {a, txt4}
    assert "第4张" in dup[a][0].message and dup[a][0].severity == "warning"
    again = rv.review([tmp_path], jobs=1)
    assert again.to_dict() == report.to_dict()


def test_a_pool_of_two_gives_the_in_process_result(tmp_path: Path) -> None:
    for k in range(2):
        (tmp_path / f"b{k}.pdf").write_bytes(bundle_pdf(1, seed=70 + k))
    (tmp_path / "empty.txt").write_bytes(b"")
    seen: list[int] = []
    pooled = rv.review([tmp_path], jobs=2, on_result=lambda done, total, r: seen.append(done))
    assert seen == [1, 2, 3]
    assert pooled.to_dict() == rv.review([tmp_path], jobs=1).to_dict()
    assert [f.file for f in pooled.failed] == [(tmp_path / "empty.txt").as_posix()]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("funds.total.initial_budget", "项目资金·年度资金总额·年初预算数"),
        ("indicators.3.deviation", "第4行「群众满意度」·偏差原因分析及改进措施"),
        ("indicators.40.score", "绩效指标第41行·得分"),
        ("funds.1.executed", "项目资金·当年财政拨款·全年执行数"),
        ("total_score", "总分"),
        ("extra.funds_reason", "预算调整及执行偏差原因"),
        ("", "整张表"),
    ],
)
def test_field_names(path: str, name: str) -> None:
    form = load_path(SEED_JSON[0])[0]
    form.indicators[3].name = "群众满意度"
    form.funds[1].label = "当年财政拨款"
    assert field_name(path, form) == name


def test_report_stores_hostile_text_as_text(tmp_path: Path) -> None:
    doc = json.loads(SEED_JSON[0].read_text(encoding="utf-8"))
    doc["project_name"] = '=HYPERLINK("http://x","点我")'
    doc["department"] = "+1+1"
    doc["indicators"][0]["deviation"] = ""
    doc["indicators"][0]["score"] = 0
    (tmp_path / "x.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = rv.review([tmp_path], jobs=1)
    wb = load_workbook(io.BytesIO(review_xlsx(report)))
    cell = wb["总览"]["C2"]
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"
    assert wb["总览"]["D2"].data_type == "s"
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert sum(n for _, n in score_distribution(report.forms)) == 1
