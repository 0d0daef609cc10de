"""登录 — and, on first start with no account at all, the form for the first 系统管理员.

The messages are the services' own: a wrong password says only 用户名或密码错误; the fifth
failure in a row locks the account (for how long, and until when, is in the message); an
account with a second factor is asked for the 6-digit code.
"""

from __future__ import annotations

import streamlit as st

from workbench.errors import InvalidInput, WorkbenchError
from workbench.services import auth, users
from workbench.services.auth import SecondFactorRequired
from workbench.ui import backend, gate, widgets

NEEDS_CODE = "login_needs_code"  # the user name whose password was right and who has TOTP


def sign_in() -> None:
    state = st.session_state
    username = str(state.get("login_username") or "").strip()
    password = str(state.get("login_password") or "")
    code = str(state.get("login_code") or "")
    try:
        login = auth.login(backend.database().uow(), username, password, code)
    except SecondFactorRequired as exc:
        state[NEEDS_CODE] = username
        widgets.notify("login", exc.messages[0], "warning")
        return
    except WorkbenchError as exc:  # wrong password or code, locked, disabled: the service says which
        widgets.notify("login", exc, "error")
        state["login_password"] = state["login_code"] = ""
        return
    for key in ("login_password", "login_code", NEEDS_CODE):
        state.pop(key, None)
    gate.sign_in(login)


def login_form() -> None:
    needs_code = st.session_state.get(NEEDS_CODE)
    with st.form("login", border=True):
        st.text_input("用户名", key="login_username")
        st.text_input("密码", type="password", key="login_password")
        if needs_code and needs_code == str(st.session_state.get("login_username") or "").strip():
            st.text_input("动态验证码（6 位数字）", key="login_code", max_chars=6)
        st.form_submit_button("登录", type="primary", on_click=sign_in)
    widgets.show_notice("login")
    st.caption("忘记密码或账号被锁定，请联系系统管理员重置或解锁。")


def create_first_admin() -> None:
    state = st.session_state
    fields = {k: str(state.get(f"first_{k}") or "") for k in ("username", "name", "password", "again")}
    state["first_password"] = state["first_again"] = ""
    if fields["password"] != fields["again"]:
        widgets.notify("first_admin", InvalidInput("两次输入的密码不一致，账号未创建"), "error")
        return
    db = backend.database()
    try:
        users.create_first_admin(db.uow(), fields["username"], fields["name"], fields["password"])
        login = auth.login(db.uow(), fields["username"].strip(), fields["password"])
    except WorkbenchError as exc:
        widgets.notify("first_admin", exc, "error")
        return
    gate.sign_in(login)


def first_admin_form() -> None:
    st.info(
        "这是首次启动：系统中还没有任何账号。请创建第一个系统管理员账号"
        "（系统不设默认账号和密码）；之后由系统管理员在“用户管理”中为其他人开设账号。",
        icon=":material/person_add:",
    )
    with st.form("first_admin", border=True):
        st.text_input("用户名", key="first_username", help="2–32 位字母、数字或 . _ @ -")
        st.text_input("姓名", key="first_name")
        st.text_input("密码", type="password", key="first_password", help=gate.policy_hint())
        st.text_input("再次输入密码", type="password", key="first_again")
        st.form_submit_button("创建系统管理员并登录", type="primary", on_click=create_first_admin)
    widgets.show_notice("first_admin")


_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("财政绩效评价工作台")
    notice = gate.take_notice()
    if notice:
        st.warning(notice, icon=":material/info:")
    if users.needs_first_admin(backend.database().uow()):
        st.subheader("创建首个系统管理员")
        first_admin_form()
    else:
        st.subheader("登录")
        login_form()
