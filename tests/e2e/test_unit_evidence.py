"""A project unit in a real browser (Debian Chromium through Playwright, the app under
``streamlit run``): it signs in, uploads evidence for the Yiyang case (reopened by a reviewer
beforehand, as the workflow requires), downloads it back unchanged, stays signed in across a
page reload (the signed login cookie), and cannot reach the scoring controls — they are not in
its menu, and opening the 评分 address directly is refused in Chinese.  Signing out removes the
cookie: a reload then shows 登录."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from actors import REVIEWER, UNIT, YIYANG_PROJECT, reopen
from browser import CHROMIUM, STEP_MS, add_people, menu, served, settled, sign_in
from playwright.sync_api import BrowserContext, Page

from workbench.ui.login_cookie import NAME as COOKIE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试；scripts/test 以 root 运行时会用 apt 安装",
    ),
]
CONTRACT = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def arrange(db) -> None:  # type: ignore[no-untyped-def]
    add_people(db, UNIT, REVIEWER, projects=(YIYANG_PROJECT,))
    reopen(db)  # the reviewer reopens the 定稿 case so that evidence can be added


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("unit"), arrange) as url:
        yield url


def login_cookie(context: BrowserContext, timeout: float = 10) -> dict:
    """The login cookie once the page has written it (its script runs after the page loads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == COOKIE and c["value"]]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("the login cookie was not written")


def wait_until_gone(context: BrowserContext, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while any(c["name"] == COOKIE and c["value"] for c in context.cookies()):
        assert time.monotonic() < deadline, "signing out left the login cookie in the browser"
        time.sleep(0.2)


def upload_contract(page: Page, tmp_path: Path) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text("佐证材料", exact=True).click()
    page.get_by_role("heading", name="佐证材料", exact=True).wait_for()
    settled(page)
    contract = tmp_path / "项目合同.pdf"
    contract.write_bytes(CONTRACT)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(contract)
    page.get_by_test_id("stFileUploader").get_by_text("项目合同.pdf").wait_for()
    settled(page)
    page.get_by_role("button", name="上传到指标 A11").click()
    page.get_by_text("已上传 EV1 项目合同.pdf（指标 A11").wait_for()
    settled(page)


def test_a_project_unit_uploads_evidence_stays_signed_in_and_cannot_reach_scoring(
    app_url, chromium, tmp_path
):
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    sign_in(page, UNIT.username)

    shown = menu(page)
    assert {"项目总览", "佐证材料", "个人设置"} <= set(shown)
    assert not {"评分", "问题与建议", "报告", "新建评价", "指标体系"} & set(shown), shown
    upload_contract(page, tmp_path)
    with page.expect_download() as pending:
        page.get_by_role("button", name="下载").first.click()
    assert Path(pending.value.path()).read_bytes() == CONTRACT

    cookie = login_cookie(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain http
    assert COOKIE not in page.evaluate("document.cookie")  # page script cannot read it
    page.reload()
    page.get_by_role("heading", name="佐证材料", exact=True).wait_for()
    page.get_by_text("EV1 项目合同.pdf").first.wait_for()
    assert page.get_by_role("heading", name="登录", exact=True).count() == 0
    assert COOKIE not in page.evaluate("document.cookie")

    page.goto(f"{app_url}/scoring")
    page.get_by_text("角色“项目单位”无权评分：“评分”页面未向您开放。").wait_for()
    settled(page)
    assert page.get_by_role("button", name="保存评分").count() == 0
    assert page.get_by_label("选择指标").count() == 0

    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("已退出登录。").wait_for()
    wait_until_gone(context)
    page.reload()
    page.get_by_role("heading", name="登录", exact=True).wait_for()  # the cookie no longer signs in
    context.close()
