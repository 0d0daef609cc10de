"""The command line: ``workbench score | validate | payment | ...``.

Commands parse arguments, call a service, and print; errors a user can cause are printed as
Chinese lines (one per problem) with exit code 1, never as a traceback.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from workbench.domain.base import fmt2, pct
from workbench.domain.limits import check_number, shown
from workbench.domain.scoring import NodeScore
from workbench.errors import Problem, WorkbenchError, explain, unexpected
from workbench.services import casefiles

app = typer.Typer(
    help="财政绩效评价工作台：评分、校验、报告与数据管理。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
log = logging.getLogger("workbench.cli")
F = TypeVar("F", bound=Callable[..., Any])
SEVERITY = {"error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}


def console(stderr: bool = False) -> Console:
    """A console that prints text as it is: no Rich markup, since names, reasons and cell
    texts a user wrote may hold brackets (“[/b]” would otherwise fail, “[注]” vanish).
    Styles are given with ``style=`` or ``Text``."""
    width = int(os.environ.get("WORKBENCH_CLI_WIDTH", "160"))
    return Console(width=width, stderr=stderr, highlight=False, soft_wrap=False, markup=False)


def problem_line(problem: Problem, indent: str = "") -> Text:
    """``错误：文件 …，第 3 行：…`` with the severity word coloured."""
    label, style = SEVERITY.get(problem.severity, SEVERITY["error"])
    return Text.assemble(indent, (label, style), f"：{problem}")


def reports_errors(func: F) -> F:
    """Turn a ``WorkbenchError`` (or a full disk, a read-only database: ``errors.explain``)
    into Chinese lines on stderr and exit code 1; anything else is a bug: one Chinese line with
    an error id on stderr, the traceback under the same id in the log, exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            err = console(stderr=True)
            known = explain(exc)
            if known is None:
                err.print(Text.assemble(("错误", "red"), f"：{unexpected(exc, log)}"))
                raise typer.Exit(2) from exc
            for problem in known.problems:
                err.print(problem_line(problem))
            raise typer.Exit(1) from exc

    return wrapper  # type: ignore[return-value]


def print_problems(out: Console, problems: list[Problem]) -> None:
    for p in problems:
        out.print(problem_line(p))


def _decimal(text: str, label: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise WorkbenchError(f"{label}应为数字，填写的是“{shown(text)}”") from exc
    try:
        check_number(value)
    except ValueError as exc:
        raise WorkbenchError(f"{label}：{exc}，填写的是“{shown(text)}”") from exc
    return value


CaseDir = Annotated[Path, typer.Argument(help="案例文件夹，如 projects/yiyang-smart-brain-2018")]


@app.command()
@reports_errors
def score(case: CaseDir) -> None:
    """打印评分表：每项指标的分值、得分、扣分及理由，一级指标小计与得分率，总分、等级和台账检查。"""
    result = casefiles.score_case(case)
    card, ev = result.card, result.case.evaluation
    out = console()
    out.print(ev.title or result.case.project.name, style="bold")
    out.print(f"指标体系：{card.system_name}    等级划分：{card.band_set.name}")
    table = Table(box=box.SIMPLE_HEAVY, show_lines=False)
    for col, justify in (
        ("代码", "left"),
        ("指标", "left"),
        ("分值", "right"),
        ("得分", "right"),
        ("扣分", "right"),
        ("得分率", "right"),
    ):
        table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    table.add_column("扣分理由 / 评分说明", overflow="fold", ratio=1)
    for node in card.walk():
        table.add_row(*_score_row(node))
    out.print(table)
    out.print("一级指标小计", style="bold")
    for node in card.nodes:
        out.print(
            f"  {node.name}：分值 {fmt2(node.weight)}，得分 {fmt2(node.score)}，得分率 {pct(node.rate)}"
        )
    out.print(
        Text.assemble(
            (f"总分 {fmt2(card.total)} / {fmt2(card.declared_total)}    等级：{card.grade}", "bold"),
            "" if card.complete else "    （尚有指标未评分）",
        )
    )
    out.print("台账检查", style="bold")
    if not result.ledger_checks:
        out.print("  未发现问题")
    for check in result.ledger_checks:
        out.print(problem_line(Problem(check.message, severity=check.severity), "  "))
    out.print("评价检查", style="bold")
    if not result.checks:
        out.print("  未发现问题")
    print_problems(out, result.checks)


def _score_row(node: NodeScore) -> list[str | Text]:
    indent = "  " * (node.level - 1)
    if node.status == "na":
        return [node.code, indent + node.name, fmt2(node.weight), "/", "/", "/", f"不适用：{node.na_reason}"]
    if node.status == "pending" and node.is_leaf:
        return [node.code, indent + node.name, fmt2(node.weight), "未评分", "", "", ""]
    lost = node.lost if node.is_leaf else node.applicable_weight - node.score
    reasons = "；".join(d.reason for d in node.deductions) if node.is_leaf else ""
    if node.is_leaf and not reasons:
        reasons = node.rationale or node.calculation
    name = indent + node.name if node.is_leaf else Text(indent + node.name, style="bold")
    return [
        node.code,
        name,
        fmt2(node.weight),
        fmt2(node.score),
        fmt2(lost) if lost else "",
        pct(node.rate),
        reasons,
    ]


@app.command()
@reports_errors
def validate(path: Annotated[Path, typer.Argument(help="指标体系文件、案例文件或案例文件夹")]) -> None:
    """校验指标体系文件或案例文件，逐条列出问题（文件、位置、应为何值）；有错误时退出码非零。"""
    problems = casefiles.validate_path(path)
    out = console()
    print_problems(out, problems)
    errors = [p for p in problems if p.is_error]
    if errors:
        out.print(f"校验未通过：{len(errors)} 个错误，{len(problems) - len(errors)} 个警告", style="red")
        raise typer.Exit(1)
    out.print(Text.assemble(("校验通过", "green"), f"（{len(problems)} 个警告）" if problems else ""))


@app.command()
@reports_errors
def payment(
    case: CaseDir,
    year: Annotated[int, typer.Option("--year", help="付款年度")],
    om_score: Annotated[str, typer.Option("--om-score", help="当年运营维护考评得分（0–100）")],
) -> None:
    """按合同付款条款计算某年度应付金额：年初预付比例，年末按运维考评得分结算。"""
    loaded, due = casefiles.payment_due(case, year, _decimal(om_score, "运维考评得分"))
    terms = loaded.ledger.payment_terms
    assert terms is not None
    out = console()
    out.print(f"{loaded.project.name}  {due.year}年应付金额（万元）", style="bold")
    out.print(f"当年合同金额：{fmt2(due.contract_amount)}")
    out.print(f"{terms.advance_when}预付（{fmt2(terms.advance_percent)}%）：{fmt2(due.advance)}")
    out.print(
        f"{terms.settlement_when}结算：运维考评得分 {fmt2(due.om_score)}，按{terms.basis or '考评办法'}"
        f"支付剩余 {fmt2(due.settlement_base)} 的 {fmt2(due.settlement_share)}% = {fmt2(due.settlement)}"
    )
    if due.withheld:
        out.print(f"扣减（不予支付）：{fmt2(due.withheld)}")
    out.print(f"全年应付合计：{fmt2(due.total)}", style="bold")
    if terms.note:
        out.print(f"注：{terms.note}")


def main() -> None:  # pragma: no cover - console entry
    app()


import workbench.cli_admin  # noqa: E402 - registers user, audit, backup, restore
import workbench.cli_import  # noqa: E402, F401 - registers import-scores on `app`
from workbench import cli_db  # noqa: E402, F401 - registers the database commands on `app`
from workbench import cli_report as _report_commands  # noqa: E402, F401 - registers report, export-scores
