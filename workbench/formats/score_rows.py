"""The rows of a score table, read one by one: names carried down, 分值/得分 checked.

Used by ``score_import.read_score_table`` once the header (``sheet_layout``) is found and formula
cells are settled (``formulas``).  Written for speed: a 100,000-row sheet is read in well under a
second.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from workbench.domain.score_table import TableRow
from workbench.errors import InvalidInput, Problem
from workbench.formats.sheet_layout import (
    NA_MARKS,
    SUBTOTAL_LABELS,
    TOTAL_LABELS,
    Layout,
    NotApplicable,
    cell_text,
    norm,
    to_decimal,
)
from workbench.formats.xlsx_sheet import Sheet

ZERO = Decimal(0)
MAX_LISTED = 30  # cell errors listed before “……另有 N 处”
MAX_NAME = 200  # the longest indicator name the indicator model accepts
TEXT_FIELDS = ("explanation", "criteria", "target", "actual")


def _row_label(line: list[Any], end: int) -> str | None:
    """ "total" for a 总分/合计 row, "subtotal" for a 小计 row, else None."""
    for value in line[:end]:
        if value.__class__ is str and len(value) <= 12 and ("计" in value or "总" in value):
            label = norm(value)
            if label in TOTAL_LABELS:
                return "total"
            if label in SUBTOTAL_LABELS:
                return "subtotal"
    return None


def _float(value: float) -> Decimal:
    """A float cell as typed: 10.0 -> 10, 0.1 -> 0.1 (the shortest repr round-trips what was typed)."""
    return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))


LEVEL_LABELS = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
_NAMED_WEIGHT = re.compile(r"^(.*?)\s*[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]\s*$")


def split_weight(name: str) -> tuple[str, Decimal | None]:
    """“产出指标(50分)” -> (“产出指标”, 50); a name without a weight in brackets is kept whole."""
    if not name or name[-1] not in ")）":
        return name, None
    found = _NAMED_WEIGHT.match(name)
    if not found or not found.group(1):
        return name, None
    return found.group(1), Decimal(found.group(2))


class _Rows:
    """The row-by-row reader: names carried down, numbers checked, errors collected.

    Written for speed (a 100,000-row sheet is read in well under a second): plain locals, a fast
    path for the usual float cells, and helper calls only for the unusual ones.  Any number of
    指标 level columns: every level but the last is carried down when left blank ("same as
    above"); a new name at one level starts afresh below it.
    """

    def __init__(self, sheet: Sheet, layout: Layout):
        cols = layout.columns
        self.sheet = sheet
        self.levels = [cols[f"level{k}"] for k in range(1, 6) if f"level{k}" in cols]
        self.c1, self.c2 = self.levels[0], self.levels[1]
        self.cw, self.cs = cols["weight"], cols["score"]
        self.texts = [(key, cols[key]) for key in TEXT_FIELDS if key in cols]
        reason = cols.get("reason", cols.get("deviation"))
        if reason is not None:
            self.texts.append(("reason", reason))
        self.label_end = max(self.levels) + 1
        self.errors: list[Problem] = []
        self.after_total: list[int] = []  # Excel rows with content below the 总分 row (not read)
        self.subtotals: list[tuple[int, str, Decimal | None, Decimal | None]] = []  # 小计 rows, checked
        self.total: tuple[int, Decimal | None, Decimal | None] | None = None
        self.rows: list[TableRow] = []
        self.skipped: list[tuple[int, str]] = []  # empty template rows: (Excel row, name)
        self.named_weights: dict[tuple[str, ...], tuple[int, Decimal]] = {}
        self.carried = [""] * len(self.levels)
        self.prefix: tuple[str, ...] = ()  # the carried names a row with only a leaf name hangs under
        self.leaf_only = len(self.levels) >= 3  # the last level is a leaf name, never carried

    @property
    def l1(self) -> str:
        return self.carried[0]

    def error(self, message: str, row: int, col: int, field: str) -> None:
        self.errors.append(self.sheet.problem(message, row, col, field=field))

    def number(self, i: int, value: Any, col: int, label: str) -> tuple[Decimal | None, bool]:
        """(value, not applicable) of a 分值/得分 cell."""
        try:
            got = to_decimal(value)
        except NotApplicable:
            return None, True
        if isinstance(got, str):
            self.error(f"应为数字，填写的是“{got}”", i, col, label)
            return None, False
        if got is not None and got < 0:
            self.error(f"不能为负数，填写的是 {got}", i, col, label)
        return got, False

    def names(self, i: int, given: list[str]) -> tuple[str, ...] | None:
        """The row's names with blanks filled from above; each missing name is reported once."""
        carried, last = self.carried, len(given) - 1
        names: list[str] = []
        missing = False
        for k, value in enumerate(given):
            if value:
                value, stated = split_weight(value) if value[-1] in ")）" else (value, None)
                if stated is not None:
                    self.named_weights[(*names, value)] = (i + 1, stated)
            if k == last and k >= 2:
                if value:
                    names.append(value)
                break
            if value and value != carried[k]:
                carried[k] = value
                for deeper in range(k + 1, len(carried)):
                    carried[deeper] = ""
            if k >= 2 and not carried[k]:
                continue
            if k >= 2 and not value and not any(given[k + 1 :]):
                continue
            if not carried[k]:
                label = LEVEL_LABELS[k]
                above = (
                    "上方也没有可沿用的一级指标" if k == 0 else f"新的{LEVEL_LABELS[k - 1]}下须填写{label}"
                )
                self.error(f"缺少{label}名称（{above}）", i, self.levels[k], label)
                carried[k], missing = f"（缺少{label}）", True
            names.append(carried[k])
        if self.leaf_only:
            self.prefix = tuple(c for j, c in enumerate(carried[:last]) if j < 2 or c)
        if max(map(len, names)) > MAX_NAME:
            for name, col, label in zip(names, self.levels, LEVEL_LABELS, strict=False):
                if len(name) > MAX_NAME:
                    self.error(f"指标名称过长（{len(name)} 个字，最多 {MAX_NAME} 个字）", i, col, label)
            missing = True
        return None if missing else tuple(names)

    def read(self, start: int) -> None:
        rows, out = self.sheet.rows, self.rows
        levels, cw, cs = self.levels, self.cw, self.cs
        c1 = levels[0]
        width = max([cw, cs, *levels] + [c for _, c in self.texts]) + 1
        label_end = self.label_end
        for i in range(start, len(rows)):
            line = rows[i]
            if len(line) < width:
                line = line + [""] * (width - len(line))
            w, s = line[cw], line[cs]
            given = [line[c] for c in levels]
            if w == "" and s == "" and not any(v != "" for v in given):
                continue
            kind = _row_label(line, label_end)
            a = line[c1]
            if kind is not None:
                if self.special(i, kind, a, w, s):
                    break
                continue
            if a.__class__ is str and "一级" in a and norm(a) == "一级指标":
                continue  # a repeated header (two-row headers, a table printed across pages)
            row = self.row(i, line, given, w, s)
            if row is not None:
                out.append(row)

    def special(self, i: int, kind: str, a: Any, w: Any, s: Any) -> bool:
        """Record a 总分 (True: stop reading) or 小计 row."""
        figures = (self.number(i, w, self.cw, "分值")[0], self.number(i, s, self.cs, "得分")[0])
        if kind == "total":
            self.total = (i + 1, *figures)
            rows = self.sheet.rows
            self.after_total = [r + 1 for r in range(i + 1, len(rows)) if any(v != "" for v in rows[r])]
            return True
        name = (
            split_weight(a.strip())[0] if a.__class__ is str and norm(a) not in SUBTOTAL_LABELS else self.l1
        )
        self.subtotals.append((i + 1, name, *figures))
        return False

    def row(self, i: int, line: list[Any], given: list[Any], w: Any, s: Any) -> TableRow | None:
        """One indicator row: names carried down, 分值/得分 checked (fast paths for the usual row:
        float cells, and only a leaf name under the names carried from above)."""
        cw, cs, number = self.cw, self.cs, self.number
        errors_before = len(self.errors)
        names = self.leaf_names(given)
        weight, na_w = (_float(w), False) if w.__class__ is float and w >= 0 else number(i, w, cw, "分值")
        score, na_s = (_float(s), False) if s.__class__ is float and s >= 0 else number(i, s, cs, "得分")
        texts = None
        if names is None:
            last = len(given) - 1
            texts = [
                ("" if k == last and k >= 2 and v in NA_MARKS else v.strip())
                if v.__class__ is str
                else cell_text(v)
                for k, v in enumerate(given)
            ]
        if weight is None and score is None and not na_w and not na_s and len(self.errors) == errors_before:
            if texts is not None:
                self.names(i, texts)  # a blank row still sets the names carried below it
                del self.errors[errors_before:]
            self.skipped.append(
                (i + 1, names[-1] if names else next((t for t in reversed(texts or []) if t), ""))
            )
            return None
        if texts is not None:
            names = self.names(i, texts)
        if weight is None and not na_w and not na_s and len(self.errors) == errors_before:
            self.error("分值不能为空（不适用的指标请填“/”）", i, cw, "分值")
        elif na_w and score is not None:
            self.error(f"分值为“/”（不适用），却填写了得分 {score}", i, cs, "得分")
        if names is None:
            return None
        row = TableRow(i + 1, names, weight or ZERO, None if na_s else score, na_w or na_s)
        for key, col in self.texts:
            value = line[col]
            if value != "":
                setattr(row, key, value.strip() if value.__class__ is str else cell_text(value))
        return row

    def leaf_names(self, given: list[Any]) -> tuple[str, ...] | None:
        """The fast path: only the last level is filled (a leaf under the names carried from above),
        a plain name; None sends the row through ``names``."""
        prefix = self.prefix
        if not prefix:
            return None
        leaf = given[-1]
        if leaf.__class__ is not str or given.count("") != len(given) - 1:
            return None
        leaf = leaf.strip()
        if not leaf or leaf in NA_MARKS:
            return prefix
        if leaf[-1] in ")）" or len(leaf) > MAX_NAME:
            return None
        return (*prefix, leaf)

    def notes(self) -> list[Problem]:
        """What the reader left out, said once: the empty template rows."""
        if not self.skipped:
            return []
        shown = "、".join(
            f"第 {r} 行“{name}”" if name else f"第 {r} 行" for r, name in self.skipped[:MAX_LISTED]
        )
        more = f" 等 {len(self.skipped)} 行" if len(self.skipped) > MAX_LISTED else ""
        msg = f"没有分值也没有得分的行视为未使用的模板行，已跳过：{shown}{more}"
        return [Problem(msg, file=self.sheet.file, place=f"工作表「{self.sheet.name}」", severity="info")]


def read_rows(sheet: Sheet, layout: Layout) -> _Rows:
    reader = _Rows(sheet, layout)
    reader.read(layout.header + 1)
    if reader.errors:
        errors = reader.errors
        if len(errors) > MAX_LISTED:
            errors = [
                *errors[:MAX_LISTED],
                Problem(f"……另有 {len(errors) - MAX_LISTED} 处问题未列出", file=sheet.file),
            ]
        raise InvalidInput(errors)
    return reader
