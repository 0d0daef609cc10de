"""Use cases on stored evaluations: list, open, score, change the header or the status.

Every function takes a unit of work (``Database.uow()``, or a fake in unit tests) and the
``Actor`` doing it, runs in one transaction, and raises only ``WorkbenchError``s with Chinese
messages.  Reading pages should call ``get_case`` once per rerun and use
``StoredCase.scorecard`` rather than calling ``scorecard`` as well (that would load twice).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from workbench.domain.case import Case
from workbench.domain.evaluation import STATUSES, Evaluation, IndicatorScore
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.memo import IdentityMemo
from workbench.domain.messages import first_error
from workbench.domain.project import Project
from workbench.domain.scoring import Scorecard, score_evaluation
from workbench.domain.workflow import ensure_editable
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.services.access import require, visible_projects
from workbench.services.actors import Actor
from workbench.services.forms import parse, required
from workbench.services.ports import Stamp, StoredEvaluation, UnitOfWork, Versions
from workbench.services.trail import evaluation_object, record

# Header fields a user may change with ``update_header`` (the rest identify the evaluation or
# live in their own tables; the status moves only through the review workflow, services.review).
FIXED = frozenset({"id", "project", "system", "bands", "scores", "findings", "recommendations", "status"})
EVIDENCE_CITATION = re.compile(r"^\s*EV(\d+)\b")


@dataclass(frozen=True)
class EvaluationSummary:
    """One line of the list of evaluations."""

    id: str
    title: str
    project_id: str
    project_name: str
    year: int
    system_id: str
    system_name: str
    status: str
    total: Decimal | None  # None when the stored scores cannot be scored (shown as a problem)
    declared_total: Decimal | None
    grade: str
    complete: bool
    updated_at: datetime
    updated_by: str
    version: int = 0  # of the evaluation's header, for a change or deletion based on this line
    unscored: bool = False  # nothing scored yet: shown as 未评分, not as 0.00 不合格


@dataclass(frozen=True)
class StoredCase:
    """A case as stored, with the versions to pass back when saving a part of it."""

    case: Case
    versions: Versions

    @functools.cached_property
    def scorecard(self) -> Scorecard:
        return self.case.scorecard()


# --- shared by the service modules ---------------------------------------------------------


def fetch(uow: UnitOfWork, evaluation_id: str) -> StoredEvaluation:
    return required(uow.evaluations.get(evaluation_id), f"找不到评价记录“{evaluation_id}”")


def fetch_for(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, permission: str, part: str = ""
) -> StoredEvaluation:
    """The stored evaluation, once the actor's role holds ``permission`` on its project."""
    what = evaluation_object(evaluation_id, part)
    require(uow, actor, permission, what=what)
    stored = fetch(uow, evaluation_id)
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
    return _CASES.get(case_parts(uow, stored.evaluation))


CaseParts = tuple[Evaluation, tuple[Project, Ledger], IndicatorSystem, BandSet]


def case_parts(uow: UnitOfWork, ev: Evaluation) -> CaseParts:
    """The evaluation with its project (and ledger), indicator system and grade bands."""
    project = required(uow.projects.get(ev.project), f"找不到评价记录所属的项目“{ev.project}”")
    system = required(uow.systems.get(ev.system), f"找不到指标体系“{ev.system}”")
    bands = required(uow.band_sets.get(ev.bands), f"找不到等级划分“{ev.bands}”")
    return (ev, project, system, bands)


class _CaseCache:
    """The same parts give the same case (and so its scorecard, computed once): repositories
    hand out one shared object per unchanged stored version, so a rerun that changed nothing
    reuses the case by the identity of its parts."""

    def __init__(self, size: int = 32):
        self._memo: IdentityMemo[Case] = IdentityMemo(size)

    def get(self, parts: CaseParts) -> Case:
        found = self._memo.get(parts)
        return found if found is not None else self.put(parts)

    def put(self, parts: CaseParts, card: Scorecard | None = None) -> Case:
        """The case of ``parts``, kept for the next reader (with its scorecard when known)."""
        ev, (project, ledger), system, bands = parts
        case = Case(project, ledger, ev, system, bands)
        if card is not None:
            case.__dict__["_scorecard"] = card  # what the cached property would compute
        return self._memo.put(parts, case)


_CASES = _CaseCache()


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


# --- reading -------------------------------------------------------------------------------


def list_evaluations(uow: UnitOfWork, actor: Actor) -> list[EvaluationSummary]:
    """Every evaluation the actor may see (a 项目单位 only its own projects), with its total and
    grade, newest year first."""
    with uow:
        require(uow, actor, "evaluation.view", what="评价列表")
        reachable = visible_projects(uow, actor)
        stored = [s for s in uow.evaluations.all() if reachable is None or s.evaluation.project in reachable]
        names = uow.projects.names()
        systems = {s.id: s for s in uow.systems.all()}
        bands = {b.id: b for b in uow.band_sets.all()}
    out = []
    for item in stored:
        ev = item.evaluation
        system = systems[ev.system]
        try:
            card: Scorecard | None = score_evaluation(system, ev, bands[ev.bands])
        except InvalidInput:
            card = None
        out.append(
            EvaluationSummary(
                id=ev.id,
                title=ev.title,
                project_id=ev.project,
                project_name=names.get(ev.project, ev.project),
                year=ev.year,
                system_id=ev.system,
                system_name=system.name,
                status=ev.status,
                total=card.total if card else None,
                declared_total=card.declared_total if card else None,
                grade=card.grade if card else "无法计分",
                complete=card.complete if card else False,
                updated_at=item.versions.evaluation.updated_at,
                updated_by=item.versions.evaluation.updated_by,
                version=item.versions.evaluation.version,
                unscored=card.unscored if card else False,
            )
        )
    return sorted(out, key=lambda s: (-s.year, s.id))


def get_case(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> StoredCase:
    """The evaluation with its project, ledger, indicator system and bands (a handful of queries)."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view")
        return StoredCase(case_of(uow, stored), stored.versions)


def report_case(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> StoredCase:
    """``get_case`` for building a document (report, 评分表): needs ``evaluation.report``."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.report", "报告")
        return StoredCase(case_of(uow, stored), stored.versions)


def scorecard(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> Scorecard:
    return get_case(uow, actor, evaluation_id).scorecard


# --- scores --------------------------------------------------------------------------------


def save_score(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    code: str,
    score: IndicatorScore | Mapping[str, Any],
    expected_version: int,
) -> Stamp:
    """Save what the evaluator recorded for one leaf indicator.

    ``expected_version`` is ``StoredCase.versions.of_score(code)`` as loaded (0 for an indicator
    not scored yet).  The evaluation is re-scored with the new entry first: a bad entry raises
    ``InvalidInput`` with the Chinese problem and nothing is saved; a version that changed
    underneath raises ``Conflict`` naming who changed it.
    """
    return _save_score(uow, actor, evaluation_id, code, score, expected_version)[0]


def save_score_and_open(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    code: str,
    score: IndicatorScore | Mapping[str, Any],
    expected_version: int,
) -> StoredCase:
    """``save_score``, returning the evaluation as saved (its scorecard included) from the same
    transaction, so a page that saves and then shows the result does not load and score it again."""
    return _save_score(uow, actor, evaluation_id, code, score, expected_version)[1]


def _save_score(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    code: str,
    score: IndicatorScore | Mapping[str, Any],
    expected_version: int,
) -> tuple[Stamp, StoredCase]:
    entry = parse(IndicatorScore, score, f"指标 {code}")
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, "evaluation.score", f"指标 {code}")
        check_version(stored.versions.scores.get(code), expected_version, f"指标 {code} 的评分")
        parts = case_parts(uow, stored.evaluation)
        case = _CASES.get(parts)
        leaf = case.system.find(code)
        if leaf is None or not leaf.is_leaf:
            raise InvalidInput([Problem("指标体系中没有这个末级指标", place=f"指标 {code}")])
        ev = stored.evaluation
        updated = ev.model_copy(update={"scores": {**ev.scores, code: entry}})
        card = score_evaluation(case.system, updated, case.bands)
        _check_citations(uow, evaluation_id, code, entry)
        saved = uow.evaluations.save_score(evaluation_id, code, entry, expected_version, actor)
        record(
            uow,
            actor,
            "保存评分",
            evaluation_object(evaluation_id, f"指标 {code}"),
            before=ev.scores.get(code),
            after=entry,
        )
        uow.commit()
        assert saved is not None
        versions = dataclasses.replace(stored.versions, scores={**stored.versions.scores, code: saved})
        uow.evaluations.remember(StoredEvaluation(updated, versions))
    after = _CASES.put((updated, *parts[1:]), card)
    return saved, StoredCase(after, versions)


def clear_score(uow: UnitOfWork, actor: Actor, evaluation_id: str, code: str, expected_version: int) -> None:
    """Remove one indicator's score (it shows as 未评分 again)."""
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, "evaluation.score", f"指标 {code}")
        current = stored.versions.scores.get(code)
        if current is None and expected_version == 0:
            return
        check_version(current, expected_version, f"指标 {code} 的评分")
        uow.evaluations.save_score(evaluation_id, code, None, expected_version, actor)
        record(
            uow,
            actor,
            "清除评分",
            evaluation_object(evaluation_id, f"指标 {code}"),
            before=stored.evaluation.scores.get(code),
        )
        uow.commit()


def _check_citations(uow: UnitOfWork, evaluation_id: str, code: str, entry: IndicatorScore) -> None:
    """A deduction citing uploaded evidence ("EV12 …") must cite evidence of this evaluation."""
    wrong = []
    for deduction in entry.deductions:
        cited = EVIDENCE_CITATION.match(deduction.evidence)
        found = uow.evidence.get(int(cited.group(1))) if cited else None
        if cited and (found is None or found.evaluation_id != evaluation_id):
            wrong.append(deduction.evidence)
    if wrong:
        raise InvalidInput(
            [
                Problem(f"引用的佐证材料“{w}”不存在或不属于本评价", place=f"指标 {code}", field="佐证材料")
                for w in wrong
            ]
        )


# --- header and status ---------------------------------------------------------------------


def update_header(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, changes: Mapping[str, Any], expected_version: int
) -> Stamp:
    """Change header fields (title, written, year, evaluator, basis, purpose, process, methods,
    standards, na_policy, ...) — not the id, project, system, bands, the parts, or the status
    (which moves through the review workflow: ``services.review.advance``)."""
    fixed = sorted(set(changes) & FIXED)
    if fixed:
        hint = "；状态请通过复核流程变更" if "status" in fixed else ""
        raise InvalidInput(f"不能在此修改：{'、'.join(fixed)}{hint}")
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, "evaluation.score", "评价信息")
        check_version(stored.versions.evaluation, expected_version, "评价记录")
        before = stored.evaluation.model_dump()
        try:
            updated = Evaluation.model_validate({**before, **changes})
        except ValidationError as exc:
            raise InvalidInput([Problem(first_error(exc), place=f"评价记录 {evaluation_id}")]) from exc
        saved = uow.evaluations.save_header(updated, expected_version, actor)
        after = updated.model_dump()
        changed = [k for k in changes if before.get(k) != after.get(k)]
        record(
            uow,
            actor,
            "修改评价信息",
            evaluation_object(evaluation_id),
            before={k: before.get(k) for k in changed},
            after={k: after.get(k) for k in changed},
        )
        uow.commit()
    return saved


def set_status(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, status: str, expected_version: int, *, reason: str = ""
) -> Stamp:
    """Move the evaluation to ``status`` through the review workflow: the one transition that
    leads there from the current status, if the actor's role may take it (see ``services.review``;
    a 退回修改 or 重新打开 needs ``reason``)."""
    if status not in STATUSES:
        raise InvalidInput(f"状态“{status}”无效，可选：{'、'.join(STATUSES)}")
    from workbench.services import review  # review builds on this module

    return review.move_to(uow, actor, evaluation_id, status, expected_version, reason=reason)
