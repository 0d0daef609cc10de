"""Import a published score table (评分表 / 自评表) from one .xlsx sheet.

``read_score_table`` turns the sheet into a ``ScoreTable`` (every cell checked: a bad file raises
one ``InvalidInput`` naming file, row and column); ``import_scores`` adds the checks against data
files: the composition rules of the indicator system whose level-1 names the table uses (the 自评
rule 10/50/30/10 from indicators/mof-2020-self-evaluation.yaml, for instance), the 执行率 rule, and
the grade bands.  Nothing is saved: the caller decides what to keep.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workbench.domain.base import q2
from workbench.domain.grading import BandSet
from workbench.domain.indicators import CompositionRule, IndicatorSystem
from workbench.domain.limits import MAX_SCORE_TABLE_ROWS
from workbench.domain.rules import Rule
from workbench.domain.score_table import ScoreTable
from workbench.errors import InvalidInput, Problem, WorkbenchError
from workbench.formats.cases import indicators_dir, load_bands, load_system, load_system_file
from workbench.formats.formulas import use_formulas
from workbench.formats.score_rows import read_rows
from workbench.formats.sheet_layout import (
    LABELS,
    Layout,
    ScoreColumnChoice,
    find_layout,
)
from workbench.formats.xlsx_sheet import Sheet, Workbook, column_letter

DEFAULT_MAX_ROWS = MAX_SCORE_TABLE_ROWS
SELF_EVALUATION_SYSTEM = "mof-2020-self-evaluation"


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


def systems_with_rules(folder: Path | None = None) -> list[IndicatorSystem]:
    """Indicator systems that state composition rules; each file is read once per change, the
    ones without rules (or not a usable system) included, so a page rerun reads no file again."""
    out = []
    for path in sorted((folder or indicators_dir()).glob("*.yaml")):
        system = _parsed_system(str(path), path.stat().st_mtime)
        if system is not None:
            out.append(system)
    return out


@functools.lru_cache(maxsize=32)  # a handful of shipped files; a changed file has a new mtime
def _parsed_system(path: str, mtime: float) -> IndicatorSystem | None:
    return _system_with_rules(Path(path))


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
        reader = read_rows(chosen, layout)
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
