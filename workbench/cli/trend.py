"""``workbench trend PROJECT_ID``: a project's years side by side — total and level-1 scores of
each year's evaluation, 执行率 and payments against the plan (万元), 整改 closed and overdue.

Registered on the Typer ``app`` of workbench/cli/core.py; imports what it uses inside the command."""

from typing import Annotated

import typer

from workbench.cli.core import DatabaseOption, app, cli_actor, console, opened_database, reports_errors


@app.command("trend")
@reports_errors
def trend(
    project_id: Annotated[str, typer.Argument(help="项目编号（见 workbench cases 的项目一列）")],
    database: DatabaseOption = None,
) -> None:
    """按年度列出项目的评价得分（总分、一级指标）、执行率、分年计划与累计支付（万元）、整改销号与逾期。"""
    from workbench.domain.base import fmt2
    from workbench.domain.trend import table
    from workbench.services import trend as trends

    with opened_database(database) as db:
        found = trends.project_trend(db.uow(), cli_actor(), project_id)
    out = console()
    out.print(f"{found.project_name}（{found.project_id}）历年情况", style="bold")
    for year, row in zip(found.years, table(found), strict=True):
        if year.scores is None:
            out.print(f"{row['年度']}年  未评价")
        else:
            levels = "；".join(f"{name} {row[name]}" for name in found.level_names)
            what = f"{year.scores.evaluation_id}（{year.scores.status}）"
            out.print(f"{row['年度']}年  总分 {row['总分']}  等级 {row['等级']}  评价 {what}")
            out.print(f"    一级指标：{levels}")
        out.print(
            f"    计划 {row['计划（万元）']}，已支付 {row['已支付（万元）']}，"
            f"累计计划 {row['累计计划（万元）']}，累计支付 {row['累计支付（万元）']}（万元）；执行率 {row['执行率']}"
        )
        out.print(f"    整改：销号/发现 {row['整改销号']}，逾期 {row['整改逾期']}")
    out.print(f"分年支付计划合计 {fmt2(found.plan_total)} 万元；未载明的数字显示为 —。")
