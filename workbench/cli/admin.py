"""Administration commands: ``workbench user add | list | reset-password``, ``workbench audit
verify | export``, ``workbench backup`` and ``workbench restore``.

They act as the command line's 系统 role (the server's operator, ``services.access``): every
change is audited under ``cli:<os user>``.  Passwords are asked twice with hidden input, or read
from the first line of stdin with ``--password-stdin`` (for scripts); weak ones are refused.
"""

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from workbench.cli.core import DatabaseOption, Typer, app, cli_actor, console, opened_database, reports_errors
from workbench.errors import InvalidInput

if TYPE_CHECKING:
    from workbench.services import users
    from workbench.services.actors import Actor
    from workbench.storage.uow import Database

user_app = Typer(help="用户账号：新增、列出、重置密码。", no_args_is_help=True)
audit_app = Typer(help="审计日志：校验哈希链、导出。", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="从标准输入的第一行读取密码（用于脚本），不再提示")
]
ConfirmBy = Annotated[
    str,
    typer.Option(
        "--confirm-by",
        help="确认人（另一位安全管理员或审计管理员）的用户名：操作管理员账号须经其登录确认（三员分立）",
    ),
]
ConfirmTotp = Annotated[str, typer.Option("--confirm-totp", help="确认人已启用动态验证码时的 6 位数字")]


def confirmer(db: "Database", username: str, from_stdin: bool, code: str) -> "Actor | None":
    """The second administrator, signed in here (password, and TOTP when enabled) to confirm an
    operation on an administrator account; with ``--password-stdin`` the password is the next
    line of stdin."""
    from workbench.services import auth

    if not username:
        return None
    if from_stdin:
        password = read_password(True)
    else:
        password = typer.prompt(f"确认人 {username} 的密码", hide_input=True)
    session = auth.login(db.uow(), username, password, code)
    auth.logout(db.uow(), session)
    return session.actor


def read_one_password(from_stdin: bool) -> str:
    """A password to sign in with: asked once (hidden), or the first line of stdin."""
    return read_password(from_stdin) if from_stdin else typer.prompt("密码", hide_input=True)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInput("标准输入中没有密码")
        return line
    first = typer.prompt("密码", hide_input=True)
    if typer.prompt("再次输入密码", hide_input=True) != first:
        raise InvalidInput("两次输入的密码不一致，未做任何改动")
    return first


@user_app.command("add")
@reports_errors
def add_user(
    username: Annotated[str, typer.Argument(help="用户名（登录名）：字母、数字或 . _ @ -")],
    name: Annotated[str, typer.Option("--name", help="姓名（显示名）")],
    role: Annotated[
        str | None,
        typer.Option(
            "--role", help="角色，如 评价人员、复核人、项目单位；首个账号默认为系统管理员", show_default=False
        ),
    ] = None,
    organisation: Annotated[str, typer.Option("--organisation", help="所属单位")] = "",
    project: Annotated[
        list[str] | None,
        typer.Option("--project", help="项目单位可访问的项目编号（可重复）", show_default=False),
    ] = None,
    password_stdin: PasswordStdin = False,
    confirm_by: ConfirmBy = "",
    confirm_totp: ConfirmTotp = "",
    database: DatabaseOption = None,
) -> None:
    """新增用户账号。数据库中还没有账号时，创建的是首个系统管理员。管理员账号（三员）：某一角色
    尚无启用账号时可直接创建；否则须由另一位安全管理员或审计管理员以 --confirm-by 登录确认。"""
    from workbench.services import users

    with opened_database(database) as db:
        first = users.needs_first_admin(db.uow())
        if role is None and not first:
            raise InvalidInput("请用 --role 指定角色（如 评价人员、复核人、项目单位、领导）")
        password = read_password(password_stdin)
        if first and role in (None, users.FIRST_ADMIN_ROLE) and not organisation and not project:
            made = users.create_first_admin(db.uow(), username, name, password)
        else:
            second = confirmer(db, confirm_by, password_stdin, confirm_totp)
            made = users.add_user(
                db.uow(),
                cli_actor(),
                username,
                name,
                role or users.FIRST_ADMIN_ROLE,
                password,
                confirmed_by=second,
                organisation=organisation,
                projects=project or (),
            )
    note = "；首次登录时须修改密码" if made.must_change_password else ""
    console().print(f"已新增用户 {made.username}（{made.display_name}，{made.role}）{note}")


@user_app.command("list")
@reports_errors
def list_users(database: DatabaseOption = None) -> None:
    """列出用户账号：角色、单位、状态、是否启用动态验证码、最近登录。"""
    from workbench.services import users

    with opened_database(database) as db:
        rows = users.list_users(db.uow(), cli_actor())
    out = console()
    if not rows:
        out.print("还没有用户账号；用 workbench user add 用户名 --name 姓名 创建首个系统管理员")
        return
    table = Table(box=box.SIMPLE_HEAVY)
    for col in ("用户名", "姓名", "角色", "单位", "项目", "状态", "动态验证码", "最近登录"):
        table.add_column(col)
    for u in rows:
        state = _state(u)
        last = u.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M") if u.last_login_at else "—"
        table.add_row(
            u.username,
            u.display_name,
            u.role,
            u.organisation or "—",
            "、".join(u.projects) or "—",
            state,
            "已启用" if u.totp_enabled else "—",
            last,
        )
    out.print(table)
    out.print(f"共 {len(rows)} 个账号")


def _state(user: "users.UserInfo") -> str:
    from workbench.services.users import now_utc

    if not user.active:
        return "已停用"
    if user.locked_until and user.locked_until > now_utc():
        return "已锁定"
    return "正常"


@user_app.command("reset-password")
@reports_errors
def reset_password(
    username: Annotated[str, typer.Argument(help="用户名")],
    password_stdin: PasswordStdin = False,
    confirm_by: ConfirmBy = "",
    confirm_totp: ConfirmTotp = "",
    database: DatabaseOption = None,
) -> None:
    """重置用户的密码并解除锁定，结束其全部登录；该用户下次登录时须修改密码。管理员账号须经
    另一位安全管理员或审计管理员以 --confirm-by 登录确认。"""
    from workbench.services import users

    password = read_password(password_stdin)
    with opened_database(database) as db:
        second = confirmer(db, confirm_by, password_stdin, confirm_totp)
        users.reset_password(db.uow(), cli_actor(), username, password, confirmed_by=second)
    console().print(f"已重置用户 {username} 的密码（已解除锁定，登录已全部结束；下次登录时须修改密码）")


@user_app.command("disable")
@reports_errors
def disable_user(
    username: Annotated[str, typer.Argument(help="用户名")],
    enable: Annotated[bool, typer.Option("--enable", help="改为重新启用该账号")] = False,
    password_stdin: PasswordStdin = False,
    confirm_by: ConfirmBy = "",
    confirm_totp: ConfirmTotp = "",
    database: DatabaseOption = None,
) -> None:
    """停用（或以 --enable 启用）账号；停用即结束其全部登录。管理员账号须经另一位安全管理员或
    审计管理员以 --confirm-by 登录确认。"""
    from workbench.services import users

    with opened_database(database) as db:
        second = confirmer(db, confirm_by, password_stdin, confirm_totp)
        users.set_active(db.uow(), cli_actor(), username, enable, confirmed_by=second)
    console().print(f"已{'启用' if enable else '停用'}用户 {username}")


@audit_app.command("verify")
@reports_errors
def verify(database: DatabaseOption = None) -> None:
    """校验审计日志：HMAC 哈希链、库外保存的链尾锚点（末尾记录被删、全部删除、链被重写）、
    禁止修改与删除的触发器；有异常则指出，退出码为 1。"""
    from workbench.services import audit

    with opened_database(database) as db:
        report = audit.verify_audit(db.uow(), cli_actor())
    console(stderr=not report.ok).print(report.message)
    if not report.ok:
        raise typer.Exit(1)
    if report.head:
        console().print(f"链尾：序号 {report.head.seq}，哈希 {report.head.hash}")


def _when(text: str | None, label: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            f"{label}应为日期或时间，如 2025-01-31 或 2025-01-31T18:00，填写的是“{text}”"
        ) from exc
    return moment if moment.tzinfo else moment.astimezone()


@audit_app.command("export")
@reports_errors
def export(
    out: Annotated[Path, typer.Argument(help="导出文件：.csv 或 .xlsx")],
    since: Annotated[str | None, typer.Option("--since", help="起始时间（本地时间），如 2025-01-01")] = None,
    until: Annotated[str | None, typer.Option("--until", help="截止时间（本地时间）")] = None,
    user: Annotated[str, typer.Option("--user", help="只导出该用户的记录")] = "",
    event: Annotated[str, typer.Option("--event", help="只导出该事件，如 登录、保存评分")] = "",
    obj: Annotated[str, typer.Option("--object", help="对象包含的文字，如评价编号或 指标 B21")] = "",
    auditor: Annotated[str, typer.Option("--auditor", help="审计管理员的用户名（导出须以该身份登录）")] = "",
    totp_code: Annotated[str, typer.Option("--totp", help="已启用两步验证时的 6 位动态码")] = "",
    password_stdin: PasswordStdin = False,
    database: DatabaseOption = None,
) -> None:
    """导出审计日志（按序号从旧到新；单元格均为纯文本）。须以审计管理员身份登录（三员分立）。"""
    from workbench.services import audit, auth
    from workbench.services.ports import AuditFilter

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"导出文件名须以 .csv 或 .xlsx 结尾：{out}")
    if not out.parent.is_dir():
        raise InvalidInput(f"导出目录不存在：{out.parent}")
    where = AuditFilter(_when(since, "起始时间"), _when(until, "截止时间"), user, event, obj)
    if not auditor:
        raise InvalidInput("导出审计日志须以审计管理员身份登录：请用 --auditor 指定用户名")
    password = read_one_password(password_stdin)
    with opened_database(database) as db:
        session = auth.login(db.uow(), auditor, password, totp_code)
        if session.must_change_password:
            raise InvalidInput(
                f"账号 {auditor} 须先登录网页修改密码（{session.change_reason}），然后才能导出"
            )
        content = audit.export_audit(db.uow(), session.actor, fmt, where)  # type: ignore[arg-type]
    out.write_bytes(content)
    console().print(f"已导出审计日志到 {out}（筛选：{audit.describe(where)}）")


@app.command("backup")
@reports_errors
def make_backup(
    out: Annotated[Path, typer.Argument(help="备份文件（.zip）")],
    database: DatabaseOption = None,
) -> None:
    """备份数据库与佐证材料到一个 zip 文件（含清单与 SHA-256 校验值，可在 SQLite 与 PostgreSQL 之间恢复）。"""
    from workbench.services import backup

    with opened_database(database, seed=False) as db:
        summary = backup.create_backup(db.uow(), cli_actor(), out)
    out_console = console()
    rows = sum(summary.tables.values())
    out_console.print(
        f"已备份到 {out}：{len(summary.tables)} 张表共 {rows} 行，佐证材料 {summary.evidence_files} 个文件"
    )
    for key in summary.missing_evidence:
        out_console.print(Text.assemble(("警告", "yellow"), f"：佐证材料文件 {key} 缺失或已损坏，未能备份"))


@app.command("restore")
@reports_errors
def restore(
    source: Annotated[Path, typer.Argument(help="由 workbench backup 生成的备份文件（.zip）")],
    yes: Annotated[bool, typer.Option("--yes", help="不再询问，直接恢复")] = False,
    database: DatabaseOption = None,
) -> None:
    """用备份替换数据库的全部内容与佐证材料：先完整校验备份，任何一处不符则不做任何改动。"""
    from workbench.services import backup

    if not yes and not typer.confirm(
        "恢复会用备份替换数据库中的全部内容（请先停止工作台应用），确定继续吗？"
    ):
        console().print("已取消，未做任何改动")
        raise typer.Exit(1)
    with opened_database(database, seed=False) as db:
        summary = backup.restore_backup(db.uow(), cli_actor(), source)
    rows = sum(summary.tables.values())
    console().print(
        f"已从 {source} 恢复：{len(summary.tables)} 张表共 {rows} 行（备份时间 {summary.created_at}）"
    )
