"""登录: nothing opens before signing in; the first start asks for the first 系统管理员; the
services' messages on a wrong password, a lock, a second factor; an idle or disabled session
ends at the next click; a password set by an administrator is changed first; signing out; the
signed login cookie that brings a reloaded tab back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import unquote

import pyotp
from actors import CLI, PASSWORD, SYSADMIN, add_accounts
from screen import APP, TIMEOUT, shown, texts
from signin import OWN_PASSWORD, PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import auth, cookie_tickets, evaluations, users
from workbench.services.actors import Actor
from workbench.ui import backend, session


def login_page(at: AppTest | None = None) -> AppTest:
    return (at or AppTest.from_file(APP, default_timeout=TIMEOUT)).run()


def submit_login(at: AppTest, username: str, password: str, code: str | None = None) -> AppTest:
    at.text_input(key="login_username").set_value(username)
    at.text_input(key="login_password").set_value(password)
    if code is not None:
        at.text_input(key="login_code").set_value(code)
    return at.button(key="FormSubmitter:login-登录").click().run()


def cookie_ticket(at: AppTest) -> str:
    """The ticket the page handed the browser to trade at /_wb/set (the ``fetch`` of its script);
    the script never holds the cookie's value."""
    found = [
        unquote(m.group(1))
        for h in at.get("html")
        if (m := re.search(r'fetch\("/_wb/set\?n=([^"]+)"', h.proto.body))
    ]
    assert found and not any("document.cookie" in h.proto.body for h in at.get("html"))
    return found[-1]


def cookie_set(at: AppTest, db) -> cookie_tickets.CookieGrant:  # type: ignore[no-untyped-def]
    """What the server's route answers for the page's ticket (the cookie's value and life)."""
    return cookie_tickets.exchange(db.uow(), cookie_ticket(at))


def test_the_first_start_asks_for_the_first_administrator_and_signs_them_in(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'first.db'}")
    at = login_page()
    assert "创建首个系统管理员" in texts(at.subheader)
    assert any("系统不设默认账号和密码" in i for i in texts(at.info))

    for key, value in {"username": "admin1", "name": "李管理", "password": "Adm#2024-pass"}.items():
        at.text_input(key=f"first_{key}").set_value(value)
    at.text_input(key="first_again").set_value("Adm#2024-pasS")
    at = at.button(key="FormSubmitter:first_admin-创建系统管理员并登录").click().run()
    assert "两次输入的密码不一致，账号未创建" in texts(at.error)

    at.text_input(key="first_password").set_value("short")
    at.text_input(key="first_again").set_value("short")
    at = at.button(key="FormSubmitter:first_admin-创建系统管理员并登录").click().run()
    assert any("8" in e and "密码" in e for e in texts(at.error)), texts(at.error)

    at.text_input(key="first_password").set_value("Adm#2024-pass")
    at.text_input(key="first_again").set_value("Adm#2024-pass")
    at = at.button(key="FormSubmitter:first_admin-创建系统管理员并登录").click().run()

    assert not at.exception and texts(at.title) == ["用户管理"]
    assert "当前用户：李管理（系统管理员）" in texts(at.sidebar.caption)
    assert "登录" in texts(login_page().subheader)  # the next visitor signs in; no second setup


def test_signing_in_opens_the_pages_of_the_role(app_db, signed_in):
    signed_in(PAGE_USER)  # the account exists, its own password set
    at = login_page()
    assert texts(at.subheader) == ["登录"] and not at.sidebar.selectbox

    at = submit_login(at, PAGE_USER.username, OWN_PASSWORD)

    assert texts(at.title) == ["待办"], texts(at.error)  # an evaluator's day starts from 待办
    assert "当前用户：刘评价（评价人员）" in texts(at.sidebar.caption)
    assert "login_password" not in at.session_state  # a password does not stay in the session


def test_a_wrong_password_or_an_unknown_name_says_only_that_one_of_them_is_wrong(app_db, signed_in):
    signed_in(PAGE_USER)
    at = submit_login(login_page(), PAGE_USER.username, "Wrong#2024-pass")
    assert texts(at.error) == ["用户名或密码错误"]
    assert at.text_input(key="login_password").value == ""

    at = submit_login(at, "nobody-here", "Wrong#2024-pass")
    assert texts(at.error) == ["用户名或密码错误"]
    assert texts(at.subheader) == ["登录"]


def test_the_fifth_failure_in_a_row_locks_the_account_for_fifteen_minutes(app_db):
    add_accounts(app_db, Actor("lock-me", "锁定测试", "领导"))
    at = login_page()
    for _ in range(4):
        at = submit_login(at, "lock-me", "Wrong#2024-pass")
        assert texts(at.error) == ["用户名或密码错误"]

    at = submit_login(at, "lock-me", "Wrong#2024-pass")  # locked now, but a guesser is not told
    assert texts(at.error) == ["用户名或密码错误"]

    at = submit_login(at, "lock-me", PASSWORD)  # the right password does not open a locked account
    assert any(
        "连续 5 次登录失败，账号已锁定 15 分钟" in e and "请系统管理员解锁" in e for e in texts(at.error)
    )
    assert texts(at.subheader) == ["登录"]


def test_an_account_with_a_second_factor_is_asked_for_the_six_digit_code(app_db, signed_in):
    person = Actor("totp-user", "双因素", "领导")
    signed_in(person)
    setup = users.start_totp(person)
    users.enable_totp(app_db.uow(), person, setup.secret, pyotp.TOTP(setup.secret).now())

    at = submit_login(login_page(), person.username, OWN_PASSWORD)
    assert any("请输入验证器当前显示的 6 位数字" in w for w in texts(at.warning))
    at = submit_login(
        at,
        person.username,
        OWN_PASSWORD,
        "000000" if pyotp.TOTP(setup.secret).now() != "000000" else "111111",
    )
    assert texts(at.error) == ["动态验证码不正确或已使用过"]

    at = submit_login(at, person.username, OWN_PASSWORD, pyotp.TOTP(setup.secret).now())
    assert texts(at.title) == ["项目总览"], texts(at.error)


def test_an_idle_session_returns_to_login_saying_why(open_page):
    at = open_page("overview")
    login = at.session_state[session.LOGIN]
    at.session_state[session.LOGIN] = replace(login, last_seen=login.last_seen - timedelta(minutes=31))

    at.run()

    assert texts(at.subheader) == ["登录"]
    assert "超过 30 分钟未操作，已自动退出，请重新登录" in texts(at.warning)
    assert not at.metric  # nothing of the project is left on the screen


def test_the_first_click_after_the_idle_timeout_changes_nothing(open_page, draft, app_db):
    at = open_page("scoring", draft)
    at = at.selectbox(key=f"score_code:{draft}").set_value("A22").run()
    login = at.session_state[session.LOGIN]
    at.session_state[session.LOGIN] = replace(login, last_seen=login.last_seen - timedelta(minutes=31))
    at.text_input(key=f"score:{draft}:A22:d0:points").set_value("1")

    at = at.button(key=f"FormSubmitter:score:{draft}:A22:form-保存评分").click().run()

    assert texts(at.subheader) == ["登录"]
    entry = evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.scores["A22"]
    assert str(entry.deductions[0].points) == "2"  # the save in the callback was refused


def test_a_click_after_the_account_was_disabled_changes_nothing(open_page, draft, app_db, monkeypatch):
    person = Actor("zhou", "周评价", "评价人员")
    at = open_page("scoring", draft, as_=person)
    at = at.selectbox(key=f"score_code:{draft}").set_value("A22").run()
    users.set_active(app_db.uow(), CLI, person.username, False)
    monkeypatch.setattr(backend, "RECHECK_SECONDS", -1)  # the click comes a while after the page was drawn
    at.text_input(key=f"score:{draft}:A22:d0:points").set_value("1")

    at = at.button(key=f"FormSubmitter:score:{draft}:A22:form-保存评分").click().run()

    assert texts(at.subheader) == ["登录"] and any("账号已停用" in w for w in texts(at.warning))
    entry = evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.scores["A22"]
    assert str(entry.deductions[0].points) == "2"


def test_a_disabled_account_is_signed_out_at_its_next_click(app_db, signed_in):
    person = Actor("leaving", "将离职", "领导")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[session.LOGIN] = signed_in(person)
    assert texts(at.run().title) == ["项目总览"]

    users.set_active(app_db.uow(), CLI, person.username, False)
    at.run()

    assert any("账号已停用" in w for w in texts(at.warning))
    assert texts(at.subheader) == ["登录"]


def test_a_password_set_by_the_administrator_is_changed_before_anything_else(app_db):
    add_accounts(app_db, Actor("newcomer", "新同事", "评价人员"))
    at = submit_login(login_page(), "newcomer", PASSWORD)
    assert texts(at.title) == ["修改密码"]
    assert any("密码由管理员设置或重置" in w for w in texts(at.warning))

    at.run()  # any click stays here
    assert texts(at.title) == ["修改密码"] and not at.metric

    at.text_input(key="forced_password:old").set_value(PASSWORD)
    at.text_input(key="forced_password:new").set_value("Mine#2024-new")
    at.text_input(key="forced_password:again").set_value("Mine#2024-nex")
    at = at.button(key="FormSubmitter:forced_password:form-修改密码").click().run()
    assert "两次输入的新密码不一致，密码未修改" in texts(at.error)

    at.text_input(key="forced_password:old").set_value(PASSWORD)
    for key in ("new", "again"):
        at.text_input(key=f"forced_password:{key}").set_value("Mine#2024-new")
    at = at.button(key="FormSubmitter:forced_password:form-修改密码").click().run()

    assert texts(at.title) == ["待办"], texts(at.error)
    assert auth.login(app_db.uow(), "newcomer", "Mine#2024-new").must_change_password is False


def test_signing_out_returns_to_login_and_expires_the_cookie(open_page, app_db):
    at = open_page("overview")
    assert cookie_set(at, app_db).token

    at = at.sidebar.button(key="sign_out").click().run()

    assert texts(at.subheader) == ["登录"] and "已退出登录。" in texts(at.warning)
    assert cookie_set(at, app_db) == cookie_tickets.CookieGrant("", 0)
    assert session.LOGIN not in at.session_state or at.session_state[session.LOGIN] is None


def test_the_login_cookie_resumes_the_session_for_the_idle_timeout(open_page, app_db):
    at = open_page("overview")
    ticket = cookie_ticket(at)
    grant = cookie_tickets.exchange(app_db.uow(), ticket)
    assert auth.resume(app_db.uow(), grant.token).username == PAGE_USER.username
    assert grant.max_age == 30 * 60  # lives as long as the idle timeout

    assert cookie_ticket(at.run()) == ticket  # drawn again on the next run, not issued again


def test_the_login_page_is_all_there_is_before_signing_in(app_db, signed_in):
    signed_in(SYSADMIN)
    at = login_page()
    assert "14,680.00" not in shown(at) and not at.sidebar.button
    assert texts(at.title) == ["财政绩效评价工作台"]
