"""Use cases on stored evaluations: list, open, score, change the header or the status.

Every function takes a unit of work (``Database.uow()``, or a fake in unit tests) and the
``Actor`` doing it, runs in one transaction, and raises only ``WorkbenchError``s with Chinese
messages.  Reading pages should call ``get_case`` once per rerun and use
``StoredCase.scorecard`` rather than calling ``scorecard`` as well (that would load twice).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.messages import first_error
from workbench.domain.scoring import Scorecard, score_evaluation
from workbench.errors import InvalidInput, Problem
from workbench.services.access import require, visible_projects
from workbench.services.actors import Actor
from workbench.services.forms import parse
from workbench.services.kernel import (
    EVIDENCE_CITATION,
    case_from,
    case_of,
    case_parts,
    check_version,
    fetch_editable,
    fetch_for,
    fresh_totals,
)
from workbench.services.kernel import (
    StoredCase as StoredCase,  # the pages' type of an opened evaluation
)
from workbench.services.ports import EvaluationListing, Stamp, StoredEvaluation, Totals, UnitOfWork
from workbench.services.trail import evaluation_object, record

# Header fields a user may change with ``update_header`` (the rest identify the evaluation or
# live in their own tables; the status moves only through the review workflow, services.review).
FIXED = frozenset(
    {
        "id",
        "project",
        "system",
        "bands",
        "scores",
        "findings",
        "recommendations",
        "status",
        "prior_evaluation",
        "frozen",  # what a 定稿 report printed (services.review)
    }
)


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
    scored_count: int = 0  # leaf indicators scored so far


# --- reading -------------------------------------------------------------------------------


def list_evaluations(uow: UnitOfWork, actor: Actor) -> list[EvaluationSummary]:
    """Every evaluation the actor may see (a 项目单位 only its own projects), with its total and
    grade, newest year first.  One query: the totals are those stored with each evaluation
    (kept up to date on every save); none is loaded or scored here, except one whose totals were
    never stored (a row restored from an old backup)."""
    with uow:
        require(uow, actor, "evaluation.view", what="评价列表")
        reachable = visible_projects(uow, actor)
        listed = uow.evaluations.listings(reachable)
        return [_summary(uow, row) for row in listed]


@dataclass(frozen=True)
class EvaluationPage:
    """One page of the list of evaluations, and how many match in all."""

    rows: list[EvaluationSummary]
    total: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


def evaluation_page(
    uow: UnitOfWork,
    actor: Actor,
    search: str = "",
    offset: int = 0,
    limit: int = 20,
    statuses: Collection[str] | None = None,
) -> EvaluationPage:
    """``limit`` evaluations from ``offset`` of those the actor may see whose title, project
    name, year or id contains ``search`` (and in ``statuses``), newest year first: two queries
    whatever the number of evaluations."""
    with uow:
        require(uow, actor, "evaluation.view", what="评价列表")
        reachable = visible_projects(uow, actor)
        total = uow.evaluations.count(reachable, search, statuses)
        offset = min(max(offset, 0), max(total - 1, 0) // limit * limit)
        listed = uow.evaluations.listings(reachable, search, offset, limit, statuses)
        return EvaluationPage([_summary(uow, row) for row in listed], total, offset)


def _summary(uow: UnitOfWork, row: EvaluationListing) -> EvaluationSummary:
    totals = row.totals or fresh_totals(uow, row.id)
    return EvaluationSummary(
        id=row.id,
        title=row.title,
        project_id=row.project_id,
        project_name=row.project_name,
        year=row.year,
        system_id=row.system_id,
        system_name=row.system_name,
        status=row.status,
        total=totals.total,
        declared_total=totals.declared_total,
        grade=totals.grade,
        complete=totals.complete,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        version=row.version,
        unscored=totals.unscored,
        scored_count=totals.scored_count,
    )


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
        case = case_from(uow, parts)
        leaf = case.system.find(code)
        if leaf is None or not leaf.is_leaf:
            raise InvalidInput([Problem("指标体系中没有这个末级指标", place=f"指标 {code}")])
        ev = stored.evaluation
        updated = ev.model_copy(update={"scores": {**ev.scores, code: entry}})
        card = score_evaluation(case.system, updated, case.bands, leaves=uow.caches.leaves)
        _check_citations(uow, evaluation_id, code, entry)
        uow.evaluations.keep_totals(evaluation_id, Totals.of(card))  # written with the score
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
    after = case_from(uow, (updated, *parts[1:]), card)
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
