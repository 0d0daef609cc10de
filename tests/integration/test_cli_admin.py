"""`workbench user | audit | backup | restore`, driven as an operator types them (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from workbench.bootstrap import ensure_database
from workbench.cli import app
from workbench.services import auth, users

STRONG = "Wb#2024-pass"
AUDITOR_PASSWORD = "Chain#2024-log"


@pytest.fixture
def run(database_url, monkeypatch, tmp_path, database_templates):
    database_templates.copy(database_url, seed=True)  # as the first command's start leaves it
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", database_url)
    monkeypatch.setenv("WORKBENCH_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("WORKBENCH_CLI_WIDTH", "200")
    return lambda *args, input=None: CliRunner().invoke(app, [str(a) for a in args], input=input)


def test_the_first_account_is_an_administrator_and_a_weak_password_is_refused(run):
    weak = run("user", "add", "sys", "--name", "系统管理员甲", "--password-stdin", input="abc\n")
    first = run("user", "add", "sys", "--name", "系统管理员甲", "--password-stdin", input=f"{STRONG}\n")
    no_role = run("user", "add", "zhang", "--name", "张评价", "--password-stdin", input=f"{STRONG}\n")
    second = run(
        "user", "add", "zhang", "--name", "张评价", "--role", "评价人员", input=f"{STRONG}\n{STRONG}\n"
    )
    listed = run("user", "list")

    assert weak.exit_code == 1 and "密码至少 8 位，当前 3 位" in weak.output
    assert first.exit_code == 0 and "已新增用户 sys（系统管理员甲，系统管理员）" in first.output
    assert no_role.exit_code == 1 and "请用 --role 指定角色" in no_role.output
    assert second.exit_code == 0 and "首次登录时须修改密码" in second.output
    assert STRONG not in second.output  # typed with hidden input
    assert "sys" in listed.output and "张评价" in listed.output and "共 2 个账号" in listed.output


def test_two_different_passwords_at_the_prompt_change_nothing(run):
    result = run("user", "add", "sys", "--name", "甲", input=f"{STRONG}\nOther#2024x\n")
    assert result.exit_code == 1 and "两次输入的密码不一致" in result.output
    assert "还没有用户账号" in run("user", "list").output


def test_a_unit_account_is_tied_to_its_projects_and_an_unknown_project_is_refused(run):
    run("user", "add", "sys", "--name", "甲", "--password-stdin", input=f"{STRONG}\n")
    bad = run(
        "user",
        "add",
        "unit",
        "--name",
        "单位",
        "--role",
        "项目单位",
        "--project",
        "nowhere",
        "--password-stdin",
        input=f"{STRONG}\n",
    )
    good = run(
        "user",
        "add",
        "unit",
        "--name",
        "单位",
        "--role",
        "项目单位",
        "--organisation",
        "益阳市数据资源管理局",
        "--project",
        "yiyang-smart-brain-2018",
        "--password-stdin",
        input=f"{STRONG}\n",
    )
    assert bad.exit_code == 1 and "项目 nowhere 不存在" in bad.output
    assert good.exit_code == 0
    assert "yiyang-smart-brain-2018" in run("user", "list").output


def test_reset_password_from_the_command_line_unlocks_the_account(run):
    run("user", "add", "sys", "--name", "甲", "--password-stdin", input=f"{STRONG}\n")
    run("user", "add", "zhang", "--name", "张", "--role", "评价人员", "--password-stdin", input=f"{STRONG}\n")
    result = run("user", "reset-password", "zhang", "--password-stdin", input="New#Pass2024\n")
    assert result.exit_code == 0 and "已重置用户 zhang 的密码" in result.output


def _auditor(run, database_url):
    """An 审计管理员 account that has changed its first password (as it would in the browser)."""
    run("user", "add", "sys", "--name", "甲", "--password-stdin", input=f"{STRONG}\n")
    run(
        "user",
        "add",
        "aud",
        "--name",
        "审计乙",
        "--role",
        "审计管理员",
        "--password-stdin",
        input=f"{STRONG}\n",
    )
    db = ensure_database(database_url)
    try:
        session = auth.login(db.uow(), "aud", STRONG)
        users.change_password(db.uow(), session.actor, STRONG, AUDITOR_PASSWORD)
    finally:
        db.dispose()


def test_audit_verify_and_export_from_the_command_line(run, tmp_path, database_url):
    _auditor(run, database_url)
    verified = run("audit", "verify")
    as_auditor = ("--auditor", "aud", "--password-stdin")
    pw = f"{AUDITOR_PASSWORD}\n"
    exported = run(
        "audit", "export", tmp_path / "audit.csv", "--event", "创建首个管理员", *as_auditor, input=pw
    )
    wrong = run("audit", "export", tmp_path / "audit.txt", *as_auditor, input=pw)
    bad_time = run("audit", "export", tmp_path / "a.xlsx", "--since", "昨天", *as_auditor, input=pw)
    xlsx = run("audit", "export", tmp_path / "audit.xlsx", *as_auditor, input=pw)

    assert verified.exit_code == 0 and "哈希链（HMAC）校验通过" in verified.output
    assert "链尾：序号 " in verified.output
    rows = list(csv.reader(io.StringIO((tmp_path / "audit.csv").read_text("utf-8-sig"))))
    assert exported.exit_code == 0 and [r[4] for r in rows[1:]] == ["创建首个管理员"]
    assert wrong.exit_code == 1 and "须以 .csv 或 .xlsx 结尾" in wrong.output
    assert bad_time.exit_code == 1 and "起始时间应为日期或时间" in bad_time.output
    assert xlsx.exit_code == 0 and (tmp_path / "audit.xlsx").stat().st_size > 0


def test_exporting_the_audit_log_needs_an_auditor_to_sign_in(run, tmp_path, database_url):
    _auditor(run, database_url)
    anonymous = run("audit", "export", tmp_path / "a.csv")
    as_admin = run(
        "audit", "export", tmp_path / "a.csv", "--auditor", "sys", "--password-stdin", input=f"{STRONG}\n"
    )
    wrong_pw = run(
        "audit", "export", tmp_path / "a.csv", "--auditor", "aud", "--password-stdin", input="Nope#2024x\n"
    )

    assert anonymous.exit_code == 1 and "须以审计管理员身份登录" in anonymous.output
    assert as_admin.exit_code == 1 and not (tmp_path / "a.csv").exists()
    assert wrong_pw.exit_code == 1 and not (tmp_path / "a.csv").exists()


def test_backup_then_restore_from_the_command_line(run, tmp_path):
    run("user", "add", "sys", "--name", "甲", "--password-stdin", input=f"{STRONG}\n")
    made = run("backup", tmp_path / "wb.zip")
    run(
        "user",
        "add",
        "zhang",
        "--name",
        "张评价",
        "--role",
        "评价人员",
        "--password-stdin",
        input=f"{STRONG}\n",
    )
    declined = run("restore", tmp_path / "wb.zip", input="n\n")
    restored = run("restore", tmp_path / "wb.zip", "--yes")
    listed = run("user", "list")

    assert made.exit_code == 0 and "已备份到" in made.output
    assert declined.exit_code == 1 and "已取消，未做任何改动" in declined.output
    assert restored.exit_code == 0 and "已从" in restored.output
    assert "zhang" not in listed.output and "共 1 个账号" in listed.output
    assert run("audit", "verify").exit_code == 0


def test_restoring_a_damaged_backup_says_why_in_chinese(run, tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 broken")
    result = run("restore", tmp_path / "bad.zip", "--yes")
    assert result.exit_code == 1 and "无法读取或不是工作台的备份" in result.output


def test_an_administrator_account_needs_a_second_administrators_confirmation_on_the_command_line(run):
    add = lambda name, role, *extra, input: run(  # noqa: E731
        "user", "add", name, "--name", name, "--role", role, "--password-stdin", *extra, input=input
    )
    run("user", "add", "sys", "--name", "甲", "--password-stdin", input=f"{STRONG}\n")
    first_sec = add("sec", "安全管理员", input=f"{STRONG}\n")  # the role's first holder: the operator alone
    first_aud = add("aud", "审计管理员", input=f"{STRONG}\n")
    alone = add("aud2", "审计管理员", input=f"{STRONG}\n")
    wrong = add("aud2", "审计管理员", "--confirm-by", "sec", input=f"{STRONG}\nWrong#2024-guess\n")
    confirmed = add("aud2", "审计管理员", "--confirm-by", "sec", input=f"{STRONG}\n{STRONG}\n")
    reset_alone = run("user", "reset-password", "aud2", "--password-stdin", input=f"{STRONG}x\n")
    disabled = run("user", "disable", "aud2", "--confirm-by", "sec", "--password-stdin", input=f"{STRONG}\n")

    assert first_sec.exit_code == 0 and first_aud.exit_code == 0
    assert alone.exit_code == 1 and "另一位安全管理员或审计管理员" in alone.output
    assert wrong.exit_code == 1 and "用户名或密码错误" in wrong.output
    assert confirmed.exit_code == 0 and "已新增用户 aud2" in confirmed.output
    assert reset_alone.exit_code == 1 and "--confirm-by" in reset_alone.output
    assert disabled.exit_code == 0 and "已停用用户 aud2" in disabled.output


def test_a_weak_server_key_is_refused_at_start_with_the_minimum_named(run, monkeypatch):
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "x")
    result = run("user", "list")
    assert result.exit_code == 1 and "服务器密钥太弱" in result.output and "至少须 43 个字符" in result.output
