"""A 领导 and a 项目单位 in a real browser at 1366×768 (Debian Chromium through Playwright, the
app under ``streamlit run``, one server for the module):

- the 领导 sees 项目总览, 报告, 领导看板, 历年趋势 and 结果应用 in the menu (and 个人设置), no "在此保存会被拒绝"
  banner, and the 领导看板 fits one laptop screen: a conclusion sentence, score and grade, targets,
  执行率 against plan, problems with recommendations, money axes in 万元;
- the 项目单位 sees no score of an evaluation that is not 定稿 — on no page, sidebar included.

Every page visited is saved as a screenshot into a folder the test prints (under pytest's tmp;
run with ``-s`` to see it)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import EVALUATOR, LEADER, UNIT, YIYANG, YIYANG_PROJECT
from browser import CHROMIUM, STEP_MS, add_people, choose, menu, served, settled, sign_in
from playwright.sync_api import Page

from workbench.services import cases

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试；scripts/test 以 root 运行时会用 apt 安装",
    ),
]
LAPTOP = {"width": 1366, "height": 768}
DRAFT = "unit-draft"  # a 草稿 copy of the Yiyang case: not 定稿, so its unit may not see its scores
# What would give a score away: the evaluator's total, its grade, a 总分 with a figure.
SCORES = re.compile(r"(?<![\d,])83\.00|良好|总分\s*[\d.]+")


def arrange(db) -> None:  # type: ignore[no-untyped-def]
    add_people(db, LEADER, UNIT, EVALUATOR, projects=(YIYANG_PROJECT,))
    cases.copy_evaluation(db.uow(), EVALUATOR, YIYANG, DRAFT)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("leader-unit"), arrange) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Under pytest's tmp unless WORKBENCH_SCREENSHOTS names a folder: pytest keeps only its last
    # few tmp folders, and other runs on the machine may remove this one before you look.
    chosen = os.environ.get("WORKBENCH_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the 领导 and 项目单位 pages at 1366×768: {folder}")
    return folder


def signed_in(chromium, app_url: str, username: str) -> Page:  # type: ignore[no-untyped-def]
    page = chromium.new_page(viewport=LAPTOP)
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    sign_in(page, username)
    return page


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    settled(page)


def screenshot(page: Page, folder: Path, name: str) -> None:
    page.wait_for_timeout(600)  # tables and charts paint a moment after the run ends
    page.screenshot(path=str(folder / f"{name}.png"))


def overflow(page: Page) -> int:
    """How far the page's content runs past the screen (Streamlit scrolls its main section)."""
    return page.evaluate(
        "() => { const main = document.querySelector('[data-testid=stMain]');"
        " return main.scrollHeight - main.clientHeight; }"
    )


def test_the_leader_reads_the_dashboard_on_one_laptop_screen(app_url, chromium, shots):
    page = signed_in(chromium, app_url, LEADER.username)
    choose(page, "当前评价", re.compile("（定稿）"))
    settled(page)

    assert menu(page) == [
        "待办",
        "项目总览",
        "整改台账",
        "报告",
        "领导看板",
        "历年趋势",
        "结果应用",
        "绩效评价总览",
        "个人设置",
    ]
    for title in ("项目总览", "报告", "历年趋势", "结果应用"):
        open_page(page, title)
        screenshot(page, shots, f"领导-{title}")
        assert page.get_by_text("在此保存会被拒绝").count() == 0, title

    open_page(page, "领导看板")
    page.get_by_role("button", name="全部问题与扣分最多的指标").wait_for()  # the page's last element
    page.locator("[data-testid=stPlotlyChart] .main-svg").first.wait_for()
    settled(page)
    screenshot(page, shots, "领导-领导看板")
    assert overflow(page) <= 0  # the whole dashboard on one 1366×768 screen
    assert page.get_by_text("在此保存会被拒绝").count() == 0
    conclusion = page.get_by_text("主要问题是该项目后期维护与管理有待加强")
    assert conclusion.is_visible() and conclusion.bounding_box()["y"] < LAPTOP["height"] / 2
    ticks = " ".join(page.locator("[data-testid=stPlotlyChart] .ytick text").all_text_contents())
    assert "1,500" in ticks and "k" not in ticks  # money in 万元 with separators, never 1.5k
    assert page.get_by_text("扣分合计").count() == 0
    page.close()


def test_the_unit_sees_no_score_before_the_evaluation_is_final(app_url, chromium, shots):
    page = signed_in(chromium, app_url, UNIT.username)
    choose(page, "当前评价", re.compile("（草稿）"))
    settled(page)

    assert menu(page) == ["待办", "项目总览", "佐证材料", "自评表", "整改台账", "个人设置"]
    sidebar = page.get_by_test_id("stSidebar")
    for title in ("项目总览", "佐证材料", "自评表"):
        open_page(page, title)
        if title == "项目总览":  # the page that reads the evaluation says why no score is shown
            assert "评价得分在定稿后显示" in sidebar.inner_text()
        screenshot(page, shots, f"项目单位-{title}")
        seen = page.get_by_test_id("stMain").inner_text() + sidebar.inner_text()
        assert not SCORES.findall(seen), (title, SCORES.findall(seen))
    page.close()


def test_the_unit_opens_its_self_evaluation_from_todo_in_one_click(app_url, chromium, shots):
    page = signed_in(chromium, app_url, UNIT.username)
    page.get_by_role("heading", name="待办", exact=True).wait_for()  # a unit lands on 待办
    line = page.get_by_test_id("stRadio").locator("[role=radiogroup] > div").filter(has_text="自评表待提交")
    line.wait_for()
    screenshot(page, shots, "项目单位-待办")

    where = line.get_by_text("自评表尚未填报").bounding_box()  # anywhere on the to-do, its second line too
    assert where is not None
    page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.get_by_role("heading", name="自评表", exact=True).wait_for()
    settled(page)
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="当前评价")
    assert "草稿" in picker.input_value()  # the to-do's evaluation is the one selected
    page.get_by_test_id("stSidebarNav").get_by_text("待办", exact=True).click()
    page.get_by_role("heading", name="待办", exact=True).wait_for()
    settled(page)
    line.wait_for()
    assert not line.get_by_role("radio").is_checked()  # back on 待办: nothing chosen, nothing opens
    page.close()
