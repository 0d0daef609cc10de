"""The main journey in a real browser (Debian Chromium driven by Playwright) against the app
started with ``streamlit run`` on a database file of its own:

open the app → sign in as an evaluator → 评分 → (the Yiyang case is 定稿: copy it as a 草稿) →
change one deduction → the total moves off 83.00 → 报告 → download the Word report → it opens and holds the new total.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import EVALUATOR
from browser import CHROMIUM, STEP_MS, add_people, choose, served, settled, sign_in
from docx import Document
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试；scripts/test 以 root 运行时会用 apt 安装",
    ),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a fresh database with one evaluator's account."""
    with served(tmp_path_factory.mktemp("journey"), lambda db: add_people(db, EVALUATOR)) as url:
        yield url


def total_shown(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="总分").first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_score_a_deduction_and_download_the_report_holding_the_new_total(app_url, chromium, tmp_path):
    page = chromium.new_page(accept_downloads=True)
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    sign_in(page, EVALUATOR.username)
    page.get_by_role("heading", name="待办", exact=True).wait_for()  # an evaluator lands on 待办
    page.get_by_test_id("stSidebarNav").get_by_text("项目总览", exact=True).click()
    page.get_by_role("heading", name="项目总览", exact=True).wait_for()
    page.get_by_text("14,680.00 万元").first.wait_for()

    page.get_by_test_id("stSidebarNav").get_by_text("评分", exact=True).click()
    page.get_by_role("heading", name="评分", exact=True).wait_for()
    assert total_shown(page) == "83.00 / 100.00"

    page.get_by_role("button", name="复制为新的草稿并打开").click()  # the Yiyang case is 定稿
    page.get_by_text("状态：草稿").wait_for()
    settled(page)
    assert total_shown(page) == "83.00 / 100.00"

    choose(page, "选择指标", re.compile(r"A22 绩效指标明确性"))
    page.get_by_text("项目决策 › 绩效目标 › 绩效指标明确性").wait_for()
    settled(page)
    points = page.get_by_test_id("stForm").get_by_role("textbox", name="扣分", exact=True).first
    expect(points).to_have_value("2")  # waits for the form to fill in
    points.fill("1")
    page.get_by_role("button", name="保存评分").click()
    page.get_by_text("已保存指标 A22 的评分").wait_for()
    settled(page)
    assert total_shown(page) == "84.00 / 100.00"

    page.get_by_test_id("stSidebarNav").get_by_text("报告", exact=True).click()
    page.get_by_role("heading", name="报告", exact=True).wait_for()
    settled(page)
    # the copied note still states 83: the report is refused until the evaluator corrects it
    note = page.get_by_role("textbox", name="说明", exact=True)
    note.fill("本评分表依据报告正文重构，总分84分，等级良好。")
    page.get_by_role("button", name="保存说明").click()
    page.get_by_text("已保存评分表说明").wait_for()
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
    assert "得分84分，被评为“良好”等级" in text
    page.close()
