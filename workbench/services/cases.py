"""Use cases that create evaluations: from a case folder, from a blank project form, by copying;
and the way back out to a case folder.

A case folder is ``project.yaml`` + ``ledger.yaml`` + ``evaluation.yaml`` (+ ``indicators.yaml``);
import and export go through ``formats.cases`` so the files read and written here are the same
ones the command line scores.  Everything is checked before anything is stored, and each use case
is one transaction: a bad import leaves the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.domain.case import Case
from workbench.domain.evaluation import Evaluation, Finding, FrozenCase, Recommendation
from workbench.domain.ledger import Ledger
from workbench.domain.limits import shown
from workbench.domain.messages import first_error
from workbench.domain.multiyear import PriorYear, ProjectPeriods
from workbench.domain.project import Project
from workbench.domain.result_use import CarriedResultUse
from workbench.domain.workflow import LOCKED
from workbench.errors import Conflict, InvalidInput, NotFound, Problem
from workbench.formats import cases as case_files
from workbench.formats.multiyear import (
    PERIODS_FILE,
    PRIOR_FILE,
    load_periods,
    load_prior,
    write_periods,
    write_prior,
)
from workbench.formats.result_use import RECORD_FILE, load_result_record, write_result_record
from workbench.services import periods as year_targets
from workbench.services import result_use as results
from workbench.services.access import require, require_first
from workbench.services.actors import Actor
from workbench.services.catalog import ensure_band_set, ensure_system
from workbench.services.evaluations import get_case
from workbench.services.findings import link_problems
from workbench.services.forms import free_id, parse, required
from workbench.services.kernel import fetch_for
from workbench.services.ports import UnitOfWork
from workbench.services.prior import prior_year, store_prior
from workbench.services.trail import evaluation_object, record, record_access, refusing_input

SYSTEM_FILE = "indicators.yaml"


def import_case(uow: UnitOfWork, actor: Actor, folder: Path, *, evaluation_id: str | None = None) -> str:
    """Store a case folder (its project, ledger, evaluation, indicator system and bands).

    ``evaluation_id`` stores it under another id (to import the same case twice).  Returns the
    evaluation id.  The permission is checked before any file is read; the folder is then read,
    validated and scored before the database is touched, and a refused folder is audited.
    """
    folder = Path(folder)
    require_first(uow, actor, "evaluation.create", what=f"导入评价 {folder.name}")
    with refusing_input(uow, actor, f"导入评价 {folder.name}"):
        read = read_case_folder(folder, evaluation_id)
    return store_imported(uow, actor, read, str(folder))


def import_server_case(uow: UnitOfWork, actor: Actor, name: str, *, evaluation_id: str | None = None) -> str:
    """Import a case folder that lies in the projects folder (WORKBENCH_PROJECTS_DIR), named by
    its folder name or a path inside it.  Whatever else is asked for — a path outside, a file,
    a folder that does not exist — gets the same answer, so nothing is told about the server's
    other folders; the permission is checked before any path is looked at."""
    require_first(uow, actor, "evaluation.create", what="从服务器路径导入评价")
    root = case_files.projects_dir().resolve()
    asked = Path(name.strip())
    tries = [asked] if asked.is_absolute() else [root / asked, root.parent / asked]
    for candidate in tries:
        found = candidate.resolve()
        if found.is_relative_to(root) and found != root and found.is_dir():
            return import_case(uow, actor, found, evaluation_id=evaluation_id)
    raise NotFound(
        f"案例文件夹 {root.name}/ 中没有“{shown(name, 80)}”：只能从服务器的案例文件夹导入，"
        "其他位置的案例请打包为 .zip 上传"
    )


@dataclass(frozen=True)
class FolderCase:
    """Everything a case folder carries, read and checked before anything is stored."""

    case: Case
    evaluation: Evaluation
    prior: PriorYear | None = None  # rectification.yaml
    targets: ProjectPeriods | None = None  # periods.yaml
    applied: CarriedResultUse | None = None  # result-use-record.yaml


def read_case_folder(folder: Path, evaluation_id: str | None = None) -> FolderCase:
    """The case in ``folder`` and its evaluation (``read_case``), with its prior year, its
    project's targets of each year and its 结果应用 record, each when present."""
    case, evaluation = read_case(folder, evaluation_id)
    targets = load_periods(folder)
    problems = (
        year_targets.check_imported(targets, case.project.id, str(folder / PERIODS_FILE)) if targets else []
    )
    if problems:
        raise InvalidInput(problems)
    return FolderCase(case, evaluation, load_prior(folder), targets, load_result_record(folder))


def read_case(folder: Path, evaluation_id: str | None = None) -> tuple[Case, Evaluation]:
    """The case in ``folder`` and its evaluation (under ``evaluation_id`` when given), checked."""
    return checked_case(
        case_files.load_case(folder), str(folder), str(folder / "evaluation.yaml"), evaluation_id
    )


def import_workbook(uow: UnitOfWork, actor: Actor, path: Path, *, evaluation_id: str | None = None) -> str:
    """Store a case workbook (.xlsx, see ``formats.case_sheets``) with the same checks as a folder:
    the permission first, a refused workbook audited."""
    path = Path(path)
    require_first(uow, actor, "evaluation.create", what=f"导入评价 {path.name}")
    with refusing_input(uow, actor, f"导入评价 {path.name}"):
        from workbench.formats.case_xlsx_read import read_case_workbook  # openpyxl: only for workbooks

        case, evaluation = checked_case(read_case_workbook(path), path.name, path.name, evaluation_id)
    return store_imported(uow, actor, FolderCase(case, evaluation), path.name)


def checked_case(
    case: Case, source: str, file: str, evaluation_id: str | None = None
) -> tuple[Case, Evaluation]:
    """``case`` and its evaluation (under ``evaluation_id`` when given), validated and scored;
    every problem names ``file`` unless it names its own."""
    evaluation = case.evaluation
    if evaluation_id:
        evaluation = _validated({**evaluation.model_dump(), "id": evaluation_id}, source)
    problems = case_problems(case)
    if problems:
        raise InvalidInput([p if p.file else p.with_file(file) for p in problems])
    return case, evaluation


def store_imported(uow: UnitOfWork, actor: Actor, read: FolderCase, source: str) -> str:
    """Store a case read by ``read_case_folder`` in one transaction (with the 整改 items of its
    prior year, its project's targets of each year and its 结果应用 record, when the folder
    carries them); returns the evaluation id."""
    case, evaluation = read.case, read.evaluation
    with uow:
        what = evaluation_object(evaluation.id)
        require(uow, actor, "evaluation.create", what=what)
        require(uow, actor, "evaluation.create", project=case.project.id, what=what)
        store_case(uow, actor, case, evaluation, source)
        if read.targets is not None:
            year_targets.store_imported(
                uow, actor, read.targets, evaluation.id, str(Path(source) / PERIODS_FILE)
            )
        if read.prior is not None:
            store_prior(uow, actor, read.prior, evaluation, str(Path(source) / PRIOR_FILE))
        if read.applied is not None:
            where = str(Path(source) / RECORD_FILE)
            results.store_carried(
                uow, actor, read.applied, evaluation.id, (case.project.id, case.ledger), where
            )
        record(uow, actor, "导入评价", what, after=audit_summary(evaluation), detail=source)
        uow.commit()
    return evaluation.id


def export_workbook(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, path: Path, *, overwrite: bool = False
) -> Path:
    """Write the evaluation as one case workbook (.xlsx); an existing file is kept unless ``overwrite``."""
    path = Path(path)
    content = case_workbook_bytes(uow, actor, evaluation_id)
    if path.exists() and not overwrite:
        raise Conflict([Problem("文件已存在，未覆盖（确需覆盖请加 --force）", file=str(path))])
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise InvalidInput([Problem(f"无法写入：{exc.strerror or exc}", file=str(path))]) from exc
    return path


def case_workbook_bytes(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> bytes:
    from workbench.formats.case_xlsx_write import case_workbook  # openpyxl: only for workbooks

    return case_workbook(get_case(uow, actor, evaluation_id).case)


def blank_case_workbook(uow: UnitOfWork, actor: Actor, system_id: str, band_set_id: str) -> bytes:
    """A workbook to fill in by hand for a new evaluation on a stored indicator system."""
    with uow:
        require(uow, actor, "evaluation.create", what="新建评价")
        system = required(uow.systems.get(system_id), f"找不到指标体系“{system_id}”")
        bands = required(uow.band_sets.get(band_set_id), f"找不到等级划分“{band_set_id}”")
    from workbench.formats.case_xlsx_write import blank_workbook  # openpyxl: only for workbooks

    return blank_workbook(system, bands.id)


def export_case(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, folder: Path, *, overwrite: bool = False
) -> list[Path]:
    """Write the evaluation as a case folder, its indicator system included so the folder reads
    back on its own, and for a next year's evaluation its prior year with the 整改 items carried
    into it (``rectification.yaml``), the project's targets of each year (``periods.yaml``) and
    the 结果应用 record (``result-use-record.yaml``), each when there is one.  Existing files are
    kept unless ``overwrite``."""
    case = get_case(uow, actor, evaluation_id).case
    prior = prior_year(uow, actor, case.evaluation)
    targets = year_targets.project_periods(uow, actor, evaluation_id)
    applied = results.carried(uow, actor, evaluation_id)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput([Problem("导出位置已存在同名文件，应为文件夹", file=str(folder))])
    extra = (
        *((PRIOR_FILE,) if prior else ()),
        *((PERIODS_FILE,) if targets.periods else ()),
        *(() if applied.empty else (RECORD_FILE,)),
    )
    names = (*case_files.CASE_FILES, SYSTEM_FILE, *extra)
    existing = [folder / n for n in names if (folder / n).exists()]
    if existing and not overwrite:
        raise Conflict(
            [Problem("文件已存在，未覆盖（确需覆盖请选择“覆盖”或加 --force）", file=str(p)) for p in existing]
        )
    try:
        written = case_files.write_case(case, folder, with_system=True)
        written += [write_prior(prior, folder)] if prior else []
        written += [write_periods(targets, folder)] if targets.periods else []
        written += [] if applied.empty else [write_result_record(applied, folder)]
    except OSError as exc:
        raise InvalidInput([Problem(f"无法写入：{exc.strerror or exc}", file=str(folder))]) from exc
    record_access(uow, actor, "导出案例", evaluation_object(evaluation_id), detail=f"导出到 {folder}")
    return written


def new_evaluation(
    uow: UnitOfWork,
    actor: Actor,
    project: Project | Mapping[str, Any],
    system_id: str,
    band_set_id: str,
    *,
    ledger: Ledger | Mapping[str, Any] | None = None,
    evaluation_id: str | None = None,
    title: str = "",
) -> str:
    """A new evaluation (no scores yet) of a project entered in a form, on a stored indicator
    system and band set.  A project without an id gets one; an id already stored must come with
    the same facts (and, without ``ledger``, keeps its stored ledger).  Returns the new evaluation id."""
    with uow:
        require(uow, actor, "evaluation.create", what="新建评价")
        if isinstance(project, Mapping) and not str(project.get("id") or "").strip():
            year = project.get("year") or "new"
            project = {**project, "id": free_id(f"project-{year}", uow.projects.names().__contains__)}
        facts = parse(Project, project, "项目基本情况")
        require(uow, actor, "evaluation.create", project=facts.id, what="新建评价")
        stored = uow.projects.get(facts.id)
        if ledger is None:  # an existing project keeps its ledger; a new one starts empty
            money = stored[1] if stored else Ledger(total_investment=Decimal(0))
        else:
            money = parse(Ledger, ledger, "项目资金台账")
        system = required(uow.systems.get(system_id), f"找不到指标体系“{system_id}”")
        bands = required(uow.band_sets.get(band_set_id), f"找不到等级划分“{band_set_id}”")
        base = f"{facts.id}-eval"
        new_id = evaluation_id or free_id(base, uow.evaluations.ids_from(base).__contains__)
        fields = {"id": new_id, "project": facts.id, "system": system.id, "bands": bands.id}
        evaluation = _validated({**fields, "year": facts.year, "title": title}, "新建评价")
        store_case(uow, actor, Case(facts, money, evaluation, system, bands), evaluation, "新建评价")
        record(uow, actor, "新建评价", evaluation_object(new_id), after=audit_summary(evaluation))
        uow.commit()
    return new_id


def copy_evaluation(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, new_id: str | None = None, *, year: int | None = None
) -> str:
    """A copy of an evaluation (scores, findings, recommendations) as a new 草稿, e.g. for the next
    year; same project, system and bands.  Returns the new id."""
    with uow:
        require(uow, actor, "evaluation.create", what=evaluation_object(evaluation_id))
        source = fetch_for(uow, actor, evaluation_id, "evaluation.view").evaluation
        target_year = year or source.year
        base = f"{source.project}-{target_year}-eval"
        chosen = new_id or free_id(base, uow.evaluations.ids_from(base).__contains__)
        if chosen in uow.evaluations.ids_from(chosen):
            raise Conflict(f"评价记录“{chosen}”已存在，请换一个编号")
        name = _COPY_SUFFIX.sub("", source.title or stored_project_name(uow, source.project))
        # Named apart from the other evaluations of its project (the picker tells the rest apart).
        title = copy_title(name, uow.evaluations.titles_from(f"{name}（副本 ", source.project))
        data = {
            **source.model_dump(),
            "id": chosen,
            "year": target_year,
            "status": "草稿",
            "title": title,
            "frozen": None,
        }
        copy = _validated(data, "复制评价")
        uow.evaluations.add(copy, actor)
        record(
            uow,
            actor,
            "复制评价",
            evaluation_object(chosen),
            after=audit_summary(copy),
            detail=f"复制自 {evaluation_id}",
        )
        uow.commit()
    return chosen


_COPY_SUFFIX = re.compile(r"（副本 \d+）$")


def copy_title(title: str, taken: set[str]) -> str:
    """A name for a copy of ``title`` that no evaluation has: "…（副本 2）", "…（副本 3）"...
    (``taken``: the names already used — those starting with "…（副本 " are enough)."""
    base = _COPY_SUFFIX.sub("", title)
    number = 2
    while f"{base}（副本 {number}）" in taken:
        number += 1
    return f"{base}（副本 {number}）"


def stored_project_name(uow: UnitOfWork, project_id: str) -> str:
    found = uow.projects.get(project_id)
    return found[0].name if found is not None else project_id


def delete_evaluation(uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int) -> None:
    """Delete a 草稿 evaluation created by mistake, with everything recorded in it.  Refused once
    it has entered review (its history matters then) and while evidence files are attached (they
    are removed on 佐证材料 first, so no upload is lost unseen).  The audit log keeps a summary."""
    with uow:
        require(uow, actor, "evaluation.create", what=evaluation_object(evaluation_id))
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view").evaluation
        if stored.status != "草稿":
            raise Conflict(f"只能删除草稿状态的评价；该评价为“{stored.status}”，已进入复核流程，不能删除")
        attached = uow.evidence.list(evaluation_id, None)
        if attached:
            raise Conflict(f"该评价还有 {len(attached)} 份佐证材料：请先在“佐证材料”页删除，再删除评价")
        uow.evaluations.delete(evaluation_id, expected_version)
        record(uow, actor, "删除评价", evaluation_object(evaluation_id), before=audit_summary(stored))
        uow.commit()


def audit_summary(evaluation: Evaluation) -> dict[str, Any]:
    """What an audit record says about a whole evaluation, new or deleted (not every score)."""
    return {
        "project": evaluation.project,
        "system": evaluation.system,
        "year": evaluation.year,
        "status": evaluation.status,
        "scores": len(evaluation.scores),
    }


# --- shared ----------------------------------------------------------------------------------


def case_problems(case: Case) -> list[Problem]:
    """What stops a case from being stored: scores the system cannot score, broken links."""
    problems: list[Problem] = []
    try:
        case.scorecard()
    except InvalidInput as exc:
        problems.extend(exc.problems)
    items: list[Finding | Recommendation] = [*case.evaluation.findings, *case.evaluation.recommendations]
    for item in items:
        problems.extend(link_problems(case, item))
    return problems


def store_case(uow: UnitOfWork, actor: Actor, case: Case, evaluation: Evaluation, source: str) -> None:
    """Add the case's parts inside an open unit of work (the caller commits)."""
    if uow.evaluations.get(evaluation.id) is not None:
        raise Conflict(
            f"评价记录“{evaluation.id}”已存在；如需再导入一份，请指定新的评价编号（命令行：--as 新编号）"
        )
    ensure_system(uow, actor, case.system, source)
    ensure_band_set(uow, actor, case.bands)
    stored = uow.projects.get(case.project.id)
    if stored is None:
        uow.projects.add(case.project, case.ledger, actor)
    elif (stored[0].model_dump(), stored[1].model_dump()) != (
        case.project.model_dump(),
        case.ledger.model_dump(),
    ):
        raise Conflict(
            f"项目“{case.project.id}”已存在且事实或台账与{source}不同：不能覆盖已有项目；"
            "如是另一个项目，请改用新的项目 id"
        )
    if evaluation.status in LOCKED and evaluation.frozen is None:
        # A case arriving already 定稿 (the seeded reference case, an imported folder) keeps what
        # its report printed, as one finalized here does: later years may edit the shared project.
        evaluation = evaluation.model_copy(
            update={"frozen": FrozenCase(project=case.project, ledger=case.ledger)}
        )
    uow.evaluations.add(evaluation, actor)


def _validated(data: dict[str, Any], place: str) -> Evaluation:
    try:
        return Evaluation.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput([Problem(first_error(exc), place=place)]) from exc
