"""Commands on a case folder: ``workbench score | validate | payment``."""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from workbench.cli.core import (
    CaseDir,
    app,
    console,
    print_problems,
    problem_line,
    reports_errors,
    score_columns,
)
from workbench.errors import Problem, WorkbenchError

if TYPE_CHECKING:
    from workbench.domain.scoring import NodeScore


@app.command()
@reports_errors
def score(case: CaseDir) -> None:
    """打印评分表：每项指标的分值、得分、扣分及理由，一级指标小计与得分率，总分、等级和台账检查。"""
    from workbench.domain.base import fmt2, pct
    from workbench.services import casefiles

    result = casefiles.score_case(case)
    card, ev = result.card, result.case.evaluation
    out = console()
    out.print(ev.title or result.case.project.name, style="bold")
    out.print(f"指标体系：{card.system_name}    等级划分：{card.band_set.name}")
    table = score_columns(Table(box=box.SIMPLE_HEAVY, show_lines=False), rate=True)
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
    print_problems(result.checks)


def _score_row(node: "NodeScore") -> list[str | Text]:
    from workbench.domain.base import fmt2, pct

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
    from workbench.services import casefiles

    problems = casefiles.validate_path(path)
    out = console()
    print_problems(problems)
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
    from workbench.domain.base import fmt2
    from workbench.services import casefiles

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


def _decimal(text: str, label: str) -> Decimal:
    from workbench.domain.limits import check_number, shown

    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise WorkbenchError(f"{label}应为数字，填写的是“{shown(text)}”") from exc
    try:
        check_number(value)
    except ValueError as exc:
        raise WorkbenchError(f"{label}：{exc}，填写的是“{shown(text)}”") from exc
    return value
