"""用户管理 (系统管理员): the accounts; add one (role, organisation, projects for a 项目单位);
change, disable or enable, unlock, reset the password, or turn off a lost second factor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from workbench.services import accounts, users
from workbench.services.audit import local_time
from workbench.services.users import UserInfo
from workbench.ui import backend, widgets

PLACE = "users"


def _when(moment: datetime | None) -> str:
    return local_time(moment.isoformat()) if moment else "—"


def _locked(user: UserInfo) -> bool:
    return bool(user.locked_until and user.locked_until > datetime.now(UTC))


def table(people: list[UserInfo], projects: dict[str, str]) -> None:
    rows = [
        {
            "用户名": u.username,
            "姓名": u.display_name,
            "角色": u.role,
            "单位": u.organisation or "—",
            "项目": "、".join(projects.get(p, p) for p in u.projects) or "—",
            "状态": "启用" if u.active else "停用",
            "锁定至": _when(u.locked_until) if _locked(u) else "—",
            "动态验证码": "已启用" if u.totp_enabled else "—",
            "须修改密码": "是" if u.must_change_password else "",
            "最近登录": _when(u.last_login_at),
        }
        for u in people
    ]
    st.dataframe(rows, hide_index=True)


def _act(done: str, service: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """A callback: run ``service`` and say what happened (or why not) above the forms."""
    result = backend.attempt(service, *args, **kwargs)
    widgets.notify(PLACE, result.error if not result.ok else done, "success" if result.ok else "error")
    return result.ok


def _add() -> None:
    s = st.session_state
    values = {k: s.get(f"new_user_{k}") for k in ("username", "name", "role", "org", "projects", "password")}
    added = _act(
        f"已新增用户“{str(values['username']).strip()}”；首次登录时须修改初始密码。",
        users.add_user,
        str(values["username"] or "").strip(),
        str(values["name"] or ""),
        str(values["role"] or ""),
        str(values["password"] or ""),
        organisation=str(values["org"] or ""),
        projects=list(values["projects"] or []),
    )
    s["new_user_password"] = ""
    if added:  # the next account starts blank: no project or role carried over to it
        for k in ("username", "name", "org"):
            s[f"new_user_{k}"] = ""
        s["new_user_projects"] = []
        s.pop("new_user_role", None)


def add_form(roles: list[str], projects: dict[str, str]) -> None:
    with st.form("new_user", clear_on_submit=False):
        a, b = st.columns(2)
        a.text_input("用户名 *", key="new_user_username", help="2–32 位字母、数字或 . _ @ -")
        b.text_input("姓名 *", key="new_user_name")
        a.selectbox("角色 *", roles, key="new_user_role")
        b.text_input("单位", key="new_user_org")
        st.multiselect(
            "可访问的项目（项目单位只能看到这些项目）",
            list(projects),
            format_func=projects.get,
            key="new_user_projects",
            placeholder="请选择（项目单位必选）",
        )
        st.text_input("初始密码 *", type="password", key="new_user_password", help="首次登录时须修改")
        st.form_submit_button("新增用户", type="primary", on_click=_add)


def _update(user: UserInfo, prefix: str) -> None:
    s = st.session_state
    changes = {
        "display_name": s.get(f"{prefix}:name"),
        "organisation": s.get(f"{prefix}:org"),
        "projects": list(s.get(f"{prefix}:projects") or []),
    }
    _act(f"已保存用户“{user.username}”的资料。", users.update_user, user.username, changes, user.version)


def _reset(user: UserInfo, prefix: str) -> None:
    password = str(st.session_state.get(f"{prefix}:password") or "")
    st.session_state[f"{prefix}:password"] = ""
    done = f"已重置用户“{user.username}”的密码（账号同时解锁）；其下次登录时须修改密码。"
    _act(done, users.reset_password, user.username, password)


def manage(user: UserInfo, roles: list[str], projects: dict[str, str]) -> None:
    prefix = f"user:{user.username}:{user.version}"  # rebuilt from the stored account after a change
    with st.form(f"{prefix}:form"):
        a, b = st.columns(2)
        a.text_input("姓名", user.display_name, key=f"{prefix}:name")
        b.text_input("单位", user.organisation, key=f"{prefix}:org")
        a.text_input(
            "角色",
            user.role,
            disabled=True,
            key=f"{prefix}:role",
            help="账号的角色由安全管理员在“角色与安全设置”中调整（三员分立）",
        )
        b.multiselect(
            "可访问的项目",
            list(projects),
            default=[p for p in user.projects if p in projects],
            format_func=projects.get,
            key=f"{prefix}:projects",
            placeholder="请选择",
        )
        st.form_submit_button("保存资料", on_click=_update, args=(user, prefix))
    with st.container(horizontal=True):
        if user.active:
            st.button(
                "停用账号",
                key=f"{prefix}:off",
                on_click=_act,
                args=(f"已停用用户“{user.username}”。", users.set_active, user.username, False),
            )
        else:
            st.button(
                "启用账号",
                key=f"{prefix}:on",
                on_click=_act,
                args=(f"已启用用户“{user.username}”。", users.set_active, user.username, True),
            )
        if user.locked_until:
            st.button(
                "解锁",
                key=f"{prefix}:unlock",
                on_click=_act,
                args=(f"已解锁用户“{user.username}”。", users.unlock, user.username),
            )
        if user.totp_enabled:
            st.button(
                "停用其动态验证码",
                key=f"{prefix}:totp",
                on_click=_act,
                args=(f"已停用用户“{user.username}”的动态验证码。", users.disable_totp, user.username),
            )
    with st.form(f"{prefix}:reset"):
        st.text_input("新密码（告知本人；其下次登录时须修改）", type="password", key=f"{prefix}:password")
        st.form_submit_button("重置密码", on_click=_reset, args=(user, prefix))


st.title("用户管理")
people = backend.call(users.list_users)
roles = backend.call(accounts.role_names)
projects = backend.call(accounts.project_names)
widgets.show_notice(PLACE)
table(people, projects)
with st.expander("新增用户", expanded=False):
    add_form(roles, projects)
st.subheader("管理账号")
by_name = {u.username: u for u in people}
chosen = st.selectbox(
    "选择账号",
    list(by_name),
    format_func=lambda n: f"{n}（{by_name[n].display_name}，{by_name[n].role}）",
    key="manage_user",
)
if chosen:
    manage(by_name[chosen], roles, projects)
