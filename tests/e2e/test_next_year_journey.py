"""The next year in a real browser (Debian Chromium via Playwright) against ``streamlit run``:
the demo project's 2018 evaluation (定稿, 示例数据) → 项目总览 → 下一年度评价 → the 2019 draft
becomes the current evaluation, 2018's actuals its 基期值 on 项目信息 → (its scores entered) → 报告 → the downloaded 2019 report accounts
for 2018's two problems under 上年度评价发现问题整改情况.

Each step leaves a 1366×768 screenshot in a folder the test prints (outside the repository).
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
from multiyear_steps import DEMO, PROJECT, SECTION, Y2018, Y2019, score_from_folder, store_2018_targets
from playwright.sync_api import Page, expect

from workbench.services import cases
from workbench.storage.uow import Database, open_database

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试"
    ),
]


def arrange(db: Database) -> None:
    add_people(db, EVALUATOR)
    cases.import_case(db.uow(), EVALUATOR, DEMO / f"{PROJECT}-2018")
    store_2018_targets(db)


@pytest.fixture(scope="module")
def served_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("next-year")
    with served(folder, arrange) as url:
        yield url, folder


def go(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    settled(page)


def shot(page: Page, folder: Path, name: str) -> None:
    settled(page)
    page.screenshot(path=folder / f"{name}.png")


def start_next_year(page: Page, shots: Path) -> None:
    choose(page, "当前评价", re.compile("^2018 某县智慧水务"))
    settled(page)
    go(page, "项目总览")
    button = page.get_by_role("button", name="开始下一年度评价")
    button.scroll_into_view_if_needed()
    shot(page, shots, "01-next-year-form")
    button.click()
    page.get_by_text(f"已开始 2019 年度评价：{Y2019}（已设为当前评价）").wait_for()
    shot(page, shots, "02-next-year-started")


def baselines_carried(page: Page, shots: Path) -> None:
    """项目信息 of the 2019 draft: 2018's actuals stand as this year's 基期值."""
    go(page, "项目信息")
    page.get_by_role("heading", name="分年度绩效指标（2019年）").scroll_into_view_if_needed()
    shot(page, shots, "03-baselines")
    # the form may still be filling its rows in: wait for each value rather than read it once
    expect(page.get_by_role("textbox", name="绩效指标第1行基期值", exact=True)).to_have_value("112")
    expect(page.get_by_role("textbox", name="绩效指标第2行基期值", exact=True)).to_have_value("96")


def download_report(page: Page, shots: Path) -> bytes:
    go(page, "报告")
    page.get_by_role("button", name="生成报告").click()
    download = page.get_by_role("button", name="下载 Word 报告（.docx）")
    download.wait_for()
    download.scroll_into_view_if_needed()
    shot(page, shots, "04-report-made")
    with page.expect_download() as pending:
        download.click()
    saved = shots / "report-2019.docx"
    pending.value.save_as(saved)
    return saved.read_bytes()


def test_a_定稿_2018_evaluation_starts_2019_whose_report_accounts_for_last_years_problems(
    served_folder, chromium, tmp_path
):
    url, folder = served_folder
    page = chromium.new_page(accept_downloads=True, viewport={"width": 1366, "height": 768})
    page.set_default_timeout(STEP_MS)
    print(f"\nscreenshots: {tmp_path}")
    page.goto(url)
    sign_in(page, EVALUATOR.username)
    try:
        start_next_year(page, tmp_path)
        baselines_carried(page, tmp_path)
        db = open_database(f"sqlite:///{folder / 'workbench.db'}")
        try:
            score_from_folder(db, Y2019, DEMO / f"{PROJECT}-2019")  # the year's scoring, done elsewhere
        finally:
            db.dispose()
        content = download_report(page, tmp_path)
    except Exception:
        page.screenshot(path=tmp_path / "failed.png")
        raise
    page.close()

    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    section = text[text.index(SECTION) : text.index("存在的问题", text.index(SECTION))]
    assert "2019年度某县智慧水务监测平台运维项目（示例数据）绩效评价报告" in text
    assert (
        f"上年度（2018年度）绩效评价《2018年度{'某县智慧水务监测平台运维项目（示例数据）'}绩效评价报告》"
        in section
    )
    assert "（一）运维考核办法不健全。" in section and "（二）部分监测点长期离线。" in section
    assert "整改状态：已下达" in section and Y2018 not in section
