"""The printable score table (指标评分表) as an .xlsx workbook.

Level-1 and level-2 cells are merged down their rows; each leaf shows 分值, 得分, 扣分 and the
reasons; each level-1 indicator has a subtotal, then the total and the grade.  Figures are written
as numbers (two decimals), not formulas: the sheet is a record of the scorecard.  Text a user typed
is always a plain string cell, never a formula, whatever it starts with.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from workbench.domain.base import fmt_score
from workbench.domain.case import Case
from workbench.domain.scoring import Scorecard
from workbench.reports.score_table import ScoreRow, score_rows, table_title
from workbench.reports.text import xml_safe

MAX_CELL = 32767
TRUNCATED = "……（内容过长，以下从略；全文见评价报告）"
HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "得分", "扣分", "扣分理由 / 评分说明", "评分标准")
WIDTHS = (12, 14, 22, 8, 8, 8, 52, 44)
FORMULA_START = ("=", "+", "-", "@")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTERED = Alignment(wrap_text=True, vertical="center", horizontal="center")
SHADE = PatternFill("solid", fgColor="EDEFF2")
FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"


@dataclass
class SheetWriter:
    ws: Worksheet
    truncated: list[str] = field(default_factory=list)

    def text(self, row: int, col: int, value: str, *, bold: bool = False, center: bool = False) -> Cell:
        """A plain string cell: XML-safe, at most 32,767 characters, never read as a formula."""
        value = xml_safe(value)
        if len(value) > MAX_CELL:
            self.truncated.append(self.ws.cell(row, col).coordinate)
            value = value[: MAX_CELL - len(TRUNCATED)] + TRUNCATED
        cell = self.ws.cell(row, col)
        cell.value = value
        cell.data_type = "s"  # openpyxl marks any "=..." string as a formula; this one is text
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text even after the cell is edited
        self._style(cell, bold, center)
        return cell

    def number(self, row: int, col: int, value: Decimal, *, bold: bool = False) -> Cell:
        cell = self.ws.cell(row, col, value)
        cell.number_format = "0.00"
        self._style(cell, bold, center=True)
        return cell

    def _style(self, cell: Cell, bold: bool, center: bool) -> None:
        cell.font = Font(name=FONT, size=10.5, bold=bold)
        cell.alignment = CENTERED if center else WRAP
        cell.border = BOX

    def merge(self, first_row: int, last_row: int, first_col: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            for r in range(first_row, last_row + 1):  # borders on every covered cell
                for c in range(first_col, last_col + 1):
                    self.ws.cell(r, c).border = BOX
            self.ws.merge_cells(
                start_row=first_row, end_row=last_row, start_column=first_col, end_column=last_col
            )


def _row(w: SheetWriter, r: int, row: ScoreRow) -> None:
    leaf = row.kind == "leaf"
    w.text(r, 1, row.l1, bold=not leaf, center=True)
    w.text(r, 2, row.l2, bold=not leaf, center=True)
    w.text(r, 3, row.l3)
    w.number(r, 4, row.weight, bold=not leaf)
    if row.score is None:
        w.text(r, 5, row.score_text, center=True)
    else:
        w.number(r, 5, row.score, bold=not leaf)
    if row.lost:
        w.number(r, 6, row.lost, bold=not leaf)
    else:
        w.text(r, 6, "", center=True)
    w.text(r, 7, row.reason, bold=not leaf)
    w.text(r, 8, row.criteria)
    if not leaf:
        for col in range(1, len(HEADERS) + 1):
            w.ws.cell(r, col).fill = SHADE


def _merge_levels(w: SheetWriter, first: int, rows: list[ScoreRow]) -> None:
    """Merge equal level-1 cells (with their subtotal) and equal level-2 cells within them."""
    for col, key in ((1, lambda x: (x.l1,)), (2, lambda x: (x.l1, x.l2))):
        start = 0
        for i in range(1, len(rows) + 1):
            same = i < len(rows) and key(rows[i]) == key(rows[start]) and rows[i].kind != "total"
            if col == 2 and i < len(rows) and rows[i].kind != "leaf":
                same = False
            if not same:
                if key(rows[start])[-1] and i - 1 > start:
                    w.merge(first + start, first + i - 1, col, col)
                start = i
    for i, row in enumerate(rows):
        if row.kind == "subtotal":
            w.merge(first + i, first + i, 2, 3)
        if row.kind == "total":
            w.merge(first + i, first + i, 1, 3)


def _heading(w: SheetWriter, case: Case, card: Scorecard) -> None:
    last = len(HEADERS)
    title = w.text(1, 1, table_title(card.system_name), center=True)
    title.font, title.border = Font(name="方正小标宋简体", size=16), Border()
    w.merge(1, 1, 1, last)
    ev = case.evaluation
    org = f"    评价机构：{ev.evaluator.organization}" if ev.evaluator.organization else ""
    info = w.text(2, 1, f"项目名称：{case.project.name}    评价年度：{ev.year}{org}")
    info.border = Border()
    w.merge(2, 2, 1, last)
    for col, name in enumerate(HEADERS, 1):
        cell = w.text(3, col, name, bold=True, center=True)
        cell.font, cell.fill = Font(name=HEAD_FONT, size=10.5, bold=True), SHADE


def _footer(w: SheetWriter, r: int, case: Case, card: Scorecard, extra: Sequence[str] = ()) -> None:
    last = len(HEADERS)
    w.text(r, 1, "评价等级", bold=True, center=True)
    w.merge(r, r, 1, 3)
    w.text(
        r, 4, f"{card.grade}（总分 {fmt_score(card.total)} / {fmt_score(card.declared_total)}）", bold=True
    )
    w.merge(r, r, 4, last)
    notes = [f"注：等级划分为{card.band_set.describe()}（{card.band_set.name}）。"]
    notes.extend(extra)
    for i, note in enumerate(notes, r + 1):
        cell = w.text(i, 1, note)
        cell.border = Border()
        w.ws.merge_cells(start_row=i, end_row=i, start_column=1, end_column=last)
        w.ws.row_dimensions[i].height = 30


def _page_setup(ws: Worksheet) -> None:
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.print_title_rows = "3:3"
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def score_table_workbook(case: Case, card: Scorecard, notes: Sequence[str] = ()) -> tuple[bytes, list[str]]:
    """The workbook's bytes and the cells whose text had to be shortened (if any); ``notes`` are
    printed under the table (e.g. how expert-panel scores were reached)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    w = SheetWriter(ws)
    _heading(w, case, card)
    rows = score_rows(card)
    for i, row in enumerate(rows, 4):
        _row(w, i, row)
    _merge_levels(w, 4, rows)
    _footer(w, 4 + len(rows), case, card, notes)
    _page_setup(ws)
    wb.properties.title = table_title(card.system_name)
    wb.properties.creator = "财政绩效评价工作台"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), w.truncated
