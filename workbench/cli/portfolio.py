"""``workbench portfolio``: the 绩效评价总览 of a year or a department, printed and as a workbook.

Registered on the Typer ``app`` of workbench/cli/core.py; imports what it uses inside the command.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from workbench.cli.core import DatabaseOption, app, cli_actor, console, opened_database, reports_errors

if TYPE_CHECKING:
    from workbench.services.portfolio import Portfolio

SORT_HELP = "排序：得分（默认，高在前）、评价资金、年度、项目、主管部门、等级、状态、逾期整改"


@app.command("portfolio")
@reports_errors
def portfolio(
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="评价年度，如 2024；不给则全部年度")
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", help="主管部门；不给则全部部门", show_default=False)
    ] = None,
    sort: Annotated[str, typer.Option("--sort", "-s", help=SORT_HELP)] = "得分",
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="同时导出为 Excel 工作簿（.xlsx）", show_default=False)
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """绩效评价总览：一个年度或一个主管部门的全部评价（得分、等级、评价资金、状态、逾期整改），
    等级分布与部门对比；可导出为 Excel。"""
    from workbench.domain.portfolio import SORTS
    from workbench.errors import InvalidInput
    from workbench.services import portfolio as service

    if sort not in SORTS:
        raise InvalidInput(f"无法按“{sort}”排序：可选 {'、'.join(SORTS)}")
    if xlsx is not None:
        from workbench.services.reporting import checked_target

        xlsx = checked_target(xlsx, ".xlsx")
    with opened_database(database) as db:
        view = service.portfolio(db.uow(), cli_actor(), year=year, department=department)
        content = service.export_workbook(db.uow(), cli_actor(), view, sort) if xlsx else None
    out = console()
    out.print(view.title)
    if not view.rows:
        out.print(
            "没有符合条件的评价。"
            + (f"有评价的年度：{'、'.join(map(str, view.years))}" if view.years else "")
        )
        return
    print_portfolio(out, view, sort)
    out.print(f"共 {len(view.rows)} 项评价；评价资金为评价年度的预算安排（万元），台账未载明的记为 —")
    if xlsx is not None and content is not None:
        from workbench.services.reporting import write_file

        write_file(xlsx, content)
        out.print(f"已导出 Excel：{xlsx}")


def print_portfolio(out: Console, view: "Portfolio", sort: str) -> None:
    """The rows in the order of ``sort``, the grade distribution and the comparison by department."""
    from workbench.domain.base import fmt2
    from workbench.domain.portfolio import sorted_rows

    table = Table(box=box.SIMPLE_HEAVY)
    columns = ("评价编号", "项目", "主管部门", "年度", "得分", "等级", "状态", "评价资金（万元）", "逾期整改")
    for col in columns:
        table.add_column(
            col, justify="right" if col in ("年度", "得分", "评价资金（万元）", "逾期整改") else "left"
        )
    for r in sorted_rows(view.rows, sort):
        money = fmt2(r.arranged)
        table.add_row(
            r.evaluation_id,
            r.project_name,
            r.department,
            str(r.year),
            fmt2(r.score),
            r.grade,
            r.status,
            money,
            "—" if r.overdue is None else str(r.overdue),
        )
    out.print(table)
    out.print("等级分布：" + "，".join(f"{g} {n} 项" for g, n in view.grades.items()))
    compare = Table(box=box.SIMPLE_HEAVY, title="部门对比")
    for col in ("主管部门", "评价数", "平均得分", "评价资金（万元）"):
        compare.add_column(col, justify="left" if col == "主管部门" else "right")
    for d in view.departments:
        compare.add_row(d.department, str(d.count), fmt2(d.mean_score), fmt2(d.arranged))
    out.print(compare)
