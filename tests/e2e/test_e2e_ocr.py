"""A phone photo of a form in a real browser: upload it on the import page, open the form, see the crop
of the number the funds' arithmetic contradicts beside it, and confirm it with one click.

Runs wherever /usr/bin/chromium exists (see browser_app.require_browser for the CI rule)."""

from __future__ import annotations

import sys
from pathlib import Path

from browser_app import browser_page, require_browser, running_app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from scans import misprint, write_scan  # noqa: E402

from perfeval.samples import sample_form  # noqa: E402


def test_upload_photo_and_confirm_a_flagged_number(tmp_path: Path) -> None:
    require_browser()
    from playwright.sync_api import expect

    form = sample_form(31, "central", n_indicators=5)
    misprint(form)
    photo = write_scan([form], "photo", tmp_path / "自评表照片", seed=31)
    with running_app(tmp_path / "perfeval.db") as url, browser_page() as page:
        page.goto(url)
        page.locator('input[type="file"]').set_input_files(str(photo))
        expect(page.get_by_text("找到 1 张表")).to_be_visible(timeout=240_000)
        page.locator(".st-key-review_0 button").click()
        review = page.get_by_test_id("stExpander").filter(has_text="扫描件识别存疑")
        expect(review).to_be_visible()
        expect(review.get_by_text("全年执行数").first).to_be_visible()
        crop = review.get_by_test_id("stImage").first
        expect(crop).to_be_visible()
        expect(crop.locator("img")).to_have_js_property("complete", True)
        assert crop.locator("img").evaluate("img => img.naturalWidth") > 20
        buttons = page.locator('[class*="st-key-ocr_confirm_"]')
        page.wait_for_timeout(1500)  # the whole list rendered
        n = buttons.count()
        assert n >= 1
        buttons.first.locator("button").click()
        for _ in range(60):  # the confirmed number is no longer flagged
            page.wait_for_timeout(500)
            if buttons.count() < n:
                break
        assert buttons.count() < n
