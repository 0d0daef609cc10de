"""修改密码 — shown instead of every other page while the signed-in account must change its
password (set or reset by an administrator, or older than the policy allows)."""

from __future__ import annotations

import streamlit as st

from workbench.ui import gate, session

login = session.current_login()
_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("修改密码")
    st.warning(
        f"{login.display_name}，{login.change_reason}。修改之前不能使用其他功能。", icon=":material/key:"
    )
    gate.password_form("forced_password")
    st.button("退出登录", key="sign_out_forced", on_click=gate.sign_out, icon=":material/logout:")
