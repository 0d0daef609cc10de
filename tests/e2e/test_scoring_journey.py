"""Scoring on a 1366×768 laptop in a real browser (Debian Chromium through Playwright, the app under
``streamlit run``), with a screenshot of every page saved to a folder the test prints.

- The main job — open the evaluation, change one score, download the Word report — counted in
  mouse clicks from sign-in (the browser counts them), with the total and grade in view after
  the save.
- The review workflow (提交复核, 退回修改, 提交复核, 复核通过, 定稿) taken by the evaluator and the
  复核人 each in their own browser: after every step, and after the next click, each still has
  the evaluation they chose, among copies of one report; at 定稿 the evaluator sees it read-only.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import EVALUATOR, REVIEWER, YIYANG
from browser import CHROMIUM, STEP_MS, add_people, choose, served, settled, sign_in
from docx import Document
from playwright.sync_api import Browser, Page

from workbench.services import cases, evaluations, preferences
from workbench.storage.uow import Database

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试"
    ),
]
LAPTOP = {"width": 1366, "height": 768}
MAIN_JOB, REVIEWED = "main-job-copy", "review-copy"
TITLES: dict[str, str] = {}  # evaluation id -> its title (copies are numbered: "…（副本 2）")
# Counts the clicks a person makes (trusted events only: a page's own scripted click is not one).
CLICK_COUNTER = """
window.__clicks = 0;
document.addEventListener('click', (e) => { if (e.isTrusted) window.__clicks += 1; }, true);
"""


def _arrange(db: Database) -> None:
    """An evaluator and a 复核人; two 草稿 copies of the Yiyang report (same words, numbered).
    The evaluator worked on the first one last time (the app reopens it at sign-in), and its
    评分表说明 states no total, so the report checks pass after the total changes."""
    add_people(db, EVALUATOR, REVIEWER)
    for eid in (MAIN_JOB, REVIEWED):
        cases.copy_evaluation(db.uow(), EVALUATOR, YIYANG, eid)
        stored = evaluations.get_case(db.uow(), EVALUATOR, eid)
        TITLES[eid] = stored.case.evaluation.title
    version = evaluations.get_case(db.uow(), EVALUATOR, MAIN_JOB).versions.evaluation.version
    note = {"reconstructed": "本评分表依据报告正文重构。"}
    evaluations.update_header(db.uow(), EVALUATOR, MAIN_JOB, note, version)
    preferences.remember_evaluation(db.uow(), EVALUATOR, MAIN_JOB)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("scoring"), _arrange) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The folder of this module's screenshots, printed so the reader can look at them."""
    folder = tmp_path_factory.mktemp("scoring-screenshots")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"评分页截图（1366×768）：{folder}")
    return folder


def laptop_page(browser: Browser, address: str, who: str) -> Page:
    """A browser of the person's own at 1366×768, signed in, clicks counted from now."""
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    context.add_init_script(CLICK_COUNTER)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(address)
    sign_in(page, who)
    page.evaluate("window.__clicks = 0")
    return page


def clicks(page: Page) -> int:
    return page.evaluate("window.__clicks")


def shoot(page: Page, folder: Path, name: str) -> None:
    settled(page)
    page.screenshot(path=folder / f"{len(list(folder.iterdir())) + 1:02d}-{name}.png")


def total_metric(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stMetric").filter(has_text="总分").first


def in_view(page: Page, locator) -> bool:  # type: ignore[no-untyped-def]
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]


def open_scoring(page: Page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text("评分", exact=True).click()
    page.get_by_role("heading", name="评分", exact=True).wait_for()
    total_metric(page).wait_for()
    settled(page)


def test_the_main_job_takes_six_clicks_and_keeps_the_total_in_view(app_url, chromium, shots, tmp_path):
    page = laptop_page(chromium, app_url, EVALUATOR.username)

    open_scoring(page)  # 1: the evaluation worked on last is open
    page.get_by_text(TITLES[MAIN_JOB]).first.wait_for()
    page.get_by_role("button", name="下载 Word 报告").wait_for()
    shoot(page, shots, "evaluator-scoring")
    choose(page, "选择指标", re.compile(r"A22 绩效指标明确性"))  # 2, 3
    page.get_by_text("项目决策 › 绩效目标 › 绩效指标明确性").wait_for()
    settled(page)
    points = page.get_by_test_id("stForm").get_by_role("textbox", name="扣分", exact=True).first
    points.click()  # 4
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Enter")  # Enter in a box does not submit the form
    settled(page)
    assert total_metric(page).get_by_test_id("stMetricValue").inner_text() == "83.00 / 100.00"
    page.get_by_role("button", name="保存评分").click()  # 5
    page.get_by_text("已保存指标 A22 的评分").wait_for()
    settled(page)

    saved = page.get_by_test_id("stAlert").filter(has_text="已保存指标 A22").inner_text()
    assert "总分 84.00 / 100.00，等级“良好”" in saved
    assert total_metric(page).get_by_test_id("stMetricValue").inner_text() == "84.00 / 100.00"
    assert in_view(page, total_metric(page)), "the total scrolled out of view with the form"
    shoot(page, shots, "evaluator-saved")
    with page.expect_download() as pending:
        page.get_by_role("button", name="下载 Word 报告").click()  # 6
    report = tmp_path / "report.docx"
    pending.value.save_as(report)

    assert clicks(page) == 6
    text = "\n".join(p.text for p in Document(io.BytesIO(report.read_bytes())).paragraphs)
    assert "得分84分，被评为“良好”等级" in text
    page.context.close()


def selected(page: Page) -> str:
    """The sidebar's 当前评价 as shown."""
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="当前评价")
    return picker.input_value()


def assert_still_on(page: Page, status: str) -> None:
    """The page shows the chosen copy (by its numbered title) in ``status``, in the sidebar too."""
    page.get_by_text(f"状态：{status}").wait_for()
    settled(page)
    header = page.get_by_test_id("stMain").get_by_text(TITLES[REVIEWED])
    assert header.count() >= 1, f"the page does not show {TITLES[REVIEWED]}"
    number = re.search(r"副本 ?(\d+)", TITLES[REVIEWED]).group(1)  # type: ignore[union-attr]
    assert re.search(rf"副本{number}（{status}）", selected(page)), selected(page)


def step(page: Page, label: str, status: str, reason: str = "") -> None:
    """Take a workflow step from the bar under the page header (a reason where it needs one),
    then check the evaluation, and again after the next click (流程记录)."""
    if reason:
        page.get_by_role("button", name=label).click()
        page.get_by_label(f"{label}的理由（必填，将记入流程记录）").fill(reason)
        page.get_by_role("button", name=f"确认{label}").click()
    else:
        page.get_by_role("button", name=label).click()
    page.get_by_text(f"已{label}：评价现为“{status}”").wait_for()
    assert_still_on(page, status)
    toggle_history(page)
    assert_still_on(page, status)


TABLES = "document.querySelectorAll('[data-testid=stDataFrame]').length"


def toggle_history(page: Page) -> None:
    """Click the 流程记录 switch and wait until its table has appeared (or gone)."""
    before = page.evaluate(TABLES)
    page.get_by_text("流程记录", exact=True).click()
    shown = page.get_by_test_id("stCheckbox").filter(has_text="流程记录").locator("input").is_checked()
    page.wait_for_function(f"() => {TABLES} {'>' if shown else '<'} {before}")


def test_each_workflow_step_keeps_the_chosen_evaluation_for_evaluator_and_reviewer(app_url, chromium, shots):
    evaluator = laptop_page(chromium, app_url, EVALUATOR.username)
    reviewer = laptop_page(chromium, app_url, REVIEWER.username)
    pick = re.compile(re.escape(re.search(r"副本 ?\d+", TITLES[REVIEWED]).group(0).replace(" ", "")))  # type: ignore[union-attr]
    for page in (evaluator, reviewer):
        choose(page, "当前评价", pick)
        open_scoring(page)
    assert_still_on(evaluator, "草稿")

    step(evaluator, "提交复核", "已提交")
    shoot(evaluator, shots, "evaluator-submitted")
    open_scoring(reviewer)
    step(reviewer, "退回修改", "退回修改", reason="A22 扣分依据请补充原文出处")
    shoot(reviewer, shots, "reviewer-returned")
    open_scoring(evaluator)
    assert_still_on(evaluator, "退回修改")
    evaluator.get_by_text("A22 扣分依据请补充原文出处").first.wait_for()
    step(evaluator, "提交复核", "已提交")
    open_scoring(reviewer)
    step(reviewer, "复核通过", "已复核")
    shoot(reviewer, shots, "reviewer-reviewed")
    step(reviewer, "定稿", "定稿")
    shoot(reviewer, shots, "reviewer-finalised")

    open_scoring(evaluator)
    assert_still_on(evaluator, "定稿")
    evaluator.get_by_text("本评价已定稿，评分只读").wait_for()
    assert evaluator.get_by_role("button", name="保存评分").count() == 0
    assert evaluator.get_by_role("button", name="复制为新的草稿并打开").count() == 1
    shoot(evaluator, shots, "evaluator-finalised-read-only")
    evaluator.context.close()
    reviewer.context.close()
