"""``workbench rectification list ID``: the 整改台账 of an evaluation or a project, and
``workbench rectification types``: the deadline types kept in indicators/rectification.yaml."""

from datetime import date
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from workbench.cli.core import DatabaseOption, Typer, app, cli_actor, console, opened_database, reports_errors
from workbench.errors import InvalidInput

rectification_app = Typer(help="整改台账：列出整改事项、查看整改类型与期限。", no_args_is_help=True)
app.add_typer(rectification_app, name="rectification")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"--today “{text[:20]}”不是日期，应写作 2020-06-30") from None


@rectification_app.command("list")
@reports_errors
def list_items(
    some_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="评价编号（列出转入该评价的上年度问题及其发现的问题）或项目编号"),
    ],
    today: Annotated[
        str, typer.Option("--today", help="按此日期判断是否逾期（默认今天），如 2020-06-30")
    ] = "",
    database: DatabaseOption = None,
) -> None:
    """列出整改事项：编号、问题、责任单位、整改类型、期限、状态，逾期的标“逾期”。"""
    from workbench.services import rectification

    day = _day(today) if today else date.today()
    with opened_database(database) as db:
        named, stored = rectification.stored_about(db.uow(), cli_actor(), some_id)
    out = console()
    if not stored:
        out.print(f"{named}“{some_id}”还没有整改事项")
        return
    table = Table(box=box.SIMPLE_HEAVY)
    for col in ("编号", "问题", "责任单位", "整改类型", "期限", "状态", "逾期"):
        table.add_column(col)
    for s in stored:
        i = s.item
        late = Text("逾期", style="bold red") if i.overdue(day) else Text("—")
        table.add_row(i.id, i.title, i.responsible_unit, i.kind, i.deadline.isoformat(), i.status, late)
    out.print(table)
    counts = rectification.tally([s.item for s in stored], day)
    out.print(
        f"共 {counts.total} 项：销号 {counts.closed}，已整改待销号 {counts.done}，"
        f"未完成 {counts.open}（其中逾期 {counts.overdue}）；逾期按 {day.isoformat()} 判断"
    )


@rectification_app.command("types")
@reports_errors
def list_types() -> None:
    """整改类型与期限（indicators/rectification.yaml）。"""
    from workbench.services import rectification

    rules = rectification.deadline_rules()
    table = Table(box=box.SIMPLE_HEAVY)
    for col in ("整改类型", "期限", "说明"):
        table.add_column(col)
    for kind in rules.kinds:
        default = "（默认）" if kind.name == rules.default_kind else ""
        table.add_row(kind.name + default, kind.period, kind.description)
    console().print(table)
