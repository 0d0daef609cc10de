"""The 自评表 (10号 附件2) as an .xlsx in the standard layout, written and read back.

Writing: title, 项目名称 / 主管部门 / 实施单位, the 项目资金 block (执行率 and 得分 computed), 年度总体目标,
the indicator block with 一级/二级 merged down their groups, and 总分.  Every piece of user text is
stored as plain text — never as a formula, even when it starts with “=”.  Reading goes through the
score-table importer (same file checks and messages) and rebuilds a ``SelfEvaluation``.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from workbench.domain.base import q2
from workbench.domain.funds import FUNDS_LINES
from workbench.domain.rules import TiersRule
from workbench.domain.scoring import Scorecard
from workbench.domain.selfeval import SelfEvalRow, SelfEvaluation
from workbench.errors import InvalidInput, Problem
from workbench.formats.score_import import execution_rule, read_score_table, self_evaluation_system
from workbench.reports.text import xml_safe

SHEET = "自评表"
COLUMNS = [
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
FUNDS_HEADER = ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
WIDTHS = [10, 14, 16, 22, 16, 16, 8, 8, 36]
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NA = "/"


def selfeval_bytes(form: SelfEvaluation, card: Scorecard) -> bytes:
    """The filled form as .xlsx bytes (``card`` is ``form.scorecard(...)``: the computed scores).
    A form whose 分值 break the standard form's own rule (100 in all, 执行率 included) is refused:
    the standard layout would print a 总分 that is not the form's."""
    broken = form.weight_problems()
    if broken:
        raise InvalidInput(
            [
                Problem(f"不能另存为标准自评表：{p.message}；请先在原表中改正分值", field="分值")
                for p in broken
            ]
        )
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    _head(ws, form)
    _funds(ws, form, card)
    _goals(ws, form)
    last = _indicators(ws, form, card)
    _finish(ws, last)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def write_selfeval(form: SelfEvaluation, card: Scorecard, path: Path) -> Path:
    path = Path(path)
    path.write_bytes(selfeval_bytes(form, card))
    return path


def put(ws: Worksheet, ref: str, value: Any) -> None:
    """Write a value; text always as a plain string, never a formula, without the control
    characters XML cannot hold (a line break pasted from Word is one)."""
    cell = ws[ref]
    if value is None:
        return
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"  # openpyxl would otherwise store “=…” as a formula
    else:
        cell.value = value


def _head(ws: Worksheet, form: SelfEvaluation) -> None:
    put(ws, "A1", "项目支出绩效自评表")
    put(ws, "A2", f"（{form.year}年度）" if form.year else "（    年度）")
    put(ws, "A3", "项目名称")
    put(ws, "B3", form.project)
    put(ws, "A4", "主管部门")
    put(ws, "B4", form.department)
    put(ws, "F4", "实施单位")
    put(ws, "G4", form.unit)
    for ref in ("A1:I1", "A2:I2", "B3:I3", "B4:E4", "G4:I4"):
        ws.merge_cells(ref)
    ws["A1"].font = Font(bold=True, size=16)


def _funds(ws: Worksheet, form: SelfEvaluation, card: Scorecard) -> None:
    for col, text in zip("ABCDEFGH", FUNDS_HEADER, strict=True):
        put(ws, f"{col}5", text)
    funds = form.funds
    rate = funds.rate()
    node = card.find("1.1")
    for offset, (key, label) in enumerate(FUNDS_LINES.items()):
        row = 6 + offset
        line = getattr(funds, key)
        put(ws, f"B{row}", label if key == "total" else ("其中：" + label if key == "current" else label))
        for col, value in zip("CDE", (line.initial, line.budget, line.executed), strict=True):
            put(ws, f"{col}{row}", value)
        if key == "total":
            put(ws, f"F{row}", funds.weight)
            put(ws, f"G{row}", f"{q2(rate)}%" if rate is not None else "")
            put(ws, f"H{row}", node.score if node is not None and node.status == "scored" else None)
        else:
            for col in "FH":
                put(ws, f"{col}{row}", "—")
    ws.merge_cells("A5:A9")


def _goals(ws: Worksheet, form: SelfEvaluation) -> None:
    put(ws, "A10", "年度总体目标")
    put(ws, "B10", "预期目标")
    put(ws, "F10", "实际完成情况")
    put(ws, "B11", form.goals_expected)
    put(ws, "F11", form.goals_achieved)
    for ref in ("A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11"):
        ws.merge_cells(ref)


def _indicators(ws: Worksheet, form: SelfEvaluation, card: Scorecard) -> int:
    for col, text in zip("ABCDEFGHI", COLUMNS, strict=True):
        put(ws, f"{col}12", text)
    row = 12
    for (code, item), previous in zip(form.codes()[1:], [None, *form.rows[:-1]], strict=True):
        assert item is not None
        row += 1
        node = card.find(code)
        _indicator_row(ws, row, item, node.score if node is not None and node.status == "scored" else None)
        if previous is None or previous.level1 != item.level1:
            put(ws, f"B{row}", item.level1)
        if previous is None or (previous.level1, previous.level2) != (item.level1, item.level2):
            put(ws, f"C{row}", item.level2)
    _merge_runs(ws, 13, row, "B")
    _merge_runs(ws, 13, row, "C")
    if row > 12:
        ws.merge_cells(f"A12:A{row}")
    total = row + 1
    put(ws, f"A{total}", "总分")
    ws.merge_cells(f"A{total}:F{total}")
    weights = form.funds.weight + sum((r.weight for r in form.rows), Decimal(0))
    put(ws, f"G{total}", weights)
    put(ws, f"H{total}", card.total)
    return total


def _indicator_row(ws: Worksheet, row: int, item: SelfEvalRow, score: Decimal | None) -> None:
    na = item.not_applicable
    put(ws, f"D{row}", item.level3 or (NA if na else ""))
    put(ws, f"E{row}", NA if na and not item.target else item.target)
    put(ws, f"F{row}", NA if na and not item.actual else item.actual)
    put(ws, f"G{row}", NA if na and not item.weight else item.weight)
    put(ws, f"H{row}", NA if na else score)
    put(ws, f"I{row}", NA if na and not item.deviation else item.deviation)


def _merge_runs(ws: Worksheet, first: int, last: int, col: str) -> None:
    """Merge each run of a blank-below group cell (一级/二级) down to the row before the next name."""
    start = first
    for row in range(first + 1, last + 2):
        if row == last + 1 or ws[f"{col}{row}"].value not in (None, ""):
            if row - 1 > start:
                ws.merge_cells(f"{col}{start}:{col}{row - 1}")
            start = row


def _finish(ws: Worksheet, last: int) -> None:
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions["ABCDEFGHI"[i]].width = width
    wrap = Alignment(wrap_text=True, vertical="center")
    for line in ws.iter_rows(min_row=3, max_row=last, max_col=9):
        for cell in line:
            cell.border = BOX
            cell.alignment = wrap
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"


# --- reading back --------------------------------------------------------------------------


def read_selfeval(path: Path, sheet: str | None = None, score_column: str | None = None) -> SelfEvaluation:
    """A filled 自评表 (.xlsx) as a ``SelfEvaluation``; bad files raise one ``InvalidInput``."""
    table = read_score_table(Path(path), sheet=sheet, score_column=score_column)
    if table.funds is None:
        msg = (
            "没有“项目资金”栏（年初预算数、全年预算数、全年执行数），不是 10号 附件2 格式的自评表；"
            "只核对得分请用“导入评分表”（workbench import-scores）"
        )
        raise InvalidInput([Problem(msg, file=table.file, place=f"工作表「{table.sheet}」")])
    rows = []
    for r in table.rows:
        names = [*r.names[:2], "／".join(r.names[2:])]
        rows.append(
            SelfEvalRow(
                level1=names[0],
                level2=names[1],
                level3=names[2],
                target="" if r.target == NA else r.target,
                actual="" if r.actual == NA else r.actual,
                weight=r.weight,
                score=r.score,
                deviation="" if r.reason == NA else r.reason,
                not_applicable=r.not_applicable,
            )
        )
    expected, achieved = table.goals or ("", "")
    return SelfEvaluation(
        project=table.info.get("项目名称", ""),
        department=table.info.get("主管部门", ""),
        unit=table.info.get("实施单位", ""),
        year=table.year,
        funds=table.funds.model_copy() if table.funds else SelfEvaluation().funds,
        goals_expected=expected,
        goals_achieved=achieved,
        rows=rows,
        stated_total=table.stated_total,
    )


def template_options(folder: Path | None = None) -> dict[str, Any]:
    """The 自评 template's data facts for ``SelfEvaluation.to_system``: 执行率 rule, tiers, 10/50/30/10."""
    system = self_evaluation_system(folder)
    if system is None:
        return {}
    tiers = next((n.rule for n in system.leaves() if isinstance(n.rule, TiersRule)), None)
    return {"execution_rule": execution_rule(system), "tiers": tiers, "composition": system.composition}
