"""CLI commands for documents: ``workbench report`` and ``workbench export-scores``.

Registered on the Typer ``app`` of workbench/cli/core.py.  Commands parse
arguments, call services/reporting.py and print; checks are printed before the result.
``report``'s body is ``report_run.run``, which a well-formed run reaches without Typer.
"""

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.core import CaseDir, DatabaseOption, app, print_problems, reports_errors, say

TEMPLATE_HELP = (
    "报告模板：seed（原报告提纲：一、基本情况 … 七、建议）、mof2020（财预〔2020〕10号 附件3 提纲），"
    "或 report_templates/ 中其他 .docx 的文件名，或一个 .docx 模板文件的路径"
)


@app.command("report")
@reports_errors
def report(
    case: Annotated[
        Path | None,
        typer.Argument(
            help="案例文件夹，如 projects/yiyang-smart-brain-2018（用 --all 批量生成时不给）",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="输出的 Word 文件（.docx）；--all 时为输出文件夹", show_default=False
        ),
    ] = None,
    template: Annotated[str, typer.Option("--template", "-t", help=TEMPLATE_HELP)] = "seed",
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="是否插入图表")] = True,
    every: Annotated[
        bool, typer.Option("--all", help="批量生成数据库中评价的报告（可用 --year、--department 筛选）")
    ] = False,
    year: Annotated[int | None, typer.Option("--year", "-y", help="与 --all 同用：评价年度")] = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", help="与 --all 同用：主管部门", show_default=False)
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """生成绩效评价报告（Word）。先运行报告检查：有错误则不生成；警告打印出来，并写入报告旁的 .log.txt。
    用 --all 则为数据库中（某年度、某主管部门）的每项评价各生成一份报告，另附报告清单.xlsx。"""
    from workbench.cli.report_run import run

    code = run(case, out, template, charts, every, year, department, database)
    if code:
        raise typer.Exit(code)


@app.command("export-scores")
@reports_errors
def export_scores(
    case: CaseDir,
    out: Annotated[Path, typer.Option("--out", "-o", help="输出的 Excel 文件（.xlsx）")],
) -> None:
    """导出指标评分表（Excel，可直接打印）：一、二级指标合并单元格，分值、得分、扣分理由，小计、总分与等级。"""
    from workbench.domain.base import fmt2
    from workbench.services import reporting

    loaded = reporting.load_case_folder(case)
    result = reporting.write_score_table(loaded, out)
    print_problems(result.problems)
    card = loaded.scorecard()
    say(("已导出评分表", "green"), f"：{out}（{len(card.leaves())} 项末级指标）")
    say(f"总分 {fmt2(card.total)} / {fmt2(card.declared_total)}，等级：{card.grade}")
