"""Sign-off in a real browser (issue 15): the exported file holds what was typed at the click, five
quick downloads give five files, a refresh returns to the same draft and page, 定稿 with errors asks,
a second 草拟 offers the existing draft, and data never becomes markup or a request off the page."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from browser_app import (
    browser_page,
    edit_cell,
    generate_and_download,
    metric_value,
    nav,
    open_in_editor,
    require_browser,
    running_app,
    upload_files,
)
from seedpaths import SEED_JSON

from perfeval.store import Store

WINDOW = SEED_JSON[3]  # 窗口业务管理: 97.6


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    require_browser()
    db = tmp_path_factory.mktemp("signoff") / "perfeval.db"
    with running_app(db) as url:
        yield url, db


def _open_review(page, url: str, path: Path = WINDOW) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    upload_files(page, path)
    expect(page.locator(".st-key-review_0 button")).to_be_visible(timeout=60_000)
    open_in_editor(page, "review_0")  # the module's tests share a database: a new version if offered


def _xlsx_values(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]


def test_typed_value_is_in_the_file(server) -> None:
    from playwright.sync_api import expect

    url, _ = server
    with browser_page(width=1440, height=900) as page:
        _open_review(page, url)
        nav(page, "导出")
        field = page.locator(".st-key-exp_unit_leader input")
        field.click()
        page.keyboard.type("张三")  # no Tab, no Enter: the click on 生成 comes straight after
        download = generate_and_download(page)
        values = _xlsx_values(Path(download.path()).read_bytes())
        assert any("张三" in v for v in values)
        expect(page.get_by_test_id("stAlert").filter(has_text="导出失败")).to_have_count(0)


def test_switch_format_and_download_five_times(server) -> None:
    from playwright.sync_api import expect

    url, db = server
    with browser_page(width=1440, height=900) as page:
        _open_review(page, url)
        nav(page, "导出")
        got = []
        for label, ext in [
            ("PDF", "pdf"),
            ("Word", "docx"),
            ("JSON", "json"),
            ("Excel", "xlsx"),
            ("PDF", "pdf"),
        ]:
            page.get_by_test_id("stRadio").filter(has_text="格式").get_by_text(
                label, exact=False
            ).first.click()
            expect(page.locator(".st-key-exp_download")).to_have_count(0)  # the old file is withdrawn
            download = generate_and_download(page)
            got.append((download.suggested_filename, Path(download.path()).read_bytes()[:2]))
            assert download.suggested_filename.endswith(f".{ext}")
        assert len(got) == 5
        assert [magic for _, magic in got] == [b"%P", b"PK", b"{\n", b"PK", b"%P"]
    log = db.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "not found" not in log and "Traceback" not in log


def test_refresh_returns_to_the_same_draft_and_page(server) -> None:
    from playwright.sync_api import expect

    url, _ = server
    with browser_page(width=1440, height=900) as page:
        _open_review(page, url)
        page.wait_for_url(re.compile(r"/edit\?.*draft=\d+"))
        address = page.url
        before = urllib.parse.urlsplit(address)
        draft = urllib.parse.parse_qs(before.query)["draft"]
        page.reload()
        expect(metric_value(page, "规则总分")).to_have_text("97.6")
        after = urllib.parse.urlsplit(page.url)
        assert after.path == before.path and urllib.parse.parse_qs(after.query)["draft"] == draft
        expect(page.get_by_role("heading", name="2022年度「窗口业务管理」")).to_be_visible()
        # the import list came back too
        nav(page, "导入")
        expect(page.get_by_text("找到 1 张表")).to_be_visible()
        # a second tab on the same address: the same draft
        other = page.context.new_page()
        other.goto(address)
        expect(metric_value(other, "规则总分")).to_have_text("97.6")


def test_final_with_errors_asks_for_a_reason(server) -> None:
    from playwright.sync_api import expect

    url, db = server
    with browser_page(width=1440, height=900) as page:
        _open_review(page, url)
        draft_id = int(urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["draft"][0])
        edit_cell(page, "indicators__", column=7, row=0, text="99")  # 得分 above the weight: an error
        expect(page.get_by_text("错误", exact=True).first).to_be_visible()
        nav(page, "导出")
        page.locator(".st-key-exp_mark_final button").click()
        box = page.locator(".st-key-exp_final_box")
        expect(box.get_by_text(re.compile(r"仍有 \d+ 个错误"))).to_be_visible()
        box.locator(".st-key-exp_final_confirm button").click()
        expect(page.get_by_text("请写明定稿理由")).to_be_visible()
        assert Store(db).get(draft_id).status == "草稿"
        box.locator("textarea").fill("得分以专家评审意见为准")
        box.locator(".st-key-exp_final_confirm button").click()
        expect(page.get_by_text("此草稿已定稿。")).to_be_visible()
        assert Store(db).get(draft_id).status == "定稿"
        assert "得分以专家评审意见为准" in Store(db).audit(draft_id)[-1].summary


def test_second_draft_offers_the_existing_one(server) -> None:
    from playwright.sync_api import expect

    url, db = server
    with browser_page(width=1440, height=900) as page:
        page.goto(url)
        upload_files(page, SEED_JSON[2])  # 宣传与推广
        page.locator(".st-key-draft_0 button").click()
        expect(metric_value(page, "规则总分")).to_have_text("待填报")
        count = len(Store(db).list(project="宣传与推广"))
        nav(page, "导入")
        page.locator(".st-key-draft_0 button").click()
        offer = page.locator(".st-key-existing_offer")
        expect(offer.get_by_text("2023年度「宣传与推广」已有 1 份草稿")).to_be_visible()
        assert len(Store(db).list(project="宣传与推广")) == count


def _shown_text(page) -> str:
    """The page's text as read (the zero-width spaces that keep addresses from becoming links removed)."""
    return page.evaluate("() => document.body.innerText.replace(/\\u200b/g, '')")


def test_markup_in_data_is_text_and_fetches_nothing(server, tmp_path) -> None:
    from playwright.sync_api import expect

    url, _ = server
    doc = json.loads(WINDOW.read_text(encoding="utf-8"))
    form = doc["forms"][0] if "forms" in doc else doc
    name = "**粗体**[链接](http://evil.example/a) ![图](http://evil.example/x.png)"
    form["project_name"] = name
    form["indicators"][0]["name"] = "![行](http://evil.example/y.png)"
    path = tmp_path / "markup.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    requests: list[str] = []
    with browser_page(width=1440, height=900) as page:
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        upload_files(page, path)
        page.locator(".st-key-review_0 button").wait_for(timeout=60_000)
        assert f"2022年度「{name}」" in _shown_text(page)
        page.locator(".st-key-review_0 button").click()
        expect(metric_value(page, "规则总分")).to_be_visible()
        page.wait_for_timeout(500)
        shown = _shown_text(page)
        assert f"2022年度「{name}」" in shown  # the heading, as typed
        assert "「![行](http://evil.example/y.png)」" in shown
        expect(page.locator('img[src*="evil.example"]')).to_have_count(0)
        expect(page.locator('a[href*="evil.example"]')).to_have_count(0)
        page.wait_for_timeout(1000)
    hosts = {urllib.parse.urlsplit(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
