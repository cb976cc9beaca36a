"""A bomb uploaded beside a good file in the real app (headless Chromium): the good file imports, the
bomb is one line, and the server goes on serving a second browser session.

Runs wherever /usr/bin/chromium exists (see test_e2e_browser.py for the CI rule)."""

from __future__ import annotations

from pathlib import Path

import hostile as h
from browser_app import SEED_PDF, browser_page, require_browser, running_app


def test_a_bomb_beside_a_good_file(tmp_path: Path) -> None:
    require_browser()
    from playwright.sync_api import expect

    bomb = tmp_path / "炸弹.xlsx"
    bomb.write_bytes(h.zip_bomb(h.small_xlsx(), h.SHEET))  # 3 MB declaring 3 GiB
    loop = tmp_path / "自绘.pdf"
    loop.write_bytes(h.pdf_self_drawing_xobject())
    with running_app(tmp_path / "perfeval.db") as url, browser_page() as page:
        page.goto(url)
        page.locator('input[type="file"]').set_input_files([str(bomb), str(SEED_PDF), str(loop)])
        expect(page.get_by_text("找到 5 张表")).to_be_visible(timeout=120_000)
        expect(page.get_by_text("「炸弹.xlsx」无法导入：")).to_be_visible()
        expect(page.get_by_text("「自绘.pdf」无法导入：")).to_be_visible()
        assert page.get_by_text("Traceback").count() == 0
        # another user: a new browser session still loads the app
        second = page.context.browser.new_context().new_page()
        second.goto(url)
        expect(second.get_by_text("导入上一年度自评表")).to_be_visible()
