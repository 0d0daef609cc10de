"""The three administrators' pages, each as its role: 用户管理 (系统管理员), 角色与安全设置
(安全管理员), 审计日志 (审计管理员), 备份与恢复 (系统管理员) — what each changes is what the
services then hold, and each refusal is the service's own Chinese message."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile

from actors import AUDITOR, CLI, PASSWORD, SECADMIN, SYSADMIN, add_accounts
from screen import button, texts
from signin import OWN_PASSWORD
from streamlit.testing.v1 import AppTest

from workbench.errors import WorkbenchError
from workbench.services import admin, audit, auth, users
from workbench.services.actors import Actor


def user_named(app_db, username: str):  # type: ignore[no-untyped-def]
    return next(u for u in users.list_users(app_db.uow(), CLI) if u.username == username)


def manage(at: AppTest, username: str) -> tuple[AppTest, str]:
    at = at.selectbox(key="manage_user").set_value(username).run()
    found = next(
        k for k in at.session_state if str(k).startswith(f"user:{username}:") and str(k).endswith(":name")
    )
    return at, str(found).removesuffix(":name")


# --- 用户管理 ---------------------------------------------------------------------------------


def test_the_system_administrator_adds_a_project_unit_account_with_its_project(open_page, app_db):
    at = open_page(as_=SYSADMIN)
    at.text_input(key="new_user_username").set_value("unit-b")
    at.text_input(key="new_user_name").set_value("某县财政局")
    at.selectbox(key="new_user_role").set_value("项目单位")
    at.multiselect(key="new_user_projects").set_value(["yiyang-smart-brain-2018"])
    at.text_input(key="new_user_password").set_value("weak")
    at = at.button(key="FormSubmitter:new_user-新增用户").click().run()
    assert any("密码" in e for e in texts(at.error)), texts(at.error)

    at.text_input(key="new_user_password").set_value(PASSWORD)
    at = at.button(key="FormSubmitter:new_user-新增用户").click().run()

    assert "已新增用户“unit-b”；首次登录时须修改初始密码。" in texts(at.success)
    table = at.dataframe[0].value
    row = table[table["用户名"] == "unit-b"].iloc[0]
    assert (row["角色"], row["须修改密码"]) == ("项目单位", "是")
    assert "益阳" in row["项目"]
    assert user_named(app_db, "unit-b").projects == ("yiyang-smart-brain-2018",)
    # the form is blank for the next account: no project carried over to a 领导 or 专家
    assert at.multiselect(key="new_user_projects").value == []
    assert (
        at.text_input(key="new_user_username").value == "" and at.text_input(key="new_user_name").value == ""
    )


def test_disabling_resetting_and_unlocking_an_account(open_page, app_db):
    add_accounts(app_db, Actor("wu", "吴评价", "评价人员"))
    for _ in range(5):  # the fifth failure in a row locks the account
        with contextlib.suppress(WorkbenchError):
            auth.login(app_db.uow(), "wu", "Wrong#2024-pass")
    at, prefix = manage(open_page(as_=SYSADMIN), "wu")
    at = at.button(key=f"{prefix}:unlock").click().run()
    assert "已解锁用户“wu”。" in texts(at.success)
    assert user_named(app_db, "wu").locked_until is None

    at, prefix = manage(at, "wu")
    at = at.button(key=f"{prefix}:off").click().run()
    assert "已停用用户“wu”。" in texts(at.success) and not user_named(app_db, "wu").active

    at, prefix = manage(at, "wu")
    at.text_input(key=f"{prefix}:password").set_value("Reset#2024-pass")
    at = at.button(key=f"FormSubmitter:{prefix}:reset-重置密码").click().run()
    assert any("已重置用户“wu”的密码" in s for s in texts(at.success))

    at, prefix = manage(at, "wu")
    at = at.button(key=f"{prefix}:on").click().run()
    assert auth.login(app_db.uow(), "wu", "Reset#2024-pass").must_change_password


def test_the_only_system_administrator_cannot_disable_their_own_account(open_page):
    at, prefix = manage(open_page(as_=SYSADMIN), SYSADMIN.username)
    at = at.button(key=f"{prefix}:off").click().run()
    assert any("管理员账号（系统管理员）不能在网页中停用" in e for e in texts(at.error))


# --- 角色与安全设置 ----------------------------------------------------------------------------


def test_the_security_administrator_cannot_give_an_administrator_business_powers(open_page, app_db):
    at = open_page("security", as_=SECADMIN)
    at = at.selectbox(key="role_choice").set_value("审计管理员").run()
    prefix = next(
        str(k).removesuffix(":permissions")
        for k in at.session_state
        if str(k).startswith("role:审计管理员:") and str(k).endswith(":permissions")
    )
    at.multiselect(key=f"{prefix}:permissions").select("evaluation.score")
    at = at.button(key=f"FormSubmitter:{prefix}:form-保存角色").click().run()

    assert any("三员分立" in e for e in texts(at.error)), texts(at.error)
    assert (
        "evaluation.score"
        not in admin.role_table(app_db.uow(), SECADMIN).table.role("审计管理员").permissions
    )


def test_a_new_role_is_added_with_its_permissions(open_page, app_db):
    at = open_page("security", as_=SECADMIN)
    at = at.selectbox(key="role_choice").set_value("（新增角色）").run()
    at.text_input(key="role:（新增角色）:0:name").set_value("财务人员")
    at.multiselect(key="role:（新增角色）:0:permissions").set_value(["evaluation.view", "evidence.view"])
    at = at.button(key="FormSubmitter:role:（新增角色）:0:form-保存角色").click().run()

    assert "已保存角色“财务人员”。" in texts(at.success)
    assert admin.role_table(app_db.uow(), SECADMIN).table.role("财务人员").permissions == [
        "evaluation.view",
        "evidence.view",
    ]


def test_the_password_policy_is_tightened_but_never_loosened_below_the_floor(open_page, app_db):
    at = open_page("security", as_=SECADMIN)
    version = admin.security_settings(app_db.uow(), SECADMIN).version
    at.number_input(key=f"policy:{version}:idle_timeout_minutes").set_value(60)
    at = at.button(key=f"FormSubmitter:policy:{version}-保存安全设置").click().run()
    assert any("空闲超时" in e for e in texts(at.error)), texts(at.error)

    at.number_input(key=f"policy:{version}:idle_timeout_minutes").set_value(20)
    at = at.button(key=f"FormSubmitter:policy:{version}-保存安全设置").click().run()

    assert any("已保存安全设置" in s for s in texts(at.success))
    assert admin.password_policy(app_db.uow()).idle_timeout_minutes == 20


# --- 审计日志 ----------------------------------------------------------------------------------


def test_the_auditor_filters_the_log_and_exports_what_the_filter_shows(open_page, downloads):
    at = open_page("audit_log", as_=AUDITOR)
    at.selectbox(key="audit_event").set_value("登录")
    at.selectbox(key="audit_result").set_value("成功")
    at = at.button(key="FormSubmitter:audit_filters-查询").click().run()

    table = at.dataframe[0].value
    assert len(table) and set(table["事件"]) == {"登录"} and set(table["结果"]) == {"成功"}
    assert any("筛选：事件 登录，结果 成功" in c for c in texts(at.caption))

    at = button(at, "按当前筛选导出").click().run()
    exported = downloads(next(b for b in at.get("download_button") if b.label == "下载审计日志（.csv）"))
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0][:5] == ["序号", "时间", "用户", "角色", "事件"]
    assert len(rows) - 1 >= len(table) and {r[4] for r in rows[1:]} == {"登录"}


def test_the_audit_log_pages_through_the_records_fifty_at_a_time(open_page, app_db, signed_in):
    signed_in(AUDITOR)
    spare = auth.login(app_db.uow(), AUDITOR.username, OWN_PASSWORD)  # not the page's own session
    for _ in range(55):  # each sign-out is audited: more than a page, whatever ran before
        auth.logout(app_db.uow(), spare)
    at = open_page("audit_log", as_=AUDITOR)
    total = audit.query_audit(app_db.uow(), CLI, record_view=False).total
    assert len(at.dataframe[0].value) == 50

    at = at.number_input(key="audit_page").set_value(2).run()

    assert at.dataframe[0].value["序号"].iloc[0] == str(total - 50)
    assert any(f"共 {total} 条，第 2 / {-(-total // 50)} 页" in c for c in texts(at.caption))


def test_only_the_auditor_reads_the_log(open_page):
    at = open_page("audit_log", as_=SYSADMIN)
    assert not at.dataframe and any("无权查看审计日志" in e for e in texts(at.error))


# --- 备份与恢复 --------------------------------------------------------------------------------


def test_a_backup_is_downloaded_and_restoring_it_brings_back_what_changed_since(
    open_page, app_db, downloads, tmp_path
):
    at = button(open_page("backup", as_=SYSADMIN), "生成备份").click().run()
    content = downloads(next(b for b in at.get("download_button") if b.label == "下载备份文件（.zip）"))
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None

    add_accounts(app_db, Actor("after-backup", "备份后新增", "领导"))
    at.get("file_uploader")[0].upload("backup.zip", content, "application/zip")
    at = at.run()
    assert next(b for b in at.button if b.label == "恢复备份").disabled  # not until confirmed
    at.checkbox(key="restore_confirm:0").check()
    at = button(at.run(), "恢复备份").click().run()

    assert any("已从备份“backup.zip”恢复全部数据" in s for s in texts(at.success)), texts(at.error)
    assert "after-backup" not in [u.username for u in users.list_users(app_db.uow(), CLI)]


def test_a_damaged_backup_changes_nothing_and_says_why(open_page, app_db):
    at = open_page("backup", as_=SYSADMIN)
    before = len(users.list_users(app_db.uow(), CLI))
    at.get("file_uploader")[0].upload("backup.zip", b"PK\x03\x04 not a backup", "application/zip")
    at.checkbox(key="restore_confirm:0").check()
    at = button(at.run(), "恢复备份").click().run()

    assert at.error and not at.exception
    assert len(users.list_users(app_db.uow(), CLI)) == before


# last: it breaks this module's audit chain on purpose
def test_the_chain_check_names_the_first_broken_record(open_page, app_db):
    at = button(open_page("audit_log", as_=AUDITOR), "校验哈希链").click().run()
    assert any("哈希链（HMAC）校验通过" in s for s in texts(at.success))

    with app_db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("UPDATE audit_log SET username = 'nobody' WHERE seq = 2")
    at = button(at, "校验哈希链").click().run()

    assert any(
        e.startswith("审计日志被篡改或缺失：第一条异常记录序号 2（记录内容与哈希不符")
        for e in texts(at.error)
    )
    assert any("触发器缺失或被停用：audit_log_no_update" in e for e in texts(at.error))
