"""Make the README screenshot of the editing page: ``.venv/bin/python tests/e2e/screenshot_app.py``.

Starts the app on a temporary database, imports the seed PDF, opens 窗口业务管理, changes one actual
(so the total shows its change), opens a row's explanation and saves docs/img/app-edit.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from browser_app import ROOT, SEED_PDF, browser_page, edit_cell, metric_value, running_app

OUT = ROOT / "docs" / "img" / "app-edit.png"


def main(out: Path = OUT) -> Path:
    from playwright.sync_api import expect

    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(Path(tmp) / "perfeval.db") as url,
        browser_page(width=1700, height=1800) as page,
    ):
        page.goto(url)
        page.locator('input[type="file"]').set_input_files(str(SEED_PDF))
        expect(page.get_by_text("找到 5 张表")).to_be_visible(timeout=90_000)
        page.locator(".st-key-review_3 button").click()
        total = metric_value(page, "规则总分")
        expect(total).to_have_text("97.6")
        edit_cell(page, "indicators__", column=5, row=0, text="25000")
        expect(total).to_have_text("99.9")
        page.get_by_test_id("stMain").evaluate("el => el.scrollTo(0, 0)")
        page.mouse.move(0, 0)
        page.wait_for_timeout(800)
        page.screenshot(path=str(out))
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
