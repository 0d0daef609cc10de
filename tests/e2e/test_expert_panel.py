"""The expert flow in a real browser (Debian Chromium via Playwright) against ``streamlit run`` on a
database file of its own: two experts, each in their own browser context, sign in, score every
indicator on 专家评分 and submit; the second expert does not see the first one's scores before
submitting, and after submitting sees the panel score."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from actors import EXPERT, YIYANG, reopen
from browser import CHROMIUM, STEP_MS, add_people, served, settled, sign_in
from playwright.sync_api import Browser, Page
from review_helpers import EXPERT_B, name_panel

from workbench.services import evaluations
from workbench.services.actors import Actor
from workbench.services.panels import judged_leaves
from workbench.storage.uow import Database

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试"
    ),
]
LEAVES: list[tuple[str, Decimal]] = []  # the panel's indicators (code, 分值) in page order


def _arrange(db: Database) -> None:
    """Two expert accounts; the Yiyang case (stored 定稿) reopened so it can be scored."""
    add_people(db, EXPERT, EXPERT_B)
    reopen(db)
    name_panel(db, [EXPERT, EXPERT_B])
    system = evaluations.get_case(db.uow(), EXPERT, YIYANG).case.system
    LEAVES[:] = [(leaf.code, leaf.weight) for leaf in judged_leaves(system)]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("panel"), _arrange) as url:
        yield url


def on_panel_page(browser: Browser, address: str, actor: Actor) -> Page:
    """A browser context of the expert's own (own cookies), signed in, on 专家评分."""
    page = browser.new_context().new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(address)
    sign_in(page, actor.username)
    page.get_by_test_id("stSidebarNav").get_by_text("专家评分", exact=True).click()
    page.get_by_role("heading", name="专家评分", exact=True).wait_for()
    settled(page)
    return page


def score_and_submit(page: Page, scores: list[Decimal]) -> None:
    boxes = page.get_by_test_id("stForm").get_by_role("textbox", name="得分")
    boxes.nth(len(scores) - 1).wait_for()
    assert boxes.count() == len(scores)
    for i, value in enumerate(scores):
        boxes.nth(i).fill(str(value))
    page.get_by_text("我已逐项核对，确认提交（提交后不能修改）").click()  # the confirmation asked first
    page.get_by_role("button", name="提交评分").click()
    page.get_by_text("已提交评分。").wait_for()
    settled(page)


def metric(page: Page, label: str) -> str:
    found = page.get_by_test_id("stMetric").filter(has_text=label).first
    return found.get_by_test_id("stMetricValue").inner_text().strip()


def test_two_experts_score_independently_and_the_panel_score_appears(app_url, chromium):
    weights = [w for _, w in LEAVES]

    first = on_panel_page(chromium, app_url, EXPERT)
    score_and_submit(first, weights)
    assert metric(first, "已提交专家") == "1 人"

    second = on_panel_page(chromium, app_url, EXPERT_B)
    assert second.get_by_text("专家组得分合计").count() == 0  # nothing of 赵专家's before submitting
    score_and_submit(second, [w - 1 for w in weights])

    expected = f"{sum(weights, Decimal(0)) - Decimal('0.5') * len(weights):.2f}"  # the mean of w and w − 1
    assert metric(second, "已提交专家") == "2 人"
    assert metric(second, "专家组评分的指标") == f"{len(weights)} 项"
    assert metric(second, "专家组得分合计") == expected
    first.reload()
    first.get_by_test_id("stSidebarNav").get_by_text("专家评分", exact=True).click()
    first.get_by_text("专家组得分合计").wait_for()
    assert metric(first, "专家组得分合计") == expected
