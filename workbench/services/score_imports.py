"""Import of a published score table (评分表 / 自评表, one .xlsx sheet) from the app.

``preview`` reads and checks the uploaded file and returns the ``ImportResult`` (the rebuilt tree,
the recomputed total and grade, every inconsistency) without storing anything.  ``save_as_evaluation``
stores it as a new indicator system and a new evaluation of a new project, in one transaction
through the same helpers as the case import (``catalog.ensure_system``, ``cases.store_case``).
A bad file — not an .xlsx, encrypted, formulas, missing columns, too many rows — ends in one
``InvalidInput`` naming the uploaded file; nothing stored is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workbench.domain.case import Case
from workbench.domain.ledger import Ledger
from workbench.domain.project import Project
from workbench.errors import InvalidInput, Problem
from workbench.formats.score_import import ImportResult, import_scores
from workbench.formats.xlsx_guard import MAX_FILE_BYTES
from workbench.services.access import require, require_first
from workbench.services.actors import Actor
from workbench.services.cases import case_problems, store_case
from workbench.services.forms import free_id, parse, required
from workbench.services.ports import UnitOfWork
from workbench.services.selfeval import uploaded_file
from workbench.services.trail import evaluation_object, record, refusing_input

MAX_UPLOAD = MAX_FILE_BYTES  # the score table as uploaded (checked again before it is read)

DEFAULT_BANDS = "mof-2020"


@dataclass(frozen=True)
class NewEvaluation:
    """What a user types to keep an imported table: the project it scores and its year."""

    project_name: str
    year: int | str
    unit: str = ""
    title: str = ""
    bands: str = DEFAULT_BANDS


def preview(
    uow: UnitOfWork,
    actor: Actor,
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    bands: str = DEFAULT_BANDS,
    score_column: str | None = None,
) -> ImportResult:
    """Read and check the uploaded table; nothing is stored.  A header with several score columns
    raises ``ScoreColumnChoice`` (its ``choices``) until ``score_column`` names one."""
    require_first(uow, actor, "evaluation.view", what=f"导入评分表 {file_name}")
    return _read(data, file_name, sheet, bands, score_column)


def save_as_evaluation(
    uow: UnitOfWork,
    actor: Actor,
    data: bytes,
    file_name: str,
    new: NewEvaluation,
    *,
    sheet: str | None = None,
    score_column: str | None = None,
    confirmed: bool = False,
) -> str:
    """Store the table as a new indicator system and evaluation; returns the evaluation id.
    The permission is checked before the file is read; a refused file is audited."""
    require_first(uow, actor, "evaluation.create", what=f"导入评分表 {file_name}")
    with refusing_input(uow, actor, f"导入评分表 {file_name}"):
        result = _read(data, file_name, sheet, new.bands, score_column)
    errors = [p for p in result.problems if p.is_error]
    if errors and not confirmed:
        raise InvalidInput(
            [Problem(f"表中有 {len(errors)} 处错误级不一致；确认仍按表中得分保存后才能保存", file=file_name)]
        )
    table = result.table
    with uow:
        require(uow, actor, "evaluation.create", what=f"导入评分表 {file_name}")
        project = _project(uow, new)
        year = project.year
        band_set = required(uow.band_sets.get(new.bands), f"找不到等级划分“{new.bands}”")
        system_id = free_id(f"imported-{year}", lambda i: uow.systems.get(i) is not None)
        name = f"{table.title or project.name}（导入自 {table.file}）"
        system = table.to_system(system_id, name, result.composition)
        base = f"{project.id}-eval"
        evaluation_id = free_id(base, uow.evaluations.ids_from(base).__contains__)
        evaluation = table.to_evaluation(evaluation_id, project.id, system.id, band_set.id, year)
        if new.title.strip():
            evaluation = evaluation.model_copy(update={"title": new.title.strip()})
        case = Case(project, Ledger(total_investment=Decimal(0)), evaluation, system, band_set)
        problems = case_problems(case)
        if problems:
            raise InvalidInput([p.with_file(file_name) for p in problems])
        store_case(uow, actor, case, evaluation, file_name)
        record(
            uow,
            actor,
            "导入评分表",
            evaluation_object(evaluation_id),
            after={"system": system.id, "scores": len(evaluation.scores), "total": table.total},
            detail=file_name,
        )
        uow.commit()
    return evaluation_id


def _project(uow: UnitOfWork, new: NewEvaluation) -> Project:
    unit = {"name": new.unit.strip() or "（未填写）"}
    facts = {"id": "new", "name": new.project_name.strip(), "year": str(new.year).strip(), "unit": unit}
    project = parse(Project, facts, "保存为新的评价")
    return project.model_copy(
        update={"id": free_id(f"project-{project.year}", uow.projects.names().__contains__)}
    )


def _read(
    data: bytes, file_name: str, sheet: str | None, bands: str, score_column: str | None = None
) -> ImportResult:
    if not data:
        raise InvalidInput([Problem("文件是空的（0 字节）", file=file_name)])
    with uploaded_file(data, file_name) as path:
        return import_scores(path, sheet=sheet or None, bands=bands, score_column=score_column or None)
