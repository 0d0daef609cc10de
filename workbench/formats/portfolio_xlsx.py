"""The 绩效评价总览 and the index of a batch of reports as workbooks (.xlsx).

Headers in Chinese, one title row above them; money in 万元 as numbers shown with two decimals
and thousands separators, scores as numbers with two decimals; an unknown figure is an empty
cell (never 0).  Text is always a text cell (``SheetWriter.text``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook

from workbench.domain.portfolio import BatchLine, DepartmentLine, PortfolioRow
from workbench.formats.score_xlsx import BOX, SheetWriter

MONEY = "#,##0.00"
SCORE = "0.00"
TITLE_ROW, HEADER_ROW = 1, 2
Cell = str | int | Decimal | None

ROW_HEADERS = (
    ("评价编号", 24, None),
    ("项目", 30, None),
    ("主管部门", 18, None),
    ("年度", 8, "0"),
    ("得分", 9, SCORE),
    ("等级", 9, None),
    ("状态", 9, None),
    ("评价资金（预算安排，万元）", 16, MONEY),
    ("实际支出（万元）", 14, MONEY),
    ("逾期整改（项）", 10, "0"),
)
GRADE_HEADERS = (("等级", 12, None), ("评价数", 10, "0"), ("占比", 10, "0.00%"))
DEPARTMENT_HEADERS = (
    ("主管部门", 22, None),
    ("评价数", 9, "0"),
    ("已评分", 9, "0"),
    ("平均得分", 10, SCORE),
    ("评价资金（预算安排，万元）", 16, MONEY),
    ("实际支出（万元）", 14, MONEY),
    ("逾期整改（项）", 10, "0"),
)
INDEX_HEADERS = (
    ("评价", 24, None),
    ("项目", 30, None),
    ("年度", 8, "0"),
    ("得分", 9, SCORE),
    ("等级", 9, None),
    ("文件名", 34, None),
    ("结果", 8, None),
    ("原因", 60, None),
)
Headers = Sequence[tuple[str, int, str | None]]


def _sheet(book: Workbook, name: str, title: str, headers: Headers, rows: Iterable[Sequence[Cell]]) -> None:
    w = SheetWriter(book.create_sheet(name))
    w.text(TITLE_ROW, 1, title, bold=True)
    w.merge(TITLE_ROW, TITLE_ROW, 1, len(headers))
    for col, (text, width, _) in enumerate(headers, start=1):
        w.text(HEADER_ROW, col, text, bold=True, center=True)
        w.ws.column_dimensions[w.ws.cell(HEADER_ROW, col).column_letter].width = width
    w.ws.freeze_panes = w.ws.cell(HEADER_ROW + 1, 1)
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, (value, (_, _, number_format)) in enumerate(zip(values, headers, strict=True), start=1):
            if value is None:
                w.ws.cell(r, col).border = BOX
            elif isinstance(value, str):
                w.text(r, col, value)
            else:
                w.number(r, col, Decimal(value)).number_format = number_format or "General"


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def portfolio_workbook(
    title: str, rows: Sequence[PortfolioRow], grades: dict[str, int], departments: Sequence[DepartmentLine]
) -> bytes:
    """Three sheets: 评价清单, 等级分布, 部门对比."""
    book = Workbook()
    book.remove(book.active)
    listed = [
        (
            r.evaluation_id,
            r.project_name,
            r.department,
            r.year,
            r.score,
            r.grade,
            r.status,
            r.arranged,
            r.spent,
            r.overdue,
        )
        for r in rows
    ]
    _sheet(book, "评价清单", title, ROW_HEADERS, listed)
    total = sum(grades.values())
    shares = [(g, n, Decimal(n) / total if total else None) for g, n in grades.items()]
    _sheet(book, "等级分布", title, GRADE_HEADERS, shares)
    compared = [
        (d.department, d.count, d.scored, d.mean_score, d.arranged, d.spent, d.overdue) for d in departments
    ]
    _sheet(book, "部门对比", title, DEPARTMENT_HEADERS, compared)
    return _bytes(book)


def index_workbook(title: str, lines: Iterable[BatchLine]) -> bytes:
    """The index of a batch of reports: one line per evaluation, 成功 with its file or 失败 with why."""
    book = Workbook()
    book.remove(book.active)
    rows = [
        (
            b.row.evaluation_id,
            b.row.project_name,
            b.row.year,
            b.row.score,
            b.row.grade,
            b.file_name if b.ok else None,
            b.result,
            b.reason,
        )
        for b in lines
    ]
    _sheet(book, "报告清单", title, INDEX_HEADERS, rows)
    return _bytes(book)
