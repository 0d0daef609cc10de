"""Import a published score table (评分表 / 自评表) from one .xlsx sheet.

``read_score_table`` turns the sheet into a ``ScoreTable`` (every cell checked: a bad file raises
one ``InvalidInput`` naming file, row and column); ``import_scores`` adds the checks against data
files: the composition rules of the indicator system whose level-1 names the table uses (the 自评
rule 10/50/30/10 from indicators/mof-2020-self-evaluation.yaml, for instance), the 执行率 rule, and
the grade bands.  Nothing is saved: the caller decides what to keep.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from workbench.domain.base import q2
from workbench.domain.grading import BandSet
from workbench.domain.indicators import CompositionRule, IndicatorSystem
from workbench.domain.rules import Rule
from workbench.domain.score_table import ScoreTable, TableRow
from workbench.errors import InvalidInput, Problem, WorkbenchError
from workbench.formats.cases import indicators_dir, load_bands, load_system, load_system_file
from workbench.formats.formulas import use_formulas
from workbench.formats.sheet_layout import (
    LABELS,
    NA_MARKS,
    SUBTOTAL_LABELS,
    TOTAL_LABELS,
    Layout,
    NotApplicable,
    ScoreColumnChoice,
    cell_text,
    find_layout,
    norm,
    to_decimal,
)
from workbench.formats.xlsx_sheet import Sheet, Workbook, column_letter

ZERO = Decimal(0)
DEFAULT_MAX_ROWS = 5000  # a score table has tens to hundreds of rows; far more means a wrong sheet
MAX_LISTED = 30  # cell errors listed before “……另有 N 处”
MAX_NAME = 200  # the longest indicator name the indicator model accepts
SELF_EVALUATION_SYSTEM = "mof-2020-self-evaluation"
TEXT_FIELDS = ("explanation", "criteria", "target", "actual")


@dataclass
class ImportResult:
    table: ScoreTable
    problems: list[Problem]
    bands: BandSet
    rules_from: str  # name of the indicator system whose composition rules were applied, or ""
    composition: list[CompositionRule] = field(default_factory=list)  # those rules, for to_system()

    @property
    def total(self) -> Decimal:
        return self.table.total

    @property
    def grade(self) -> str:
        return self.table.grade(self.bands)

    @property
    def stated_grade(self) -> str | None:
        """The grade the table's own 总分 gives, when it differs from the recomputed total."""
        table = self.table
        stated, applicable = table.stated_total, table.applicable_total
        if stated is None or q2(stated) == table.total or not applicable:
            return None
        return self.bands.grade(q2(stated / applicable * 100))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def import_scores(
    path: Path,
    *,
    sheet: str | None = None,
    bands: str = "mof-2020",
    compare_with: str | None = None,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    indicators: Path | None = None,
    score_column: str | None = None,
) -> ImportResult:
    """Read, check and grade a score table; ``compare_with`` names the system whose rules apply;
    ``score_column`` names the score column when the header has several."""
    band_set = load_bands(bands, indicators)
    with bulk_build():
        table = read_score_table(path, sheet=sheet, max_rows=max_rows, score_column=score_column)
        system = _rules_system(table, compare_with, indicators)
        composition = system.composition if system else []
        funds_rule = _funds_rule(indicators) if table.funds else None
        problems = table.problems(composition, funds_rule)
    return ImportResult(table, problems, band_set, system.name if system else "", composition)


@contextmanager
def bulk_build() -> Iterator[None]:
    """Pause the cyclic garbage collector while ~10^5 small records are built.

    Its generation scans otherwise take ~40 % of a large import; the records hold no reference
    cycles, and the collector is switched back on (if it was on) however the block ends.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _funds_rule(folder: Path | None) -> Rule | None:
    system = self_evaluation_system(folder)
    return execution_rule(system) if system else None


def self_evaluation_system(folder: Path | None = None) -> IndicatorSystem | None:
    """The 10号 自评表 template (indicators/mof-2020-self-evaluation.yaml), when it is there."""
    return next((s for s in systems_with_rules(folder) if s.id == SELF_EVALUATION_SYSTEM), None)


def execution_rule(system: IndicatorSystem) -> Rule | None:
    """The scoring rule of the 执行率 leaf under the system's 预算执行率 indicator."""
    top = next((n for n in system.indicators if n.name == "预算执行率"), None)
    leaf = next((n for _, n in top.walk() if n.is_leaf), None) if top else None
    return leaf.rule if leaf else None


def _rules_system(table: ScoreTable, wanted: str | None, folder: Path | None) -> IndicatorSystem | None:
    if wanted:
        return load_system(wanted, folder)
    names = {n.name for n in table.nodes}
    candidates = systems_with_rules(folder)
    if table.funds is not None:
        candidates.sort(key=lambda s: s.id != SELF_EVALUATION_SYSTEM)
    for system in candidates:
        if all(set(r.names) <= names for r in system.composition):
            return system
    return None


_CACHE: dict[tuple[str, float], IndicatorSystem | None] = {}


def systems_with_rules(folder: Path | None = None) -> list[IndicatorSystem]:
    """Indicator systems that state composition rules; each file is read once per change, the
    ones without rules (or not a usable system) included, so a page rerun reads no file again."""
    out = []
    for path in sorted((folder or indicators_dir()).glob("*.yaml")):
        key = (str(path), path.stat().st_mtime)
        if key not in _CACHE:
            _CACHE[key] = _system_with_rules(path)
        system = _CACHE[key]
        if system is not None:
            out.append(system)
    return out


def _system_with_rules(path: Path) -> IndicatorSystem | None:
    if "composition:" not in path.read_text("utf-8", errors="replace"):
        return None
    try:
        return load_system_file(path)
    except WorkbenchError:
        return None


def read_score_table(
    path: Path,
    *,
    sheet: str | None = None,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    score_column: str | None = None,
) -> ScoreTable:
    book = Workbook(Path(path))
    with bulk_build():
        chosen, layout = _pick_sheet(book, sheet, score_column)
        _check_size(chosen, layout, max_rows)
        notes = use_formulas(chosen, layout, book.formula_cells(chosen))
        _fill_merges(chosen, layout)
        reader = _read_rows(chosen, layout)
    if not reader.rows:
        raise InvalidInput([chosen.problem("表头下面没有指标行", layout.header)])
    table = ScoreTable(
        file=book.file,
        sheet=chosen.name,
        rows=reader.rows,
        reason_label=LABELS["reason" if "reason" in layout.columns else "deviation"],
        title=layout.title,
        funds=layout.funds,
        funds_row=layout.funds_row,
        goals=layout.goals,
        info=layout.info,
        year=layout.year,
        subtotals=reader.subtotals,
        rows_after_total=reader.after_total,
        notes=[*notes, *reader.notes()],
        named_weights=reader.named_weights,
    )
    if reader.total is not None:
        table.total_row, table.stated_total_weight, table.stated_total = reader.total
    return table


def _pick_sheet(book: Workbook, name: str | None, score_column: str | None) -> tuple[Sheet, Layout]:
    if name is not None:
        found = book.sheet(name)
        return found, find_layout(found, score_column)
    errors: list[InvalidInput] = []
    for candidate in book.names:
        found = book.sheet(candidate)
        try:
            return found, find_layout(found, score_column)
        except ScoreColumnChoice:
            raise
        except InvalidInput as exc:
            errors.append(exc)
    # Say what is wrong with the sheet that came closest to a score table (a header with gaps).
    near = [e for e in errors if any("表头缺少" in m or "像是表头" in m for m in e.messages)]
    raise (near or errors)[0]


def _check_size(sheet: Sheet, layout: Layout, max_rows: int | None) -> None:
    count = len(sheet.rows) - layout.header - 1
    if max_rows is None or count <= max_rows:
        return
    first_over = layout.header + 1 + max_rows
    msg = (
        f"表头以下有 {count:,} 行，超过导入上限 {max_rows:,} 行（从第 {first_over + 1} 行起超出）；"
        "评分表通常只有几十到几百行，请确认选对了文件和工作表（命令行可用 --max-rows 放宽上限）"
    )
    raise InvalidInput([sheet.problem(msg, first_over)])


def _fill_merges(sheet: Sheet, layout: Layout) -> None:
    """Merged cells below the header repeat their value; 分值/得分 may not span rows."""
    numeric = {layout.columns["weight"]: "分值", layout.columns["score"]: "得分"}
    errors = []
    rows = sheet.rows
    for (r0, c0), (r1, c1) in sheet.merged:
        if r1 <= layout.header:
            continue
        spanned = [label for col, label in numeric.items() if c0 <= col <= c1]
        if r1 > r0 and spanned and r0 > layout.header:
            ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            msg = f"「{spanned[0]}」是跨行合并单元格（{ref}，第 {r0 + 1}–{r1 + 1} 行）；分值、得分须逐行填写"
            errors.append(sheet.problem(msg, r0, c0, field=spanned[0]))
            continue
        value = rows[r0][c0]
        for r in range(max(r0, layout.header + 1), min(r1, len(rows) - 1) + 1):
            line = rows[r]
            for c in range(c0, min(c1, len(line) - 1) + 1):
                if line[c] == "":
                    line[c] = value
    if errors:
        raise InvalidInput(errors)


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
        """One indicator row: names carried down, 分值/得分 checked (fast path for float cells)."""
        cw, cs, number = self.cw, self.cs, self.number
        errors_before = len(self.errors)
        last = len(given) - 1
        texts = [
            ("" if k == last and k >= 2 and v in NA_MARKS else v.strip())
            if v.__class__ is str
            else cell_text(v)
            for k, v in enumerate(given)
        ]
        weight, na_w = (_float(w), False) if w.__class__ is float and w >= 0 else number(i, w, cw, "分值")
        score, na_s = (_float(s), False) if s.__class__ is float and s >= 0 else number(i, s, cs, "得分")
        blank = weight is None and score is None and not na_w and not na_s
        if blank and len(self.errors) == errors_before:
            self.skipped.append((i + 1, next((t for t in reversed(texts) if t), "")))
            self.names(i, texts)  # a blank row still sets the names carried below it
            del self.errors[errors_before:]
            return None
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


def _read_rows(sheet: Sheet, layout: Layout) -> _Rows:
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
