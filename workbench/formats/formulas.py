"""Formula cells of an imported score table: Excel's saved results are used, and said so.

A 总分 written as ``=SUM(F4:F27)`` and saved by Excel carries its result, which the reader takes as
the cell's value; the import says which cells were formulas.  A formula saved without a result
(files written by programs and never opened in Excel) cannot be trusted to a guess: in the 分值 or
得分 column it is named by cell, except a plain ``SUM`` of the same column over rows above it,
which is recomputed here from those cells (and said so).
"""

from __future__ import annotations

import re
from decimal import Decimal

from workbench.errors import InvalidInput, Problem
from workbench.formats.sheet_layout import Layout, NotApplicable, to_decimal
from workbench.formats.xlsx_sheet import FormulaCell, Sheet, column_letter

LISTED = 8  # formula cells named in the note before “等 N 个”
_SUM = re.compile(
    r"^\s*SUM\(\s*\$?([A-Z]{1,3})\$?([0-9]{1,7})\s*:\s*\$?([A-Z]{1,3})\$?([0-9]{1,7})\s*\)\s*$", re.I
)


def use_formulas(sheet: Sheet, layout: Layout, formulas: list[FormulaCell]) -> list[Problem]:
    """Notes on the formula cells (info); raises ``InvalidInput`` naming each 分值/得分 formula
    cell below the header that has no saved result and is not a plain SUM of the rows above."""
    if not formulas:
        return []
    numeric = {layout.columns["weight"]: "分值", layout.columns["score"]: "得分"}
    missing = {(f.row, f.col) for f in formulas if not f.cached}
    errors: list[Problem] = []
    notes: list[Problem] = []
    for f in formulas:
        if f.cached or f.col not in numeric or f.row <= layout.header:
            continue
        summed = _plain_sum(sheet, f, missing)
        if summed is None:
            msg = (
                f"单元格是公式{f.shown}，但文件中没有保存计算结果（文件可能由程序生成、未经 Excel 保存）；"
                "请在 Excel 或 WPS 中打开、保存后再导入，或改填数值"
            )
            errors.append(sheet.problem(msg, f.row, f.col, field=numeric[f.col]))
            continue
        value, span = summed
        sheet.rows[f.row][f.col] = str(value)
        msg = f"公式{f.shown}没有保存计算结果，已按 {span} 各格重算为 {value}"
        notes.append(sheet.problem(msg, f.row, f.col, field=numeric[f.col], severity="info"))
    if errors:
        raise InvalidInput(errors)
    return [_listing(sheet, formulas), *notes]


def _plain_sum(sheet: Sheet, f: FormulaCell, missing: set[tuple[int, int]]) -> tuple[Decimal, str] | None:
    """The recomputed ``SUM`` of the cells above in the same column, or None when it is not that."""
    found = _SUM.match(f.text)
    if not found:
        return None
    first_col, first, last_col, last = found.groups()
    letter = column_letter(f.col)
    if first_col.upper() != letter or last_col.upper() != letter or not 0 < int(first) <= int(last) <= f.row:
        return None
    total = Decimal(0)
    for r in range(int(first) - 1, int(last)):
        if (r, f.col) in missing:
            return None
        try:
            got = to_decimal(sheet.cell(r, f.col))
        except NotApplicable:
            continue
        if isinstance(got, str):
            return None
        total += got or 0
    return total, f"{letter}{first}:{letter}{last}"


def _listing(sheet: Sheet, formulas: list[FormulaCell]) -> Problem:
    shown = "、".join(f"{f.ref}（{f.shown.strip('“”')}）" for f in formulas[:LISTED])
    more = f" 等 {len(formulas)} 个" if len(formulas) > LISTED else f" 共 {len(formulas)} 个"
    msg = f"以下单元格是公式，已采用 Excel 保存的计算结果：{shown}{more}"
    return sheet.problem(msg, severity="info")
