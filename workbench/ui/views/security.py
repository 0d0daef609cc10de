"""角色与安全设置 (安全管理员): the role table — which role may do what, on which projects — and
the password, lockout and idle-timeout policy.  The services keep the three administrators apart
and the policy above the 等保 floor; their refusals are shown as they say them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st

from workbench.domain.permissions import PERMISSION_LABELS, Role
from workbench.services import admin, users
from workbench.services.admin import POLICY_LABELS
from workbench.services.ports import RoleVersions, Settings
from workbench.services.separation import is_admin
from workbench.ui import backend, session, widgets

SCOPES = {"all": "全部项目", "own": "本单位的项目（账号所关联的项目）", "none": "不访问项目数据"}
NEW = "（新增角色）"


def role_rows(table: RoleVersions) -> list[dict[str, str]]:
    return [
        {
            "角色": r.name,
            "可访问的项目": SCOPES[r.scope],
            "权限": "、".join(PERMISSION_LABELS[p] for p in r.permissions) or "—",
            "版本": str(table.versions.get(r.name, 0)),
        }
        for r in table.table.roles
    ]


def _save(name: str, version: int, prefix: str) -> None:
    s = st.session_state
    role = {
        "name": str(s.get(f"{prefix}:name") or "").strip() if name == NEW else name,
        "scope": s.get(f"{prefix}:scope"),
        "permissions": list(s.get(f"{prefix}:permissions") or []),
    }
    result = backend.attempt(admin.save_role, role, version)
    done = f"已保存角色“{role['name']}”。"
    widgets.notify("roles", result.error if not result.ok else done, "success" if result.ok else "error")
    if result.ok:
        s["role_choice"] = role["name"]


def _delete(name: str, version: int) -> None:
    result = backend.attempt(admin.delete_role, name, version)
    widgets.notify(
        "roles",
        result.error if not result.ok else f"已删除角色“{name}”。",
        "success" if result.ok else "error",
    )
    if result.ok:
        st.session_state.pop("role_choice", None)


def role_editor(table: RoleVersions) -> None:
    names = [r.name for r in table.table.roles]
    choice = st.selectbox("编辑角色", [*names, NEW], key="role_choice")
    role = table.table.role(choice) or Role(name=NEW, scope="all", permissions=[])
    version = table.versions.get(choice, 0) if choice != NEW else 0
    prefix = f"role:{choice}:{version}"
    with st.form(f"{prefix}:form"):
        if choice == NEW:
            st.text_input("角色名称", key=f"{prefix}:name")
        scopes = list(SCOPES)
        st.selectbox(
            "可访问的项目",
            scopes,
            index=scopes.index(role.scope),
            format_func=SCOPES.get,
            key=f"{prefix}:scope",
        )
        st.multiselect(
            "权限",
            list(PERMISSION_LABELS),
            default=role.permissions,
            format_func=PERMISSION_LABELS.get,
            key=f"{prefix}:permissions",
            placeholder="请选择",
        )
        st.form_submit_button("保存角色", type="primary", on_click=_save, args=(role.name, version, prefix))
    if choice != NEW:
        st.button(f"删除角色“{choice}”", key=f"{prefix}:delete", on_click=_delete, args=(choice, version))
    widgets.show_notice("roles")


def _grant(username: str, version: int) -> None:
    role = st.session_state.get(f"grant:{username}:{version}")
    result = backend.attempt(users.update_user, username, {"role": role}, version)
    done = f"已把账号“{username}”的角色改为“{role}”；该账号的登录已全部结束，重新登录后按新角色使用。"
    widgets.notify("grants", result.error if not result.ok else done, "success" if result.ok else "error")


def role_grants(table: RoleVersions) -> None:
    """Which role each business account holds (管理员账号 are not changed here: separation)."""
    people = [u for u in backend.call(users.list_users) if not is_admin(u.role)]
    business = [r.name for r in table.table.roles if not is_admin(r.name)]
    if not people:
        st.caption("还没有业务账号。")
        return
    by_name = {u.username: u for u in people}
    chosen = st.selectbox(
        "账号",
        list(by_name),
        format_func=lambda n: f"{n}（{by_name[n].display_name}，现为 {by_name[n].role}）",
        key="grant_user",
    )
    user = by_name[chosen]
    with st.form(f"grant:{user.username}:{user.version}:form"):
        options = business if user.role in business else [user.role, *business]
        st.selectbox(
            "角色", options, index=options.index(user.role), key=f"grant:{user.username}:{user.version}"
        )
        st.form_submit_button("保存角色", type="primary", on_click=_grant, args=(user.username, user.version))
    widgets.show_notice("grants")


def _save_policy(settings: Settings) -> None:
    changes: dict[str, Any] = {
        name: st.session_state.get(f"policy:{settings.version}:{name}") for name in POLICY_LABELS
    }
    result = backend.attempt(admin.save_security_settings, changes, settings.version)
    widgets.notify(
        "policy",
        result.error if not result.ok else "已保存安全设置；新的规则对此后的登录和修改密码生效。",
        "success" if result.ok else "error",
    )


def policy_form(settings: Settings) -> None:
    current = asdict(settings.policy)
    with st.form(f"policy:{settings.version}"):
        cols = st.columns(3)
        for i, (name, label) in enumerate(POLICY_LABELS.items()):
            cols[i % 3].number_input(
                label, value=int(current[name]), step=1, key=f"policy:{settings.version}:{name}"
            )
        st.caption("下限由等保要求决定：密码至少 8 位、3 类字符，空闲超时不超过 30 分钟。")
        st.form_submit_button("保存安全设置", type="primary", on_click=_save_policy, args=(settings,))
    widgets.show_notice("policy")


st.title("角色与安全设置")
if session.may("roles.manage"):
    st.subheader("角色与权限")
    st.caption(
        "三员分立：系统管理员、安全管理员、审计管理员的权限固定，且不能访问项目数据；其他角色可调整或新增。"
    )
    table = backend.call(admin.role_table)
    st.dataframe(role_rows(table), hide_index=True)
    role_editor(table)
    st.subheader("账号的角色")
    st.caption(
        "业务账号的角色只能由安全管理员调整；管理员账号（三员）不能在网页中授予或撤销，"
        "须由服务器操作员在命令行办理并经另一位管理员确认。"
    )
    role_grants(table)
if session.may("security.manage"):
    st.subheader("密码与登录策略")
    policy_form(backend.call(admin.security_settings))
