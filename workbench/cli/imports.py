"""``workbench import-scores`` and ``import-selfeval``: read a score table or a 自评表 and check it.

Registered on the Typer ``app`` of workbench/cli/core.py.  Exit codes, so a
script can tell: 0 the file was read and is consistent; 1 it was read and has 错误-level
inconsistencies (listed); 2 it could not be read (one Chinese line on stderr says why).
"""

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from workbench.cli.core import app, console, problem_line, reports_errors, score_columns
from workbench.domain.limits import MAX_SCORE_TABLE_ROWS
from workbench.errors import InvalidInput, Problem, WorkbenchError

if TYPE_CHECKING:
    from workbench.domain.score_table import TableNode
    from workbench.domain.scoring import Scorecard
    from workbench.domain.selfeval import SelfEvaluation
    from workbench.formats.score_import import ImportResult

UNREADABLE = 2
INCONSISTENT = 1
F = TypeVar("F", bound=Callable[..., Any])


def reports_unreadable(func: F) -> F:
    """``reports_errors`` (Chinese lines on stderr), with exit code 2: the file could not be read."""
    guarded = reports_errors(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return guarded(*args, **kwargs)
        except typer.Exit as stop:
            if isinstance(stop.__cause__, WorkbenchError):
                raise typer.Exit(UNREADABLE) from stop.__cause__
            raise

    return wrapper  # type: ignore[return-value]


SheetOption = Annotated[str | None, typer.Option("--sheet", help="工作表名称（默认：第一个有表头的工作表）")]
ScoreColumnOption = Annotated[
    str | None,
    typer.Option("--score-column", help="表中有多个得分列（自评得分、评价得分……）时，按哪一列计分"),
]
BandsOption = Annotated[str, typer.Option("--bands", help="等级划分 id（indicators/grade-bands.yaml）")]


@app.command("import-scores")
@reports_unreadable
def import_scores_command(
    file: Annotated[Path, typer.Argument(help="评分表或自评表（.xlsx），读取其中一个工作表")],
    sheet: SheetOption = None,
    bands: BandsOption = "mof-2020",
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules", help="按哪个指标体系的结构要求核对一级指标分值（默认按一级指标名称自动选择）"
        ),
    ] = None,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="表头以下最多读取的行数，0 表示不设上限")
    ] = MAX_SCORE_TABLE_ROWS,
    score_column: ScoreColumnOption = None,
) -> None:
    """导入已发布的评分表：打印重建的指标树、重算总分和等级，并逐条列出不一致之处（不保存任何数据）。"""
    from workbench.formats.score_import import import_scores

    result = import_scores(
        file,
        sheet=sheet,
        bands=bands,
        compare_with=rules,
        max_rows=max_rows if max_rows > 0 else None,
        score_column=score_column,
    )
    out = console()
    table = result.table
    out.print(
        Text.assemble(
            (table.title or table.file, "bold"), f"    工作表「{table.sheet}」，{len(table.rows)} 项末级指标"
        )
    )
    out.print(_tree(result))
    _summary(result)


def _tree(result: "ImportResult") -> Table:
    view = score_columns(Table(box=box.SIMPLE_HEAVY))
    view.add_column("行", justify="right", no_wrap=True)
    view.add_column(result.table.reason_label, overflow="fold", ratio=1)
    for node in result.table.walk():
        view.add_row(*_row(node))
    return view


def _row(node: "TableNode") -> list[str | Text]:
    from workbench.domain.base import fmt2

    name = "  " * (node.level - 1) + node.name
    row = node.leaf
    if row is None:
        lost = node.applicable - node.score
        return [
            node.code,
            Text(name, style="bold"),
            fmt2(node.weight),
            fmt2(node.score),
            fmt2(lost) if lost else "",
            "",
            "",
        ]
    if row.not_applicable:
        return [node.code, name, fmt2(row.weight), "/", "", str(row.row), "不适用"]
    if row.score is None:
        return [node.code, name, fmt2(row.weight), "未评分", "", str(row.row), row.reason]
    lost = row.weight - row.counted
    return [
        node.code,
        name,
        fmt2(row.weight),
        fmt2(row.score),
        fmt2(lost) if lost else "",
        str(row.row),
        row.reason,
    ]


def _summary(result: "ImportResult") -> None:
    from workbench.domain.base import fmt2, pct, q2

    out, table = console(), result.table
    out.print("一级指标小计", style="bold")
    for node in table.nodes:
        rate = pct(node.score / node.applicable) if node.applicable else "—"
        out.print(f"  {node.name}：分值 {fmt2(node.weight)}，得分 {fmt2(node.score)}，得分率 {rate}")
    funds_rate = table.funds.rate() if table.funds is not None else None
    got = table.funds.outcome() if table.funds is not None else None
    if funds_rate is not None and got is not None:
        out.print(f"项目资金：执行率 {q2(funds_rate)}%（全年执行数 ÷ 全年预算数），应得 {fmt2(got.score)} 分")
    stated = (
        f"，表列总分 {fmt2(table.stated_total)}" if table.stated_total is not None else "，表中没有总分行"
    )
    out.print(f"各指标分值合计 {fmt2(table.weight_total)}{stated}")
    out.print(
        Text.assemble(
            (f"重算总分 {fmt2(table.total)}    等级：{result.grade}", "bold"),
            f"（{result.bands.name}，按得分率 {fmt2(table.score100())} 分计）",
        )
    )
    if result.stated_grade is not None:
        out.print(
            f"表列总分 {fmt2(table.stated_total)} 对应等级：{result.stated_grade}；"  # type: ignore[arg-type]
            f"重算总分 {fmt2(table.total)} 对应等级：{result.grade}（两者不一致，请核实后以正确得分为准）",
            style="bold",
        )
    if result.rules_from:
        out.print(f"一级指标分值按「{result.rules_from}」的结构要求核对")
    else:
        out.print("没有与一级指标名称相符的结构要求（可用 --rules 指定指标体系）")
    print_findings(out, result.problems)
    exit_for(result.problems)


def print_findings(out: Console, problems: list[Problem]) -> None:
    """Inconsistencies (errors and warnings) counted and listed, then notes (提示) apart."""
    found = [p for p in problems if p.severity != "info"]
    out.print(f"不一致之处（{len(found)} 处）", style="bold")
    if not found:
        out.print("  未发现不一致")
    for p in [*found, *(p for p in problems if p.severity == "info")]:
        out.print(problem_line(p, "  "))


def exit_for(problems: list[Problem]) -> None:
    """Exit 1 when any inconsistency is an error (the table was read, but a script must not take it
    as consistent)."""
    if any(p.is_error for p in problems):
        raise typer.Exit(INCONSISTENT)


@app.command("import-selfeval")
@reports_unreadable
def import_selfeval_command(
    file: Annotated[Path, typer.Argument(help="项目支出绩效自评表（.xlsx，10号 附件2 格式）")],
    sheet: SheetOption = None,
    bands: BandsOption = "mof-2020",
    export: Annotated[
        Path | None, typer.Option("--export", help="把按规则重算后的自评表另存为此 .xlsx（标准格式）")
    ] = None,
    score_column: ScoreColumnOption = None,
) -> None:
    """读取自评表：按年度指标值和实际完成值重算每项得分与执行率得分，列出与填报得分不符之处。"""
    from workbench.domain.base import fmt2
    from workbench.formats.cases import load_bands
    from workbench.formats.selfeval_xlsx import read_selfeval, template_options, write_selfeval

    form = read_selfeval(file, sheet, score_column)
    options = template_options()
    band_set = load_bands(bands)
    system = form.to_system(**options)
    card = form.scorecard(band_set, **options)
    out = console()
    out.print(f"{form.project or file.name}  {form.year or ''}年度自评表", style="bold")
    out.print(_selfeval_table(form, card))
    _funds_lines(out, form, card)
    out.print(f"按规则重算总分 {fmt2(card.total)}    等级：{card.grade}", style="bold")
    problems = [
        p.with_file(file.name)
        for p in [*system.problems(), *form.problems(card, options.get("execution_rule"))]
    ]
    print_findings(out, problems)
    if export is not None:
        try:
            write_selfeval(form, card, export)
        except InvalidInput as refused:
            for problem in refused.problems:
                out.print(problem_line(problem.with_file(file.name)))
            raise typer.Exit(INCONSISTENT) from None  # read, but not exportable: exit 1, not 2
        out.print(f"已另存为 {export}")
    exit_for(problems)


def _funds_lines(out: Console, form: "SelfEvaluation", card: "Scorecard") -> None:
    """执行率 from the figures as written (89.974 stays 89.974), the rounding rule said once."""
    from workbench.domain.base import fmt2, q2
    from workbench.domain.funds import ROUNDING, figure

    funds, rate = form.funds, form.funds.rate()
    if rate is None:
        return
    line = funds.used_line()
    source = (
        "按其下各行合计（年度资金总额行未填全年预算数）"
        if funds.recomputed_from_lines()
        else "按年度资金总额"
    )
    stated = f"；表列执行率 {q2(funds.stated_rate)}%" if funds.stated_rate is not None else ""
    out.print(
        f"项目资金：{source}，全年执行数 {figure(line.executed)} ÷ 全年预算数 {figure(line.budget)} 万元，"
        f"执行率 {q2(rate)}%{stated}，执行率得分 {fmt2(card.find('1.1').score)}（{ROUNDING}）"  # type: ignore[union-attr]
    )


def _selfeval_table(form: "SelfEvaluation", card: "Scorecard") -> Table:
    from workbench.domain.base import fmt2

    view = Table(box=box.SIMPLE_HEAVY)
    for col in ("代码", "指标", "年度指标值", "实际完成值", "分值", "自评得分", "按规则", "计分方式"):
        view.add_column(col, no_wrap=col in ("代码", "分值", "自评得分", "按规则"))
    stated = {code: row for code, row in form.codes()}
    for node in card.walk():
        row = stated.get(node.code)
        mine = row.score if row is not None else form.funds.stated_score if node.code == "1.1" else None
        got = "/" if node.status == "na" else fmt2(node.score) if node.status == "scored" else "未评分"
        view.add_row(
            node.code,
            "  " * (node.level - 1) + node.name,
            row.target if row else "",
            row.actual if row else "",
            fmt2(node.weight),
            "" if mine is None or not node.is_leaf else fmt2(mine),
            got,
            node.rule if node.is_leaf else "",
        )
    return view
