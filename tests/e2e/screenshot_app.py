"""Screenshots of the app: ``.venv/bin/python tests/e2e/screenshot_app.py``.

Starts the app on a temporary database, imports the seed PDF, opens 窗口业务管理, changes one actual
(so the total shows its change) and saves

- docs/img/app-edit.png: the editing page, tall (the README's picture);
- docs/img/pages/<page>-<width>.png: every page at 1440×900 (desktop) and 390×844 (phone), as a
  person sees it on arrival, for the screenshot review linked from docs/app.md."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from browser_app import (
    ROOT,
    SEED_PDF,
    browser_page,
    edit_cell,
    metric_value,
    nav,
    open_in_editor,
    running_app,
)

OUT = ROOT / "docs" / "img" / "app-edit.png"
PAGES_DIR = ROOT / "docs" / "img" / "pages"
VIEWPORTS = ((1440, 900), (390, 844))
#: page key -> its title in the navigation
PAGES = {
    "import": "导入",
    "edit": "编辑",
    "whatif": "模拟",
    "export": "导出",
    "history": "历史",
    "settings": "设置",
}


def _settle(page: Any) -> None:
    page.get_by_test_id("stMain").evaluate("el => el.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.wait_for_timeout(1200)


def _prepare(page: Any, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    page.locator('input[type="file"]').set_input_files(str(SEED_PDF))
    expect(page.get_by_text("找到 5 张表")).to_be_visible(timeout=90_000)
    open_in_editor(page, "review_3")


def main(out: Path = OUT, pages_dir: Path = PAGES_DIR) -> list[Path]:
    from playwright.sync_api import expect

    out.parent.mkdir(parents=True, exist_ok=True)
    pages_dir.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp) / "perfeval.db") as url:
        with browser_page(width=1700, height=1800) as page:
            _prepare(page, url)
            total = metric_value(page, "规则总分")
            expect(total).to_have_text("97.6")
            edit_cell(page, "indicators__", column=5, row=0, text="25000")
            expect(total).to_have_text("99.9")
            _settle(page)
            page.screenshot(path=str(out))
            made.append(out)
        for width, height in VIEWPORTS:
            with browser_page(width=width, height=height) as page:
                _prepare(page, url)
                for key, title in PAGES.items():
                    if width < 640:  # the phone's navigation is a menu: go by address
                        query = page.url.split("?", 1)[1] if "?" in page.url else ""
                        path = "" if key == "import" else key  # the first page is the root
                        page.goto(f"{url}/{path}?{query}")
                    else:
                        nav(page, title)
                    page.wait_for_timeout(300)
                    _settle(page)
                    path = pages_dir / f"{key}-{width}.png"
                    page.screenshot(path=str(path))
                    made.append(path)
    return made


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
