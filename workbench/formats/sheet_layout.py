"""Where things are on a score-table sheet: the header row, the 项目资金 block, 年度总体目标.

Published 评分表 and 自评表 put a header row (一级指标, 二级指标, [三级指标], 分值, 得分, ...) on
one of the first 10 rows; a 自评表 puts its 项目资金 and 年度总体目标 blocks above it, so the search
runs on for 10 rows past those blocks.  Header words are matched after removing spaces and any
bracketed unit, so “分 值（分）” is 分值.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.domain.funds import FUNDS_COLUMNS, FUNDS_LINES, Funds, FundsLine
from workbench.errors import InvalidInput, Problem
from workbench.formats.xlsx_sheet import Sheet, column_letter

HEADER_SCAN_ROWS = 10
FUNDS_HEADER = frozenset(FUNDS_COLUMNS.values())  # 年初预算数, 全年预算数, 全年执行数
COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "level4": ("四级指标",),
    "level5": ("五级指标",),
    "weight": ("分值", "权重", "标准分值", "指标分值", "标准分"),
    "score": ("得分", "评价得分", "实际得分", "自评得分", "复核得分", "专家得分", "评审得分", "考核得分"),
    "explanation": ("指标解释", "指标说明", "指标内涵"),
    "criteria": ("评分标准", "评分细则", "评分办法"),
    "target": ("年度指标值", "指标值", "目标值"),
    "actual": ("实际完成值", "完成值"),
    "reason": ("扣分理由", "扣分原因", "扣分说明", "扣分理由/评分说明", "评分说明"),
    "deviation": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因及改进措施"),
}
LABELS = {key: names[0] for key, names in COLUMNS.items()}
REQUIRED = ("level1", "level2", "weight", "score")
TOTAL_LABELS = {"总分", "合计", "总计", "得分合计", "总得分", "合计得分"}
SUBTOTAL_LABELS = {"小计", "分项小计"}
NA_MARKS = {"/", "／", "\\"}
EMPTY_MARKS = {"—", "－", "-", "–", "——"}
_ALIASES = {alias: key for key, names in COLUMNS.items() for alias in names}
_NOISE = re.compile(r"[\s\u3000]+|（[^）]*）|\([^)]*\)|[:：]$")


def norm(value: Any) -> str:
    return _NOISE.sub("", value) if isinstance(value, str) else ""


@dataclass
class Layout:
    header: int  # row index
    columns: dict[str, int]
    funds: Funds | None = None
    funds_row: int | None = None
    goals: tuple[str, str] | None = None
    info: dict[str, str] = field(default_factory=dict)
    title: str = ""
    year: int | None = None


class ScoreColumnChoice(InvalidInput):
    """The header has several score columns (自评得分, 评价得分...): the user must name one."""

    def __init__(self, problems: list[Problem], choices: list[str]):
        super().__init__(problems)
        self.choices = choices


def _pick_score(sheet: Sheet, i: int, columns: dict[str, int], wanted: str | None) -> None:
    """Set ``columns["score"]`` to the chosen score column; never guess between several."""
    line = sheet.rows[i]
    found = [(col, cell_text(line[col])) for col, v in enumerate(line) if _ALIASES.get(norm(v)) == "score"]
    choices = [text for _, text in found]
    listed = "、".join(f"「{text}」（{column_letter(col)} 列）" for col, text in found)
    if wanted is None:
        if len(found) > 1:
            msg = (
                f"表头有 {len(found)} 个得分列：{listed}；不猜测按哪一列计分，"
                "请指定得分列（命令行：--score-column 列名）"
            )
            raise ScoreColumnChoice([sheet.problem(msg, i)], choices)
        return
    match = [col for col, text in found if norm(text) == norm(wanted)]
    if not match:
        msg = f"没有名为「{wanted.strip()}」的得分列；表头中的得分列：{listed or '无'}"
        raise ScoreColumnChoice([sheet.problem(msg, i)], choices)
    columns["score"] = match[0]


def find_layout(sheet: Sheet, score_column: str | None = None) -> Layout:
    """The header row and the blocks above it; an ``InvalidInput`` naming what is missing."""
    rows = sheet.rows
    if not _has_content(rows):
        raise InvalidInput([sheet.problem("工作表是空的，没有任何内容")])
    limit, best = HEADER_SCAN_ROWS, None
    i = 0
    while i < min(limit, len(rows)):
        cells = {norm(v) for v in rows[i]}
        if cells >= FUNDS_HEADER or "年度总体目标" in cells:
            limit = max(limit, i + 1 + HEADER_SCAN_ROWS)
        columns = _header_columns(rows[i])
        if "level1" in columns and "level2" in columns:
            missing = [LABELS[k] for k in REQUIRED if k not in columns]
            if missing:
                names = "」「".join(missing)
                raise InvalidInput(
                    [sheet.problem(f"表头缺少「{names}」列（须有 一级指标、二级指标、分值、得分）", i)]
                )
            _pick_score(sheet, i, columns, score_column)
            return _with_blocks(sheet, Layout(i, columns))
        if best is None or len(columns) > len(best[1]):
            best = (i, columns)
        i += 1
    if best and len(best[1]) >= 2:
        found = [LABELS[k] for k in best[1]]
        missing = [LABELS[k] for k in REQUIRED if k not in best[1]]
        msg = f"第 {best[0] + 1} 行像是表头（有「{'」「'.join(found)}」），但缺少「{'」「'.join(missing)}」列"
        raise InvalidInput([sheet.problem(msg)])
    msg = f"前 {HEADER_SCAN_ROWS} 行中找不到表头行：表头须有「一级指标」「二级指标」「分值」「得分」列"
    raise InvalidInput([sheet.problem(msg)])


def _has_content(rows: list[list[Any]]) -> bool:
    return any(any(v != "" for v in line) for line in rows)


def _header_columns(line: list[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for col, value in enumerate(line):
        key = _ALIASES.get(norm(value))
        if key and key not in columns:
            columns[key] = col
    return columns


def _with_blocks(sheet: Sheet, layout: Layout) -> Layout:
    rows = sheet.rows[: layout.header]
    for i, line in enumerate(rows):
        cells = [norm(v) for v in line]
        if set(cells) >= FUNDS_HEADER:
            layout.funds, layout.funds_row = read_funds(sheet, i, cells, layout.header)
        elif "年度总体目标" in cells:
            layout.goals = _read_goals(sheet, i, cells, layout.header)
        for col, label in enumerate(cells):
            if label in ("项目名称", "主管部门", "实施单位"):
                layout.info[label] = _next_text(line, col)
    for line in rows[:3]:
        texts = [v.strip() for v in line if isinstance(v, str) and v.strip()]
        if texts and not layout.title and len(set(texts)) == 1:
            layout.title = texts[0]
        for text in texts:
            found = re.search(r"(\d{4})\s*年度?", text)
            if found and layout.year is None:
                layout.year = int(found.group(1))
    return layout


def _next_text(line: list[Any], col: int) -> str:
    for value in line[col + 1 :]:
        if value != "" and norm(value) != norm(line[col]):
            return cell_text(value)
    return ""


def _read_goals(sheet: Sheet, i: int, cells: list[str], header: int) -> tuple[str, str]:
    expected = cells.index("预期目标") if "预期目标" in cells else None
    achieved = cells.index("实际完成情况") if "实际完成情况" in cells else None
    if i + 1 >= header:
        return "", ""
    nxt = sheet.rows[i + 1]
    pick = lambda col: cell_text(nxt[col]) if col is not None and col < len(nxt) else ""  # noqa: E731
    return pick(expected), pick(achieved)


def read_funds(sheet: Sheet, i: int, cells: list[str], end: int) -> tuple[Funds, int]:
    """The block under the header row ``i`` and the Excel row of its 年度资金总额 line."""
    cols = {key: cells.index(label) for key, label in FUNDS_COLUMNS.items()}
    extra = {
        key: cells.index(label)
        for key, label in (("weight", "分值"), ("rate", "执行率"), ("score", "得分"))
        if label in cells
    }
    left = min(cols.values())
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    total_row = i + 1
    for r in range(i + 1, end):
        key = _funds_line(sheet.rows[r][:left])
        if key is None:
            continue
        label = FUNDS_LINES[key]
        data[key] = FundsLine(
            **{
                k: number(sheet, r, c, label=f"{label}的{FUNDS_COLUMNS[k]}", problems=problems, blank_ok=True)
                for k, c in cols.items()
            }
        )
        if key != "total":
            continue
        total_row = r + 1
        if "weight" in extra:
            data["weight"] = number(sheet, r, extra["weight"], label="分值", problems=problems, blank_ok=True)
        if "rate" in extra:
            data["stated_rate"] = percent(sheet, r, extra["rate"], problems)
        if "score" in extra:
            data["stated_score"] = number(
                sheet, r, extra["score"], label="得分", problems=problems, blank_ok=True
            )
    if problems:
        raise InvalidInput(problems)
    if data.get("weight") is None:
        data.pop("weight", None)
    return Funds(**data), total_row


def _funds_line(cells: list[Any]) -> str | None:
    by_label = {label: key for key, label in FUNDS_LINES.items()}
    for value in cells:
        text = norm(value).removeprefix("其中").lstrip("：:")
        if text in by_label:
            return by_label[text]
    return None


# --- cell values ---------------------------------------------------------------------------


class NotApplicable(Exception):
    """The cell holds '/' (does not apply)."""


def cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def to_decimal(value: Any) -> Decimal | str | None:
    """A number, None for blank/“—”, or the offending text; raises NotApplicable for '/'."""
    kind = type(value)
    if kind is float:
        if value != value or abs(value) == float("inf"):
            return "非数字"
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if kind is int:
        return Decimal(value)
    if kind is str:
        text = value.strip()
        if not text or text in EMPTY_MARKS:
            return None
        if text in NA_MARKS:
            raise NotApplicable
        cleaned = text.replace(",", "").replace("，", "").removesuffix("分").removesuffix("万元").strip()
        try:
            got = Decimal(cleaned)
        except InvalidOperation:
            return text
        return got if got.is_finite() else text
    if kind is bool:
        return "TRUE" if value else "FALSE"
    return str(value)


def number(
    sheet: Sheet, row: int, col: int, *, label: str, problems: list[Problem], blank_ok: bool = False
) -> Decimal | None:
    try:
        got = to_decimal(sheet.cell(row, col))
    except NotApplicable:
        return None
    if isinstance(got, str):
        problems.append(sheet.problem(f"应为数字，填写的是“{got}”", row, col, field=label))
        return None
    if got is not None and got < 0:
        problems.append(sheet.problem(f"不能为负数，填写的是 {got}", row, col, field=label))
        return None
    if got is None and not blank_ok:
        problems.append(sheet.problem("不能为空", row, col, field=label))
    return got


def percent(sheet: Sheet, row: int, col: int, problems: list[Problem]) -> Decimal | None:
    """执行率 as a percent: “95%”, 95, or a percent-formatted cell read as 0.95 (values below 2)."""
    value = sheet.cell(row, col)
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        return _pct_text(sheet, row, col, value.strip()[:-1], problems)
    got = number(sheet, row, col, label="执行率", problems=problems, blank_ok=True)
    if got is not None and type(value) in (int, float) and got < 2:
        return got * 100
    return got


def _pct_text(sheet: Sheet, row: int, col: int, text: str, problems: list[Problem]) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        problems.append(sheet.problem(f"应为百分比，填写的是“{text}%”", row, col, field="执行率"))
        return None
