"""The 审核 page in a real browser: six files at once (two PDF bundles, an image-only scanned PDF read by
OCR, an XLS, an XLSX and a broken PDF); every form is listed, the broken file is named, the XLSX report
downloads.

Runs wherever /usr/bin/chromium exists (skipped otherwise, a failure in CI)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
from browser_app import browser_page, download, metric_value, require_browser, running_app
from seedpaths import DATA

from perfeval.export import export_forms
from perfeval.samples import sample_bundle, sample_form

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from scans import write_scan  # noqa: E402  (our PDF export, rasterised at 200 dpi and skewed)

XLS = DATA.parent / "ingest" / "data" / "formats.xls"


def _inbox(folder: Path) -> tuple[list[Path], int]:
    """The six files and how many forms they hold."""
    folder.mkdir()
    scan = write_scan([sample_form(93, "central", n_indicators=6)], "scan", folder / "f-scan", seed=93)
    files = {
        "a-bundle.pdf": export_forms(sample_bundle(3, seed=90), "pdf", final=True),
        "b-bundle.pdf": export_forms(sample_bundle(2, seed=91), "pdf", final=True),
        "c-legacy.xls": XLS.read_bytes(),  # 4 forms, saved by LibreOffice as Excel 97-2003
        "d-sheet.xlsx": export_forms(sample_bundle(2, seed=92), "xlsx", final=True),
    }
    whole = files["b-bundle.pdf"]
    files["e-broken.pdf"] = whole[: len(whole) // 2]
    paths = [scan]
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths, 3 + 2 + 4 + 2 + 1


def test_review_page_takes_six_files_at_once(tmp_path: Path) -> None:
    require_browser()
    from playwright.sync_api import expect

    paths, n_forms = _inbox(tmp_path / "inbox")
    with running_app(tmp_path / "perfeval.db") as url, browser_page() as page:
        page.goto(f"{url}/review")
        expect(page.get_by_text("审核：批量校验自评表")).to_be_visible()
        page.locator('input[type="file"]').set_input_files([str(p) for p in paths])
        expect(metric_value(page, "自评表")).to_have_text(str(n_forms), timeout=120_000)
        expect(metric_value(page, "无法读取的文件")).to_have_text("1")
        failed = page.locator(".st-key-review_failed")
        expect(failed).to_contain_text("e-broken.pdf：PDF")
        expect(page.get_by_text(f"自评表（显示 {n_forms} / {n_forms}）")).to_be_visible()
        # the first form (sorted by file) is shown in detail, from its plain-text heading
        expect(page.get_by_test_id("stText").filter(has_text="a-bundle.pdf · 第1张 · ").first).to_be_visible()

        button = page.locator(".st-key-review_download button")
        expect(button).to_contain_text("审核报告")
        name, data = download(page, button)
        assert name == "审核报告.xlsx"

    book = openpyxl.load_workbook(io.BytesIO(data))
    overview = list(book["总览"].iter_rows(values_only=True))[1:]
    assert len(overview) == n_forms
    assert {r[0] for r in overview} == {
        "a-bundle.pdf",
        "b-bundle.pdf",
        "c-legacy.xls",
        "d-sheet.xlsx",
        "f-scan.pdf",
    }
    assert [r[0] for r in list(book["无法读取"].iter_rows(values_only=True))[1:]] == ["e-broken.pdf"]
    assert book["问题明细"].max_row > 1
