"""The login gate, run by the entry script on every rerun before any page.

- Nobody signed in: the 登录 page (on first start, with no account yet, the form for the first
  系统管理员); a tab opened with a valid login cookie resumes its session (``auth.resume``).
- Signed in: ``auth.check_session_and_permissions`` on every rerun (idle timeout, account disabled or locked
  meanwhile: back to 登录 with the reason), the role's permissions read for the menu, and the
  login cookie kept fresh (``login_cookie``: a ticket for a new token at most once a minute).
- A password set by an administrator (or too old): the 修改密码 page until it is changed.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from workbench.errors import InvalidInput, WorkbenchError
from workbench.services import admin, auth, cookie_tickets, users
from workbench.services.auth import LoginSession, SessionEnded
from workbench.ui import backend, login_cookie, navigation, session, widgets
from workbench.ui.safe_text import md

LOGIN_PAGE = navigation.VIEWS / "login.py"
PASSWORD_PAGE = navigation.VIEWS / "password.py"
TOKEN = "login_token"  # (ticket, issued at): what the browser trades for the cookie, and when
NO_RESUME = "login_no_resume"  # signed out in this tab: ignore the cookie the tab opened with
EXPIRE = "login_cookie_expire"  # clear the browser's cookie on the 登录 page (True, then the ticket)
NOTICE = "login_notice"  # why the 登录 page is shown again (timeout, signed out)
REFRESH = timedelta(minutes=1)


def require_login() -> LoginSession:
    """The signed-in session; otherwise draws 登录 (or 修改密码) and stops the run."""
    try:
        login = _signed_in()
    except WorkbenchError as exc:  # e.g. the database cannot be opened
        backend.show_error(exc)
        st.stop()
    if login is None:
        if st.session_state.get(EXPIRE):
            _clear_cookie()
        _only_page(LOGIN_PAGE, "登录")
    _keep_cookie(login)
    if login.must_change_password:
        _only_page(PASSWORD_PAGE, "修改密码")
    return login


def _only_page(path: Any, title: str) -> None:
    """Draw only ``path`` — also at the address of any of the app's pages (a bookmark, a reload
    after the session ended), where Streamlit would otherwise say in English that the page was
    not found; after signing in the user is on the page that address names."""
    others = [
        st.Page(path, title=title, url_path=entry.url_path, visibility="hidden")
        for entry in navigation.ENTRIES
    ]
    page = st.navigation([st.Page(path, title=title, default=True), *others], position="hidden")
    widgets.run_page(page)
    st.stop()


def _signed_in() -> LoginSession | None:
    login = session.current_login()
    if login is not None:
        try:
            login, permissions = auth.check_session_and_permissions(backend.uow(), login)
        except SessionEnded as exc:
            end(exc.messages[0])
            return None
    elif not st.session_state.get(NO_RESUME) and (token := login_cookie.read()):
        try:
            login = auth.resume(backend.uow(), token)
        except SessionEnded:
            end("登录已超时或失效，请重新登录")
            return None
        permissions = admin.my_permissions(backend.uow(), login.actor)
    else:
        return None
    st.session_state[session.LOGIN] = login
    st.session_state[session.CHECKED_AT] = time.monotonic()
    st.session_state[session.PERMISSIONS] = permissions
    return login


def _keep_cookie(login: LoginSession) -> None:
    now = datetime.now(UTC)
    ticket, issued = st.session_state.get(TOKEN) or (None, None)
    if ticket is None or now - issued > REFRESH:
        ticket = cookie_tickets.issue(backend.uow(), login.session_id)
        st.session_state[TOKEN] = (ticket, now)
    login_cookie.send(ticket)


def _clear_cookie() -> None:
    ticket = st.session_state.get(EXPIRE)
    if not isinstance(ticket, str):
        ticket = cookie_tickets.issue(backend.database().uow(), "")
        st.session_state[EXPIRE] = ticket
    login_cookie.send(ticket)


# --- starting and ending a session ---------------------------------------------------------------


def sign_in(login: LoginSession) -> None:
    """After a successful ``auth.login``: this tab is signed in from the next run on."""
    for key in (TOKEN, NOTICE):
        st.session_state.pop(key, None)
    st.session_state[NO_RESUME] = False
    st.session_state[EXPIRE] = False
    st.session_state[session.LOGIN] = login


def end(message: str) -> None:
    """Forget everything of the signed-out person in this tab; 登录 says ``message``."""
    for key in list(st.session_state):
        del st.session_state[key]
    session.init_state()
    st.session_state[NO_RESUME] = True
    st.session_state[EXPIRE] = True
    st.session_state[NOTICE] = message


def sign_out() -> None:
    """Callback of 退出登录 (audited)."""
    login = session.current_login()
    if login is not None:
        auth.logout(backend.database().uow(), login)
    end("已退出登录。")


def take_notice() -> str | None:
    return st.session_state.pop(NOTICE, None)


def account_sidebar(login: LoginSession) -> None:
    with st.sidebar:
        st.caption(md("当前用户：{}（{}）", login.display_name, login.role))
        st.button("退出登录", key="sign_out", on_click=sign_out, icon=":material/logout:")


# --- changing one's password (修改密码 and 个人设置) ------------------------------------------


def policy_hint() -> str:
    policy = admin.password_policy(backend.database().uow())
    return (
        f"密码至少 {policy.min_length} 位，须含大写字母、小写字母、数字、符号中的至少 {policy.min_classes} 类，"
        "且不能包含用户名。"
    )


def password_form(place: str) -> None:
    """Old password, new password twice; on success the session goes on (a fresh cookie)."""
    with st.form(f"{place}:form", clear_on_submit=False):
        st.text_input("原密码", type="password", key=f"{place}:old")
        st.text_input("新密码", type="password", key=f"{place}:new", help=policy_hint())
        st.text_input("再次输入新密码", type="password", key=f"{place}:again")
        st.form_submit_button("修改密码", type="primary", on_click=_change_password, args=(place,))
    widgets.show_notice(place)


def _change_password(place: str) -> None:
    state = st.session_state
    old, new, again = (str(state.get(f"{place}:{k}") or "") for k in ("old", "new", "again"))
    for key in ("old", "new", "again"):  # passwords never stay in the session
        state[f"{place}:{key}"] = ""
    if new != again:
        widgets.notify(place, InvalidInput("两次输入的新密码不一致，密码未修改"), "error")
        return
    login = session.current_login()
    result = backend.attempt(users.change_password, old, new, keep_session=login.session_id)
    if not result.ok:
        widgets.notify(place, result.error, "error")
        return
    state[session.LOGIN] = replace(login, must_change_password=False, change_reason="")
    state.pop(TOKEN, None)  # a new token for the cookie (the older ones lapse)
    widgets.notify(place, "密码已修改，您在其他浏览器或设备上的登录已全部结束。下次登录请使用新密码。")
    st.toast("密码已修改", icon=":material/check:")  # seen also when 修改密码 gives way to the app
