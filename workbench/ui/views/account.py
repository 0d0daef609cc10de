"""个人设置: one's own account — change the password, turn the TOTP second factor on (scan the QR
code, confirm with a code) or off."""

from __future__ import annotations

import io

import segno
import streamlit as st

from workbench.services import accounts, users
from workbench.services.audit import local_time
from workbench.ui import backend, gate, session, widgets

SETUP = "totp_setup"  # the secret being set up, until a code confirms it


def qr_png(uri: str) -> bytes:
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="png", scale=5, border=2)
    return out.getvalue()


def _start() -> None:
    st.session_state[SETUP] = users.start_totp(session.current_actor())


def _cancel() -> None:
    st.session_state.pop(SETUP, None)


def _confirm() -> None:
    setup = st.session_state.get(SETUP)
    code = str(st.session_state.get("totp_code") or "")
    st.session_state["totp_code"] = ""
    result = backend.attempt(users.enable_totp, setup.secret, code)
    if not result.ok:
        widgets.notify("totp", result.error, "error")
        return
    st.session_state.pop(SETUP, None)
    widgets.notify("totp", "动态验证码已启用：此后登录时须输入验证器显示的 6 位数字。")


def _disable(username: str) -> None:
    password = str(st.session_state.get("totp_off_password") or "")
    st.session_state["totp_off_password"] = ""  # never kept in the session
    result = backend.attempt(users.disable_totp, username, password)
    if result.ok:
        widgets.notify("totp", "动态验证码已停用：此后登录只需密码。", "warning")
    else:
        widgets.notify("totp", result.error, "error")


def second_factor(enabled: bool, username: str) -> None:
    st.subheader("动态验证码（第二重验证）")
    setup = st.session_state.get(SETUP)
    if enabled:
        st.success("已启用：登录时除密码外还须输入验证器显示的 6 位数字。", icon=":material/verified_user:")
        with st.form("totp_off"):
            st.text_input("输入登录密码以确认停用", type="password", key="totp_off_password")
            st.form_submit_button("停用动态验证码", on_click=_disable, args=(username,))
    elif setup is None:
        st.caption(
            "启用后，登录时除密码外还须输入手机验证器（如 Microsoft Authenticator、Google 身份验证器）显示的 6 位数字。"
        )
        st.button("启用动态验证码", key="totp_start", on_click=_start, type="primary")
    else:
        left, right = st.columns([1, 2])
        left.image(qr_png(setup.uri), caption="用验证器扫描此二维码", width=220, output_format="PNG")
        right.markdown("无法扫码时，在验证器中手动添加账号，输入以下密钥：")
        right.code(setup.secret, language=None)
        right.caption(f"配置地址：{setup.uri}")
        right.text_input("验证器当前显示的 6 位数字", key="totp_code", max_chars=6)
        a, b = right.columns(2)
        a.button("确认启用", key="totp_confirm", on_click=_confirm, type="primary")
        b.button("取消", key="totp_cancel", on_click=_cancel)
    widgets.show_notice("totp")


st.title("个人设置")
account = backend.call(accounts.my_account)
last = local_time(account.last_login_at.isoformat()) if account.last_login_at else "—"
st.markdown(
    f"**{account.display_name}**（用户名 `{account.username}`，角色：{account.role}"
    f"{'，单位：' + account.organisation if account.organisation else ''}）  \n"
    f"本次登录：{last} · 密码最近修改：{local_time(account.password_changed_at.isoformat())}"
)
st.subheader("修改密码")
gate.password_form("account_password")
second_factor(account.totp_enabled, account.username)
