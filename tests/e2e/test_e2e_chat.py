"""The chat panel in a real browser (Debian Chromium): import the seed PDF, 核对本年度 on 「窗口业务管理」,
ask a what-if (99.9, draft unchanged), ask why a row scored 4.7 (the formula), ask for a deviation text and
accept its card (the 偏差原因 cell holds the text)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_app import CHROMIUM, SEED_PDF, browser_page, running_app

from perfeval.store import Store


def _ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInput").first.locator("textarea")
    box.fill(question)
    box.press("Enter")


def test_chat_answers_from_the_rule_engine_and_edits_only_on_accept(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI 环境缺少浏览器 {CHROMIUM}")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import expect

    db = tmp_path / "perfeval.db"
    with running_app(db) as url, browser_page() as page:
        page.goto(url)
        page.locator('input[type="file"]').set_input_files(str(SEED_PDF))
        expect(page.get_by_text("找到 5 张表")).to_be_visible(timeout=90_000)
        page.locator(".st-key-review_3 button").click()
        expect(page.get_by_text("回答来自：内置模板（离线）")).to_be_visible()

        _ask(page, "如果服务新开办企业数量实际完成25000，总分是多少？")
        messages = page.get_by_test_id("stChatMessage")
        expect(messages.nth(1)).to_contain_text("99.9")
        assert Store(db).get(1).revision == 1

        _ask(page, "为什么服务新开办企业数量只得了4.7分")
        expect(messages.nth(3)).to_contain_text("16780 ÷ 25000 × 7")

        _ask(page, "帮我写第一行的偏差原因")
        expect(messages.nth(5)).to_contain_text("建议的第1行「服务新开办企业数量」的偏差原因分析及改进措施")
        text = Store(db).get(1).form.indicators[0].deviation
        messages.nth(5).get_by_role("button", name="采用").click()
        expect(messages.nth(5)).to_contain_text("已采用")
        record = Store(db).get(1)
        assert record.revision == 2
        assert record.form.indicators[0].deviation != text
        assert record.form.indicators[0].deviation.startswith("原因：服务新开办企业数量")
        grid = page.locator('[class*="st-key-indicators__"]')
        grid.evaluate("el => el.scrollIntoView({block: 'center'})")
        cell = grid.locator('[data-testid^="glide-cell-"]').filter(has_text="原因：服务新开办企业数量")
        expect(cell.first).to_be_attached()
