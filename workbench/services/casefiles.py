"""Use cases on case folders and data files (no database): score, validate, payment."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workbench.domain.case import Case
from workbench.domain.checks import evaluation_checks
from workbench.domain.evaluation import Evaluation
from workbench.domain.grading import BandSet
from workbench.domain.ledger import Ledger, LedgerCheck, PaymentDue
from workbench.domain.project import Project
from workbench.domain.scoring import Scorecard, score_evaluation
from workbench.errors import InvalidInput, Problem, WorkbenchError
from workbench.formats.cases import (
    BANDS_FILE,
    check_system,
    load_band_sets,
    load_bands,
    load_case,
    load_system,
)
from workbench.formats.multiyear import PERIODS_FILE, load_multiyear_rules, load_periods
from workbench.formats.result_use import RECORD_FILE, load_result_record, load_result_use_rules
from workbench.formats.result_use import RULES_FILE as RESULT_USE_FILE
from workbench.formats.yamlio import Located, build, read_yaml


@dataclass
class CaseScore:
    case: Case
    card: Scorecard
    ledger_checks: list[LedgerCheck]
    checks: list[Problem] = field(default_factory=list)


def score_case(folder: Path) -> CaseScore:
    case = load_case(folder)
    card = case.scorecard()
    return CaseScore(case, card, case.ledger.checks(), evaluation_checks(case, card))


def payment_due(folder: Path, year: int, om_score: Decimal) -> tuple[Case, PaymentDue]:
    case = load_case(folder)
    return case, case.ledger.payment_due(year, om_score)


def validate_path(path: Path) -> list[Problem]:
    """Every problem in an indicator-system file, a band file, a case file or a case folder."""
    path = Path(path)
    try:
        if path.is_dir():
            return _validate_case_folder(path)
        located = read_yaml(path)
        return _validate_file(located, path)
    except WorkbenchError as exc:
        return [p if p.file else p.with_file(str(path)) for p in exc.problems]


def _validate_case_folder(folder: Path) -> list[Problem]:
    case = load_case(folder)
    card = case.scorecard()
    problems = [
        Problem(c.message, file=str(folder / "ledger.yaml"), severity=c.severity)
        for c in case.ledger.checks()
    ]
    problems += [
        p if p.file else p.with_file(str(folder / "evaluation.yaml")) for p in evaluation_checks(case, card)
    ]
    load_result_record(folder)  # a bad 结果应用 record raises, naming the file and line
    targets = load_periods(folder)
    if targets is not None:
        from workbench.services.periods import check_imported

        problems += check_imported(targets, case.project.id, str(folder / PERIODS_FILE))
    return problems


def _validate_file(located: Located, path: Path) -> list[Problem]:
    data = located.data
    if "indicators" in data:
        return check_system(located)[1]
    if path.name == BANDS_FILE or "band_sets" in data:
        load_band_sets(path.parent)
        return []
    if path.name == PERIODS_FILE:
        from workbench.domain.multiyear import ProjectPeriods

        threshold = load_multiyear_rules().deviation_percent
        periods = build(ProjectPeriods, located).periods
        return [p.with_file(str(path)) for period in periods for p in period.unexplained(threshold)]
    if path.name == RECORD_FILE:
        load_result_record(path.parent)
        return []
    if path.name == RESULT_USE_FILE:
        load_result_use_rules(path.parent)
        return []
    if "scores" in data or path.name == "evaluation.yaml":
        return _validate_evaluation(located)
    if "total_investment" in data or path.name == "ledger.yaml":
        ledger = build(Ledger, located)
        return [Problem(c.message, file=str(path), severity=c.severity) for c in ledger.checks()]
    if "unit" in data or path.name == "project.yaml":
        build(Project, located)
        return []
    raise InvalidInput([Problem("无法识别的文件：既不是指标体系，也不是案例文件", file=str(path))])


def _validate_evaluation(located: Located) -> list[Problem]:
    evaluation = build(Evaluation, located)
    system = load_system(evaluation.system)
    bands: BandSet = load_bands(evaluation.bands)
    try:
        score_evaluation(system, evaluation, bands)
    except InvalidInput as exc:
        out = []
        for p in exc.problems:
            line = located.line_of(("scores", p.code)) if p.code else None
            place = "，".join(x for x in (f"第 {line} 行" if line else "", p.place or "") if x) or None
            out.append(Problem(p.message, file=located.file, place=place, field=p.field, severity=p.severity))
        return out
    return []
