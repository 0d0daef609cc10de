"""The main journey in a real browser (Debian Chromium driven by Playwright) against the app
started with ``streamlit run`` on a database file of its own:

open the app → 评分 → (the Yiyang case is 定稿: copy it as a 草稿) → change one deduction →
the total moves off 83.00 → 报告 → download the Word report → it opens and holds the new total.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_MS = 30_000  # the longest wait for one step (the report takes about a second)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试；scripts/test 以 root 运行时会用 apt 安装",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by ``streamlit run`` on a free port, on a fresh database file."""
    folder = tmp_path_factory.mktemp("journey")
    port = _free_port()
    env = {**os.environ, "WORKBENCH_DATABASE_URL": f"sqlite:///{folder / 'workbench.db'}"}
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
    ]  # fmt: skip
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium (Playwright cannot download its own browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def settled(page: Page) -> None:
    """Wait until the app's rerun is over: no running indicator, no element left from the last run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')"
    )


def choose(page: Page, label: str, option: re.Pattern[str]) -> None:
    """Pick an option of a selectbox (its list can close while the page is still settling)."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox")
    for _ in range(3):
        box.click()
        choice = page.get_by_role("option", name=option)
        try:
            choice.wait_for(timeout=3000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        choice.click()
        return
    raise AssertionError(f"the list of {label} did not open")


def total_shown(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="总分").first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_score_a_deduction_and_download_the_report_holding_the_new_total(app_url, chromium, tmp_path):
    page = chromium.new_page(accept_downloads=True)
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    page.get_by_role("heading", name="项目总览", exact=True).wait_for()
    page.get_by_text("14,680.00 万元").first.wait_for()

    page.get_by_test_id("stSidebarNav").get_by_text("评分", exact=True).click()
    page.get_by_role("heading", name="评分", exact=True).wait_for()
    assert total_shown(page) == "83.00 / 100.00"

    page.get_by_role("button", name="复制为新的草稿并打开").click()  # the Yiyang case is 定稿
    page.get_by_text("状态：草稿").wait_for()
    settled(page)
    assert total_shown(page) == "83.00 / 100.00"

    choose(page, "选择指标", re.compile(r"^A22 绩效指标明确性"))
    page.get_by_text("项目决策 › 绩效目标 › 绩效指标明确性").wait_for()
    settled(page)
    points = page.get_by_test_id("stForm").get_by_role("textbox", name="扣分", exact=True).first
    assert points.input_value() == "2"
    points.fill("1")
    page.get_by_role("button", name="保存评分").click()
    page.get_by_text("已保存指标 A22 的评分").wait_for()
    settled(page)
    assert total_shown(page) == "84.00 / 100.00"

    page.get_by_test_id("stSidebarNav").get_by_text("报告", exact=True).click()
    page.get_by_role("heading", name="报告", exact=True).wait_for()
    settled(page)
    page.get_by_role("button", name="生成报告").click()
    download_button = page.get_by_role("button", name="下载 Word 报告（.docx）")
    download_button.wait_for()
    with page.expect_download() as pending:
        download_button.click()
    saved = tmp_path / "report.docx"
    pending.value.save_as(saved)

    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "实得84.00分，被评为“良好”等级" in text
    page.close()
