"""The kernel of the services: loading and guarding stored evaluations.

Every use case that touches an evaluation goes through here: ``fetch_for`` (the stored evaluation,
once the actor's role holds the permission on its project), ``fetch_editable`` (and refused while
under review or 定稿), ``check_version`` (optimistic locking: refuse a write based on a version that
is no longer the stored one, naming who changed it and when), and ``case_of`` (the evaluation with
its project, ledger, indicator system and grade bands, as one ``Case``).  This module imports only
the domain, the ports and the access helpers — never another use-case module — so any service may
import it without making an import circle.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from workbench.domain.case import Case
from workbench.domain.evaluation import Evaluation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.project import Project
from workbench.domain.scoring import Scorecard
from workbench.domain.workflow import ensure_editable
from workbench.errors import Conflict, InvalidInput, NotFound
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.forms import required
from workbench.services.ports import Stamp, StoredEvaluation, Totals, UnitOfWork, Versions
from workbench.services.trail import evaluation_object

# A deduction citing uploaded evidence starts with its number: "EV12 合同.pdf".
EVIDENCE_CITATION = re.compile(r"^\s*EV(\d+)\b")


@dataclass(frozen=True)
class StoredCase:
    """A case as stored, with the versions to pass back when saving a part of it."""

    case: Case
    versions: Versions

    @functools.cached_property
    def scorecard(self) -> Scorecard:
        return self.case.scorecard()


def fetch(uow: UnitOfWork, evaluation_id: str) -> StoredEvaluation:
    return required(uow.evaluations.get(evaluation_id), f"找不到评价记录“{evaluation_id}”")


def fetch_for(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, permission: str, part: str = ""
) -> StoredEvaluation:
    """The stored evaluation, once the actor's role holds ``permission`` on its project."""
    what = evaluation_object(evaluation_id, part)
    # Read first, decided as before: the read brings the role table's stamp along (one query for
    # both), and nothing read is used or told (not even whether it exists) before the role holds
    # the permission.
    found = uow.evaluations.get(evaluation_id)
    require(uow, actor, permission, what=what)
    stored = required(found, f"找不到评价记录“{evaluation_id}”")
    require(uow, actor, permission, project=stored.evaluation.project, what=what)
    return stored


def fetch_editable(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, permission: str, part: str = ""
) -> StoredEvaluation:
    """Like ``fetch_for``, and refused while the evaluation is under review or 定稿."""
    stored = fetch_for(uow, actor, evaluation_id, permission, part)
    ensure_editable(stored.evaluation.status)
    return stored


def case_of(uow: UnitOfWork, stored: StoredEvaluation) -> Case:
    """The stored evaluation as a case (the same object while none of its parts changed)."""
    return case_from(uow, case_parts(uow, stored.evaluation))


def case_from(uow: UnitOfWork, parts: CaseParts, card: Scorecard | None = None) -> Case:
    """The case of ``parts``, kept by the database handle's ``cases`` cache: the same parts give
    the same case (and so its scorecard, computed once) — repositories hand out one shared
    object per unchanged stored version.  ``card``, when given, is its scorecard, already
    computed (a save scores the evaluation to check it; the page need not score it again)."""
    cache = uow.caches.cases
    found: Case | None = cache.get(parts) if card is None else None
    if found is not None:
        return found
    ev, (project, ledger), system, bands = parts
    case = Case(project, ledger, ev, system, bands)
    if card is not None:
        case.keep_scorecard(card)
    cache.put(parts, case)
    return case


CaseParts = tuple[Evaluation, tuple[Project, Ledger], IndicatorSystem, BandSet]


def case_parts(uow: UnitOfWork, ev: Evaluation) -> CaseParts:
    """The evaluation with its project (and ledger), indicator system and grade bands.  A 定稿
    evaluation uses the project and ledger it kept at 定稿 (``Evaluation.frozen``), so its report
    shows what was signed whatever is edited later from another year's evaluation."""
    project = ev.frozen.parts if ev.frozen is not None else live_project(uow, ev.project)
    system = required(uow.systems.get(ev.system), f"找不到指标体系“{ev.system}”")
    bands = required(uow.band_sets.get(ev.bands), f"找不到等级划分“{ev.bands}”")
    return (ev, project, system, bands)


def live_project(uow: UnitOfWork, project_id: str) -> tuple[Project, Ledger]:
    """The project's facts and ledger as stored now (shared by the evaluations of all its years)."""
    return required(uow.projects.get(project_id), f"找不到评价记录所属的项目“{project_id}”")


def fresh_totals(uow: UnitOfWork, evaluation_id: str) -> Totals:
    """The evaluation's totals scored now from what is stored (inside an open unit of work)."""
    try:
        parts = case_parts(uow, fetch(uow, evaluation_id).evaluation)
    except (InvalidInput, NotFound):
        return Totals.of(None)
    ev, _project, system, bands = parts
    return Totals.scored(system, ev, bands, uow.caches.leaves)


def check_version(current: Stamp | None, expected: int, what: str) -> None:
    """Refuse a write based on a version that is no longer the stored one."""
    now = current.version if current else 0
    if now == expected:
        return
    if current is None:
        raise Conflict(f"{what}已被其他人删除；本次修改未保存，请刷新页面后再操作")
    when = current.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    done = "录入" if expected == 0 else "修改"
    raise Conflict(
        f"{what}已被 {current.updated_by} 于 {when} {done}（当前为第 {now} 版，您看到的是第 {expected} 版）；"
        "本次修改未保存，请刷新页面查看对方的修改后再操作"
    )
