"""Database commands: ``workbench db upgrade | check | repair``, ``import-case | export-case |
next-year | cases``.

Registered on the Typer app of ``workbench.cli.core``.  Each honours ``--database`` (a URL or a SQLite
file path), else ``WORKBENCH_DATABASE_URL``, else data/workbench.db.  Except ``db upgrade``,
which only migrates, they open the database the way the app does: migrated, and filled with the
starting data when empty, so the command line and the app always see the same thing.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from workbench.cli.core import DatabaseOption, Typer, app, cli_actor, console, opened_database, reports_errors

if TYPE_CHECKING:
    from workbench.services.stored_limits import StoredProblem
    from workbench.services.stored_totals import TotalsMismatch

db_app = Typer(help="数据库管理：升级数据库结构；检查、修复超出限制的已存数据。", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@reports_errors
def upgrade(database: DatabaseOption = None) -> None:
    """把数据库结构升级到最新版本（新数据库则建表）。"""
    from workbench.storage import migrate
    from workbench.storage.engine import safe_url
    from workbench.storage.uow import open_database

    db = open_database(database)
    try:
        before = migrate.current(db.engine)
        reached = migrate.upgrade(db.engine)
    finally:
        db.dispose()
    out = console()
    where = safe_url(db.url)
    if before == reached:
        out.print(f"数据库已是最新版本（{reached}）：{where}")
    else:
        out.print(f"数据库已升级：{before or '空数据库'} → {reached}：{where}")


@db_app.command("check")
@reports_errors
def check(database: DatabaseOption = None) -> None:
    """列出数据库中超出限制的已存值（数字达到 10 的 15 次方或非有限数、文字过长）：评价、位置、字段、值；
    并核对每项评价保存的总分与等级是否与重新计分一致。

    有则退出码为 1（超限的评价在工作台中无法打开，用 workbench db repair 修复）。"""
    from workbench.services import stored_limits, stored_totals
    from workbench.storage.engine import safe_url

    with opened_database(database) as db:
        problems = stored_limits.check(db.uow())
        mismatches = stored_totals.check_totals(db.uow())
    out = console()
    if not problems and not mismatches:
        out.print(f"未发现超出限制的已存值；各项评价保存的总分与重新计分一致（{safe_url(db.url)}）")
        return
    if problems:
        _problem_table(out, problems)
        ids = sorted({p.evaluation_id for p in problems})
        out.print(
            f"共 {len(problems)} 处，涉及 {len(ids)} 项评价；修复：workbench db repair --evaluation 评价编号 --confirm"
        )
    if mismatches:
        _mismatch_lines(out, mismatches)
        out.print("重算：workbench db repair --totals --confirm")
    raise typer.Exit(1)


@db_app.command("repair")
@reports_errors
def repair(
    evaluation_id: Annotated[
        str | None, typer.Option("--evaluation", help="要修复的评价编号（见 workbench db check）")
    ] = None,
    totals: Annotated[
        bool, typer.Option("--totals", help="按评分重算与保存不一致的总分与等级（见 workbench db check）")
    ] = False,
    confirm: Annotated[bool, typer.Option("--confirm", help="确认修复；不加则只列出将做的修改")] = False,
    database: DatabaseOption = None,
) -> None:
    """修复一项评价（及其项目）中超出限制的已存值：数字清为 0，过长的文字截取到上限；
    或（--totals）重算保存的总分与等级。修复记入审计日志。"""
    if not evaluation_id and not totals:
        console().print("请指定 --evaluation 评价编号，或 --totals（重算总分与等级）")
        raise typer.Exit(2)
    if evaluation_id:
        _repair_limits(evaluation_id, confirm, database)
    if totals:
        _repair_totals(confirm, database)


def _repair_limits(evaluation_id: str, confirm: bool, database: str | None) -> None:
    from workbench.services import stored_limits

    with opened_database(database) as db:
        found = stored_limits.check(db.uow(), evaluation_id)
        if found and confirm:
            found = stored_limits.repair(db.uow(), cli_actor(), evaluation_id)
    out = console()
    if not found:
        out.print(f"评价 {evaluation_id} 没有超出限制的已存值，无需修复")
        return
    _problem_table(out, found)
    if not confirm:
        out.print(f"以上 {len(found)} 处尚未修改；确认后加 --confirm 再运行一次")
        raise typer.Exit(1)
    out.print(f"已修复评价 {evaluation_id} 的 {len(found)} 处，已记入审计日志（{stored_limits.REPAIR}）")


def _repair_totals(confirm: bool, database: str | None) -> None:
    from workbench.services import stored_totals

    with opened_database(database) as db:
        found = (
            stored_totals.repair_totals(db.uow(), cli_actor())
            if confirm
            else stored_totals.check_totals(db.uow())
        )
    out = console()
    if not found:
        out.print("各项评价保存的总分与等级与重新计分一致，无需重算")
        return
    _mismatch_lines(out, found)
    if not confirm:
        out.print(f"以上 {len(found)} 项尚未重算；确认后加 --confirm 再运行一次")
        raise typer.Exit(1)
    out.print(f"已重算 {len(found)} 项评价的总分与等级，已记入审计日志（{stored_totals.RECOMPUTE}）")


def _mismatch_lines(out: Console, mismatches: "list[TotalsMismatch]") -> None:
    out.print(f"保存的总分与重新计分不一致的评价 {len(mismatches)} 项：")
    for m in mismatches[:200]:
        out.print(f"  {m.line()}")


def _problem_table(out: Console, problems: "list[StoredProblem]") -> None:
    table = Table(box=box.SIMPLE_HEAVY)
    for col in ("评价编号", "位置", "字段", "已存的值", "问题", "修复"):
        table.add_column(col, overflow="fold")
    for p in problems:
        table.add_row(p.evaluation_id, p.place, p.field, p.value, p.problem, p.fix)
    out.print(table)


@app.command("import-case")
@reports_errors
def import_case(
    folder: Annotated[
        Path,
        typer.Argument(help="案例文件夹（project.yaml、ledger.yaml、evaluation.yaml），或案例工作簿 .xlsx"),
    ],
    as_id: Annotated[
        str | None,
        typer.Option("--as", help="以新的评价编号导入（同一案例再导入一份时使用）", show_default=False),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """把案例文件夹或案例工作簿（.xlsx）导入数据库：先完整校验并计分，有任何问题则不写入任何内容。"""
    from workbench.domain.base import fmt2
    from workbench.services import cases, evaluations

    load = cases.import_workbook if folder.suffix.lower() == ".xlsx" else cases.import_case
    with opened_database(database) as db:
        actor = cli_actor()
        evaluation_id = load(db.uow(), actor, folder, evaluation_id=as_id)
        card = evaluations.scorecard(db.uow(), actor, evaluation_id)
    console().print(f"已导入评价记录 {evaluation_id}：总分 {fmt2(card.total)}，等级 {card.grade}")


@app.command("export-case")
@reports_errors
def export_case(
    evaluation_id: Annotated[str, typer.Argument(help="评价编号（见 workbench cases）")],
    folder: Annotated[Path, typer.Argument(help="导出到的文件夹；以 .xlsx 结尾则导出为一个案例工作簿")],
    force: Annotated[bool, typer.Option("--force", help="覆盖文件夹中已有的案例文件")] = False,
    database: DatabaseOption = None,
) -> None:
    """把数据库中的评价导出为案例文件夹（含指标体系）或案例工作簿（.xlsx），可再用 import-case 读取。"""
    from workbench.services import cases

    with opened_database(database) as db:
        if folder.suffix.lower() == ".xlsx":
            written = [cases.export_workbook(db.uow(), cli_actor(), evaluation_id, folder, overwrite=force)]
        else:
            written = cases.export_case(db.uow(), cli_actor(), evaluation_id, folder, overwrite=force)
    out = console()
    out.print(f"已导出评价记录 {evaluation_id} 到 {folder}：")
    for path in written:
        out.print(f"  {path}")


@app.command("next-year")
@reports_errors
def next_year(
    evaluation_id: Annotated[str, typer.Argument(help="已定稿的上年度评价编号（见 workbench cases）")],
    year: Annotated[int, typer.Option("--year", help="下一年度，如 2019（须晚于上年度评价的年度）")],
    as_id: Annotated[
        str | None, typer.Option("--as", help="新评价的编号（不填则自动生成）", show_default=False)
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """开始下一年度评价：同一项目、同一指标体系的新草稿，上年度实际完成值作为基期值，上年度发现的问题转为整改事项。"""
    from workbench.services import next_year as years
    from workbench.services import rectification

    with opened_database(database) as db:
        actor = cli_actor()
        new_id = years.next_year(db.uow(), actor, evaluation_id, year, as_id)
        items = rectification.items_for_evaluation(db.uow(), actor, new_id)
    out = console()
    out.print(f"已开始 {year} 年度评价 {new_id}（草稿），上年度评价 {evaluation_id}")
    out.print(f"上年度发现的问题已转为整改事项 {len(items)} 项：")
    for item in items:
        out.print(f"  {item.id}  {item.title}  整改期限 {item.deadline:%Y-%m-%d}  {item.status}")


TABLE_ROWS = 200  # ``workbench cases`` draws a table up to this many evaluations


@app.command("cases")
@reports_errors
def list_cases(database: DatabaseOption = None) -> None:
    """列出数据库中的评价：编号、项目、年度、指标体系、状态、总分、等级。"""
    from workbench.domain.base import fmt2
    from workbench.services import evaluations
    from workbench.storage.engine import safe_url

    with opened_database(database) as db:
        rows = evaluations.list_evaluations(db.uow(), cli_actor())
    out = console()
    if not rows:
        out.print("数据库中还没有评价记录；用 workbench import-case 导入案例文件夹")
        return
    columns = ("评价编号", "项目", "年度", "指标体系", "状态", "总分", "等级")
    lines = []
    for row in rows:
        total = fmt2(row.total) + ("" if row.complete else "（未评完）") if row.total is not None else "—"
        total, grade = ("未评分", "未评分") if row.unscored else (total, row.grade)
        lines.append((row.id, row.project_name, str(row.year), row.system_name, row.status, total, grade))
    if (
        len(lines) > TABLE_ROWS
    ):  # a bureau's thousands: plain lines, one per evaluation (a table takes seconds)
        typer.echo("\n".join("\t".join(line) for line in [columns, *lines]))  # tab-separated, as is
    else:
        table = Table(box=box.SIMPLE_HEAVY)
        for col in columns:
            table.add_column(col, justify="right" if col in ("年度", "总分") else "left")
        for line in lines:
            table.add_row(*line)
        out.print(table)
    out.print(f"共 {len(rows)} 项（{safe_url(db.url)}）")


@app.command("import-system")
@reports_errors
def import_system(
    file: Annotated[
        Path, typer.Argument(help="指标体系 .xlsx（一级指标、二级指标、三级指标、分值、指标解释、评分标准）")
    ],
    system_id: Annotated[str, typer.Option("--id", help="指标体系编号（英文、数字、连字符）")],
    name: Annotated[str, typer.Option("--name", help="指标体系名称")],
    database: DatabaseOption = None,
) -> None:
    """把按财政部门发布格式整理的指标体系工作表导入数据库；未写评分规则的末级指标按人工扣分评分。"""
    from workbench.services import catalog

    with opened_database(database) as db:
        result = catalog.import_system_workbook(db.uow(), cli_actor(), file, system_id, name)
    done = "已导入" if result.created else "已存在相同的"
    console().print(f"{done}指标体系 {result.system.id}：{len(result.system.leaves())} 个末级指标")
    for problem in result.warnings:
        console().print(f"提示：{problem}")
