"""Write a case (or a blank one to fill in) as the case workbook; layout in ``case_sheets``.

Figures are numbers, text is always a text cell (never a formula, whatever it starts with), and
scoring-rule parameters and rule inputs are short YAML flow text such as ``{kind: manual}``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.domain.case import Case
from workbench.domain.evaluation import Evaluation
from workbench.domain.indicators import Indicator, IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.project import Project, ProjectUnit, Section, Target
from workbench.formats import case_sheets as cs
from workbench.formats.score_xlsx import BOX, SheetWriter
from workbench.formats.yamlio import _plain

EVALUATION_LISTS = ("scores", "findings", "recommendations")


def case_workbook(case: Case) -> bytes:
    """The whole case as one workbook (its indicator system included, so it reads back alone)."""
    book = Workbook()
    book.remove(book.active)
    sheets = {name: SheetWriter(book.create_sheet(name)) for name in cs.SHEETS}
    _info(sheets[cs.INFO], _info_rows(case.project, case.ledger, case.evaluation, case.system))
    _ledger(sheets[cs.LEDGER], case.ledger)
    _spend(sheets[cs.SPEND], case.ledger)
    _system(sheets[cs.SYSTEM], case.system)
    _scores(sheets[cs.SCORES], case.system, case.evaluation)
    _findings(sheets[cs.FINDINGS], case.evaluation)
    return _bytes(book)


def blank_workbook(system: IndicatorSystem, bands: str) -> bytes:
    """An empty case workbook on ``system``: every 项目信息 field listed, every leaf on 评分."""
    sample = Section(title="-", text="-", source="-")
    project = Project(
        id="-",
        name="-",
        year=2025,
        unit=ProjectUnit(name="-"),
        contents=[sample],
        goals=[sample],
        targets=[Target(name="-")],
        implementation=[sample],
        performance=[sample],
    )
    evaluation = Evaluation(id="-", project="-", system=system.id, bands=bands, year=2025)
    kept = {"evaluation.system", "evaluation.bands", "evaluation.status", "evaluation.na_policy"}
    rows = [
        (path, value if path in kept or path.startswith("system.") else None)
        for path, value in _info_rows(
            project, Ledger(total_investment=Decimal(0)), evaluation, system, full=True
        )
    ]
    book = Workbook()
    book.remove(book.active)
    sheets = {name: SheetWriter(book.create_sheet(name)) for name in cs.SHEETS}
    _info(sheets[cs.INFO], rows)
    _ledger(sheets[cs.LEDGER], Ledger(total_investment=Decimal(0)), blank=True)
    _spend(sheets[cs.SPEND], Ledger(total_investment=Decimal(0)))
    _system(sheets[cs.SYSTEM], system)
    _scores(sheets[cs.SCORES], system, evaluation)
    _findings(sheets[cs.FINDINGS], evaluation)
    return _bytes(book)


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dump(model: Any, full: bool) -> Any:
    return _plain(model.model_dump(mode="python", exclude_defaults=not full))


def _info_rows(
    project: Project, ledger: Ledger, evaluation: Evaluation, system: IndicatorSystem, *, full: bool = False
) -> list[tuple[str, Any]]:
    rows = list(cs.flatten(_dump(project, full), "project"))
    kept = {*EVALUATION_LISTS, "frozen"}  # a 定稿 evaluation's kept project and ledger are the case's
    meta = {k: v for k, v in _dump(evaluation, full).items() if k not in kept}
    rows += cs.flatten(meta, "evaluation")
    if ledger.payment_terms is not None:
        rows += cs.flatten(_dump(ledger.payment_terms, full), "ledger.payment_terms")
    system_meta = {k: v for k, v in _dump(system, False).items() if k != "indicators"}
    rows += cs.flatten(system_meta, "system")
    return rows


def _header(w: SheetWriter, row: int, headers: tuple[str, ...], widths: dict[int, int] | None = None) -> None:
    for col, text in enumerate(headers, start=1):
        w.text(row, col, text, bold=True, center=True)
        w.ws.column_dimensions[w.ws.cell(row, col).column_letter].width = (widths or {}).get(col, 16)
    w.ws.freeze_panes = w.ws.cell(row + 1, 1)


def _put(w: SheetWriter, row: int, col: int, value: Any) -> None:
    if value is None or value == "":
        w.ws.cell(row, col).border = BOX
    elif isinstance(value, bool):
        w.text(row, col, cs.YES if value else cs.NO, center=True)
    elif isinstance(value, int | float | Decimal):
        w.number(row, col, Decimal(str(value))).number_format = "General"
    else:
        w.text(row, col, str(value))


def _info(w: SheetWriter, rows: list[tuple[str, Any]]) -> None:
    _header(w, 1, cs.INFO_HEADERS, {1: 34, 2: 80, 3: 34})
    for r, (path, value) in enumerate(rows, start=2):
        w.text(r, 1, cs.label(path))
        _put(w, r, 2, value)
        w.text(r, 3, path).font = Font(color="808080", size=9)


def _ledger(w: SheetWriter, ledger: Ledger, *, blank: bool = False) -> None:
    w.text(1, 1, cs.TOTAL_LABEL, bold=True)
    _put(w, 1, 2, None if blank else ledger.total_investment)
    w.text(2, 1, "金额单位：万元；支出明细见“支出明细”表（每行注明单位）")
    _header(w, 3, cs.LEDGER_HEADERS, {3: 30, 8: 24, 9: 40})
    plan = {p.year: p for p in ledger.plan}
    funds = {f.year: f for f in ledger.years}
    for r, year in enumerate(sorted(plan.keys() | funds.keys()), start=4):
        item, f = plan.get(year), funds.get(year)
        values = (
            year,
            item.amount if item else None,
            item.terms if item else "",
            *((f.arranged, f.received, f.paid, f.stated_spend, f.scope, f.note) if f else ("",) * 6),
        )
        for col, value in enumerate(values, start=1):
            _put(w, r, col, value)


def _choices(w: SheetWriter, column: str, options: tuple[str, ...], what: str) -> None:
    """A drop-down on the column (rows 2–1000): a bureau picks, Excel refuses anything else."""
    rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
    rule.error, rule.errorTitle = f"请从列表中选择：{'、'.join(options)}", what
    rule.showErrorMessage = True
    w.ws.add_data_validation(rule)
    rule.add(f"{column}2:{column}1000")


def _spend(w: SheetWriter, ledger: Ledger) -> None:
    _header(w, 1, cs.SPEND_HEADERS, {2: 24, 3: 34, 7: 30, 8: 50})
    _choices(w, "E", ("万元", "元"), "单位")
    _choices(w, "F", (cs.YES, cs.NO), "列入预算")
    for r, line in enumerate(ledger.spend_lines, start=2):
        for col, key in enumerate(cs.SPEND_KEYS, start=1):
            _put(w, r, col, getattr(line, key))


def _system(w: SheetWriter, system: IndicatorSystem) -> None:
    _header(w, 1, cs.SYSTEM_HEADERS, {1: 14, 2: 16, 3: 22, 4: 16, 7: 44, 8: 50, 9: 24, 10: 30})
    for r, (level, node) in enumerate(system.walk(), start=2):
        w.text(r, level, node.name, bold=not node.is_leaf)
        for col, value in enumerate(_system_values(node), start=len(cs.LEVELS) + 1):
            _put(w, r, col, value)


def _system_values(node: Indicator) -> tuple[Any, ...]:
    rule = flow(node.rule.model_dump(mode="python", exclude_defaults=True)) if node.rule else ""
    return (node.code, node.weight, node.explanation, node.criteria, node.formula, rule)


def flow(data: Any) -> str:
    """Short YAML flow text, e.g. ``{kind: ratio, target: 95}``."""
    return yaml.safe_dump(_plain(data), allow_unicode=True, default_flow_style=True, width=10_000).strip()


def _scores(w: SheetWriter, system: IndicatorSystem, evaluation: Evaluation) -> None:
    _header(w, 1, cs.SCORE_HEADERS, {2: 22, 5: 24, 6: 28, 7: 44, 8: 24, 9: 50, 11: 50, 12: 24})
    _choices(w, "D", (cs.SCORED, cs.UNSCORED, cs.NOT_APPLICABLE), "评分状态")
    r = 2
    for leaf in system.leaves():
        entry = evaluation.scores.get(leaf.code)
        status = cs.UNSCORED if entry is None else cs.NOT_APPLICABLE if entry.not_applicable else cs.SCORED
        head = (leaf.code, leaf.name, leaf.weight, status)
        rest: tuple[Any, ...] = ("",) * 4
        if entry is not None:
            inputs = flow(entry.inputs) if entry.inputs else ""
            rest = (entry.na_reason, inputs, entry.rationale, "\n".join(entry.evidence))
        deductions = entry.deductions if entry is not None else []
        for i, d in enumerate(deductions or [None]):
            values = (*head, *(rest if i == 0 else ("",) * 4))
            values += (d.reason, d.points, d.source, d.evidence, d.items or "") if d else ("",) * 5
            for col, value in enumerate(values, start=1):
                _put(w, r, col, value)
            r += 1


def _findings(w: SheetWriter, evaluation: Evaluation) -> None:
    _header(w, 1, cs.FINDING_HEADERS, {3: 36, 4: 80, 5: 30})
    items = [(cs.FINDING, f.id, f.title, f.text, f.indicators) for f in evaluation.findings]
    items += [(cs.RECOMMENDATION, x.id, x.title, x.text, x.findings) for x in evaluation.recommendations]
    for r, (kind, item_id, title, text, links) in enumerate(items, start=2):
        for col, value in enumerate((kind, item_id, title, text, cs.LIST_SEP.join(links)), start=1):
            _put(w, r, col, value)
