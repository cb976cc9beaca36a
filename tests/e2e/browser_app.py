"""Run the real app (``streamlit run app.py``) on 127.0.0.1 with a temporary database, and drive it
with Playwright on Debian's Chromium.  Shared by the e2e test and the README screenshot script."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # run as a script (screenshot_app.py), not under pytest
    sys.path.insert(0, str(ROOT / "tests"))
from seedpaths import SEED_PDF  # noqa: E402, F401  (tests/seedpaths.py; re-exported to the e2e scripts)

CHROMIUM = Path("/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_browser() -> None:
    """Skip where /usr/bin/chromium is missing, except in CI (the CI variable set), where that fails."""
    import pytest

    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI 环境缺少浏览器 {CHROMIUM}（.ci/run 应安装 Debian 的 chromium）")
    pytest.skip(f"{CHROMIUM} not installed (set CI=1 to make this a failure)")


def download(page: Any, button: Any) -> tuple[str, bytes]:
    """Click a download button; the file's suggested name and its bytes."""
    with page.expect_download() as info:
        button.click()
    got = info.value
    return got.suggested_filename, Path(got.path()).read_bytes()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(db: Path, *, timeout: float = 60.0) -> Iterator[str]:
    """Start the app on a free port; yield its URL; stop it (this process only) afterwards."""
    port = free_port()
    env = {**os.environ, "PERFEVAL_DB": str(db), "PERFEVAL_USER": "浏览器测试"}
    env.pop("PERFEVAL_LLM_API_KEY", None)
    log = db.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"streamlit exited: {log.read_text(encoding='utf-8', errors='replace')}"
                    )
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start in time")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@contextmanager
def browser_page(*, width: int = 1600, height: int = 1000) -> Iterator[Any]:
    """A Chromium page (Debian's /usr/bin/chromium; never a downloaded browser)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # a loaded CI machine renders slowly
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def metric_value(page: Any, label: str) -> Any:
    """The value element of the st.metric labelled ``label``."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def nav(page: Any, title: str) -> None:
    """Click a page in the top navigation (keeps the browser session)."""
    page.get_by_test_id("stTopNavLink").filter(has_text=title).first.click()


def edit_cell(page: Any, editor_key_prefix: str, column: int, row: int, text: str) -> None:
    """Type ``text`` into a cell of a ``st.data_editor`` as a person does: select the cell, press
    Enter, type, press Enter.  ``column`` is the grid's a11y column index: the visible columns count
    from 0, or from 1 when the editor shows row markers (``num_rows="dynamic"``)."""
    editor = page.locator(f'[class*="st-key-{editor_key_prefix}"]')
    grid = editor.get_by_test_id("stDataFrameResizable")
    grid.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of the sticky top bar
    page.wait_for_timeout(200)
    box = grid.bounding_box()
    assert box is not None
    # the first data row is under a 35 px header; row markers take the first ~40 px
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 17 + 35 * row)
    selected = editor.locator('td[aria-selected="true"]')
    selected.first.wait_for(state="attached")
    for _ in range(column + 2):
        current = selected.first.get_attribute("data-testid") or ""
        if current == f"glide-cell-{column}-{row}":
            break
        page.keyboard.press("ArrowRight")
        # wait until the grid has moved its selection
        page.wait_for_function(
            "([root, old]) => { const td = document.querySelector(root + ' td[aria-selected=\"true\"]');"
            " return td && td.dataset.testid !== old; }",
            arg=[f'[class*="st-key-{editor_key_prefix}"]', current],
        )
    cell = editor.get_by_test_id(f"glide-cell-{column}-{row}")
    assert cell.get_attribute("aria-selected") == "true", "could not select the cell"
    page.keyboard.press("Enter")
    field = page.locator("textarea.gdg-input, input.gdg-input").first
    field.wait_for()
    field.fill(text)
    page.keyboard.press("Enter")


def generate_and_download(page: Any, *, timeout: float = 60_000) -> Any:
    """On 导出: click 生成 (the file is built from what is on screen then), then 下载; the download."""
    from playwright.sync_api import expect

    page.locator(".st-key-exp_generate button").click()
    button = page.locator(".st-key-exp_download button")
    expect(button).to_be_visible(timeout=timeout)
    with page.expect_download(timeout=timeout) as info:
        button.click()
    return info.value


def open_in_editor(page: Any, button: str) -> None:
    """Click 核对本年度/草拟下一年度 (``button``: its key, e.g. ``review_0``) and land on 编辑; when the
    form already has a draft (a database shared by several tests), start a new version."""
    from playwright.sync_api import expect

    page.locator(f".st-key-{button} button").click()
    page.locator('.st-key-existing_new button, [data-testid="stMetric"]').first.wait_for()
    if page.locator(".st-key-existing_new button").count():
        page.locator(".st-key-existing_new button").click()
    expect(metric_value(page, "规则总分")).to_be_visible()


def upload_files(page: Any, *paths: Path) -> None:
    """Put files into the 导入 page's uploader."""
    page.locator('input[type="file"]').set_input_files([str(p) for p in paths])
