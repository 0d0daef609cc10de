"""An indicator system (指标体系) read from one sheet, the way bureaus publish them.

Columns 一级指标 · 二级指标 · 三级指标 (· 四级指标) · 分值 · 指标解释 · 评分标准, and optionally 指标代码,
计算公式, 评分规则 (YAML flow text such as ``{kind: manual}``).  A row names an indicator at the
deepest level column it fills; the level columns to its left repeat (or, merged or left blank,
inherit) its parents.  A parent without its own 分值 gets the sum of its children's; an indicator
without a code gets one from its place (A, A1, A11 …); a leaf without a rule is scored by hand
(manual, deductions).  The result is checked like a system file: every problem named by row.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.domain.indicators import IndicatorSystem
from workbench.errors import InvalidInput, Problem
from workbench.formats import case_sheets as cs
from workbench.formats.sheet_layout import NotApplicable, cell_text, norm, to_decimal
from workbench.formats.xlsx_sheet import Sheet, Workbook
from workbench.formats.yamlio import parse_yaml

MAX_ROWS = 2000
MAX_COLS = 60
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DEFAULT_RULE = {"kind": "manual"}
COLUMN_WORDS = {
    "code": ("指标代码", "代码", "编码"),
    "weight": ("分值", "权重", "标准分值", "指标分值", "标准分"),
    "explanation": ("指标解释", "指标说明", "指标内涵"),
    "criteria": ("评分标准", "评分细则", "评分办法"),
    "formula": ("计算公式",),
    "rule": ("评分规则",),
}


def bounded(sheet: Sheet) -> list[Problem]:
    """Refuse a sheet far larger than any case or system (before any cell is read)."""
    width = max((len(r) for r in sheet.rows), default=0)
    if len(sheet.rows) > MAX_ROWS or width > MAX_COLS:
        return [
            sheet.problem(
                f"工作表过大（{len(sheet.rows)} 行 × {width} 列），超过 {MAX_ROWS} 行或 {MAX_COLS} 列"
            )
        ]
    return []


def read_system_workbook(
    path: Path, *, system_id: str, name: str, sheet: str | None = None
) -> IndicatorSystem:
    """A published 指标体系 sheet (the first sheet, or ``sheet``) as a checked indicator system."""
    book = Workbook(path)
    found = book.sheet(sheet or (cs.SYSTEM if cs.SYSTEM in book.names else book.names[0]))
    book.refuse_unsaved_formulas(found)
    problems = bounded(found)
    if problems:
        raise InvalidInput(problems)
    tree, problems = read_tree(found)
    system = checked_system({"id": system_id, "name": name}, tree, found, problems)
    if system is None:
        raise InvalidInput(problems)
    return system


def checked_system(
    meta: dict[str, Any], tree: list[dict[str, Any]], sheet: Sheet, problems: list[Problem]
) -> IndicatorSystem | None:
    """Build and check the system; problems (with the sheet's rows) go into ``problems``."""
    rows = {node["code"]: node.pop("_row") for node in _walk(tree)}
    if problems:
        return None
    try:
        system = IndicatorSystem.model_validate({**meta, "indicators": tree})
    except ValidationError as exc:
        problems.extend(sheet.problem(f"指标体系：{e['msg']}") for e in exc.errors())
        return None
    for p in system.problems():
        if p.is_error:
            row = rows.get(p.code or "")
            problems.append(sheet.problem(f"{p.place or ''}{p.message}", row, field=p.field))
    return None if any(p.is_error for p in problems) else system


def _walk(nodes: list[dict[str, Any]]):
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))


def read_tree(sheet: Sheet) -> tuple[list[dict[str, Any]], list[Problem]]:
    header, columns, problems = _header(sheet)
    if header is None:
        return [], problems
    levels = [columns[w] for w in cs.LEVELS if w in columns]
    roots: list[dict[str, Any]] = []
    trail: list[dict[str, Any]] = []
    for r in range(header + 1, len(sheet.rows)):
        names = [cell_text(sheet.cell(r, c)) for c in levels]
        if not any(names) and not any(cell_text(v) for v in sheet.rows[r]):
            continue
        if not any(names):
            problems.append(sheet.problem("该行没有填写任何一级的指标名称", r))
            continue
        depth = max(i for i, n in enumerate(names) if n)
        for i in range(depth + 1):
            same = i < len(trail) and (not names[i] or names[i] == trail[i]["name"])
            if same and i < depth:
                continue
            if not names[i]:
                problems.append(sheet.problem(f"缺少{cs.LEVELS[i]}名称", r, levels[i]))
                break
            siblings = trail[i - 1].setdefault("children", []) if i else roots
            node = {"name": names[i], "_row": r, "_n": len(siblings) + 1}
            siblings.append(node)
            del trail[i:]
            trail.append(node)
            if i == depth:
                _fill(node, sheet, r, columns, problems)
    _finish(roots, "", problems)
    return roots, problems


def _header(sheet: Sheet) -> tuple[int | None, dict[str, int], list[Problem]]:
    for r, line in enumerate(sheet.rows[:10]):
        cells = {norm(v): c for c, v in enumerate(line) if norm(v)}
        if cs.LEVELS[0] in cells and cs.LEVELS[1] in cells:
            columns = {w: cells[w] for w in cs.LEVELS if w in cells}
            for key, words in COLUMN_WORDS.items():
                col = next((cells[w] for w in words if w in cells), None)
                if col is not None:
                    columns[key] = col
            if "weight" not in columns:
                return None, {}, [sheet.problem("表头缺少「分值」列", r)]
            return r, columns, []
    return None, {}, [sheet.problem("前 10 行中找不到表头（须有 一级指标、二级指标、分值 等列）")]


def _fill(
    node: dict[str, Any], sheet: Sheet, r: int, columns: dict[str, int], problems: list[Problem]
) -> None:
    for key in ("code", "explanation", "criteria", "formula"):
        if key in columns and cell_text(sheet.cell(r, columns[key])):
            node[key] = cell_text(sheet.cell(r, columns[key]))
    try:
        weight = to_decimal(sheet.cell(r, columns["weight"]))
    except NotApplicable:  # “/” (not applicable) is no weight for a system
        weight = "/"
    if isinstance(weight, str):
        problems.append(
            sheet.problem(f"分值应为数字，填写的是“{weight}”", r, columns["weight"], field="分值")
        )
    elif weight is not None:
        node["weight"] = weight
    text = cell_text(sheet.cell(r, columns["rule"])) if "rule" in columns else ""
    if text:
        try:
            node["rule"] = parse_yaml(text, sheet.file).data
        except InvalidInput:
            problems.append(
                sheet.problem(f"评分规则无法识别：“{text}”", r, columns["rule"], field="评分规则")
            )


def _finish(nodes: list[dict[str, Any]], parent_code: str, problems: list[Problem]) -> None:
    """Codes from place, parents' weights from children, manual rules on bare leaves."""
    for node in nodes:
        n = node.pop("_n")
        if "code" not in node:
            node["code"] = parent_code + (LETTERS[n - 1] if not parent_code and n <= 26 else str(n))
        children = node.get("children", [])
        _finish(children, node["code"], problems)
        if children and "weight" not in node:
            weights = [c.get("weight") for c in children]
            if all(w is not None for w in weights):
                node["weight"] = sum(weights, Decimal(0))
        if not children and "rule" not in node:
            node["rule"] = dict(DEFAULT_RULE)


EDIT_SHEET = "编辑中的指标体系"


def system_from_rows(
    meta: dict[str, Any], rows: list[dict[str, Any]]
) -> tuple[IndicatorSystem | None, list[Problem]]:
    """A system from an editor's rows (level 1–4, code, name, weight, explanation, criteria,
    formula, rule), read the same way as a sheet, so problems name the row."""
    header = [*cs.LEVELS, "指标代码", "分值", "指标解释", "评分标准", "计算公式", "评分规则"]
    lines: list[list[Any]] = [header]
    problems: list[Problem] = []
    sheet = Sheet("指标体系编辑", EDIT_SHEET, lines)
    for i, row in enumerate(rows, start=1):
        level = str(row.get("level", "")).strip()
        if not any(str(row.get(k, "")).strip() for k in ("code", "name", "weight")):
            continue
        if level not in ("1", "2", "3", "4"):
            problems.append(sheet.problem(f"层级应为 1–4，填写的是“{level}”", i, field="层级"))
            continue
        names = ["" for _ in cs.LEVELS]
        names[int(level) - 1] = str(row.get("name", "")).strip() or "（未命名）"
        lines.append(
            [
                *names,
                *(row.get(k, "") for k in ("code", "weight", "explanation", "criteria", "formula", "rule")),
            ]
        )
    if problems:
        return None, problems
    tree, problems = read_tree(sheet)
    system = checked_system(meta, tree, sheet, problems)
    return system, problems + ([p for p in system.problems() if not p.is_error] if system else [])
