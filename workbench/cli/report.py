"""CLI commands for documents: ``workbench report`` and ``workbench export-scores``.

Registered on the Typer ``app`` of workbench/cli/core.py.  Commands parse
arguments, call services/reporting.py and print; checks are printed before the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from workbench.cli.core import CaseDir, app, console, print_problems, reports_errors

TEMPLATE_HELP = (
    "报告模板：seed（原报告提纲：一、基本情况 … 七、建议）、mof2020（财预〔2020〕10号 附件3 提纲），"
    "或 report_templates/ 中其他 .docx 的文件名，或一个 .docx 模板文件的路径"
)


@app.command("report")
@reports_errors
def report(
    case: CaseDir,
    out: Annotated[Path, typer.Option("--out", "-o", help="输出的 Word 文件（.docx）")],
    template: Annotated[str, typer.Option("--template", "-t", help=TEMPLATE_HELP)] = "seed",
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="是否插入图表")] = True,
) -> None:
    """生成绩效评价报告（Word）。先运行报告检查：有错误则不生成；警告打印出来，并写入报告旁的 .log.txt。"""
    from workbench.domain.base import fmt2
    from workbench.services import reporting

    loaded = reporting.load_case_folder(case)
    extra = reporting.folder_supplements(case)
    result = reporting.write_report(loaded, template, out, charts=charts, supplements=extra)
    show = console()
    print_problems(show, result.problems)
    show.print(Text.assemble(("已生成报告", "green"), f"：{out}"))
    show.print(f"生成记录（含检查结果）：{reporting.log_path(out)}")
    card = loaded.scorecard()
    show.print(f"总分 {fmt2(card.total)} / {fmt2(card.declared_total)}，等级：{card.grade}")


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
    show = console()
    print_problems(show, result.problems)
    card = loaded.scorecard()
    show.print(Text.assemble(("已导出评分表", "green"), f"：{out}（{len(card.leaves())} 项末级指标）"))
    show.print(f"总分 {fmt2(card.total)} / {fmt2(card.declared_total)}，等级：{card.grade}")
