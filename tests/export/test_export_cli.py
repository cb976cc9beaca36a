"""``perfeval export``: formats, bundles, findings, errors as one Chinese line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from seedpaths import SEED_JSON

from perfeval.cli import main
from perfeval.export import MEDIA_TYPES, ExportError, export_filename, export_forms


def test_bundle_to_xlsx_with_format_from_extension(tmp_path: Path, capsys) -> None:
    out = tmp_path / "bundle.xlsx"
    assert main(["export", *map(str, SEED_JSON), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 5
    assert "已导出 5 张自评表" in capsys.readouterr().err


def test_json_export_round_trips_the_seed(tmp_path: Path, seed_documents) -> None:
    out = tmp_path / "out.data"
    assert main(["export", str(SEED_JSON[2]), "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    form = doc["forms"][0]
    want = dict(seed_documents[2])
    want.pop("source")
    assert {k: v for k, v in form.items() if k in want} == want


def test_findings_and_signoff_options(tmp_path: Path) -> None:
    pytest.importorskip("perfeval.rules")
    out = tmp_path / "with-findings.xlsx"
    args = ["export", str(SEED_JSON[0]), "-o", str(out), "--findings", "--final", "--unit-leader", "王五"]
    assert main(args) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "未解决的校验问题"
    codes = {c.value for c in wb[wb.sheetnames[-1]]["D"]}
    assert "项目资金·年度资金总额·年初预算数" in codes  # the seed's real FUNDS_SUM_MISMATCH, named in Chinese
    texts = {c.value for row in wb.worksheets[0].iter_rows() for c in row}
    assert "单位负责人：王五" in texts
    assert not wb.worksheets[0].oddHeader.right.text  # --final: no 草稿 mark


def test_errors_are_one_chinese_line(tmp_path: Path, capsys) -> None:
    assert main(["export", str(SEED_JSON[0]), "-o", str(tmp_path / "out.txt")]) == 1
    err = capsys.readouterr().err
    assert "无法从输出文件名判断导出格式" in err and "Traceback" not in err
    assert main(["export", str(tmp_path / "missing.json"), "-o", str(tmp_path / "o.pdf")]) == 1
    assert "文件不存在" in capsys.readouterr().err
    assert not (tmp_path / "o.pdf").exists()


def test_library_rejects_bad_arguments(seed_forms) -> None:
    with pytest.raises(ExportError, match="不支持的导出格式"):
        export_forms(seed_forms, "odt")
    with pytest.raises(ExportError, match="没有可导出的自评表"):
        export_forms([], "pdf")
    with pytest.raises(ExportError, match="按表分组"):
        export_forms(
            seed_forms, "pdf", findings=[{"code": "X", "severity": "error", "path": "year", "message": "m"}]
        )
    data = export_forms(
        seed_forms[0], "xlsx", findings=[{"code": "X", "severity": "info", "path": "year", "message": "m"}]
    )
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[-1] == "未解决的校验问题"


def test_download_file_names(seed_forms) -> None:
    assert export_filename(seed_forms[3], "pdf") == "2022年度_窗口业务管理_绩效自评表（草稿）.pdf"
    assert export_filename(seed_forms, "XLSX", final=True) == "2022年度_绩效自评表_5张.xlsx"
    odd = seed_forms[0].model_copy(update={"project_name": 'a/b:c*"d" e'})
    assert export_filename(odd, "docx", final=True) == "2022年度_abcde_绩效自评表.docx"
    assert set(MEDIA_TYPES) == {"xlsx", "docx", "pdf", "json"}
