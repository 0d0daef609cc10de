"""The evaluator's side of the self-evaluation: the unit's self-score beside the evaluator's score
for every indicator, 自评虚高 flags (thresholds: indicators/review-rules.yaml), and the
reconciliation notes (核对说明) a flagged gap needs before the evaluation may become 定稿.

Only a submitted self-evaluation is compared: a draft is the unit's work in progress.  Notes can
be written in every status but 定稿 — they explain a gap and change no score, and the 定稿 step
(``services.review``) refuses while one is missing, so they must stay writable up to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.selfeval_review import SelfEvalComparison, compare_scorecards
from workbench.domain.workflow import LOCKED, Transition
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.formats.review_rules import load_review_rules
from workbench.services.actors import Actor
from workbench.services.guards import guard
from workbench.services.kernel import case_of, check_version, fetch_for
from workbench.services.ports import Stamp, StoredEvaluation, UnitOfWork
from workbench.services.selfeval import PART, SelfEvalView, view_of
from workbench.services.trail import evaluation_object, record

MAX_NOTE = 2000


@dataclass(frozen=True)
class ComparisonView:
    """The comparison, or None while the unit has not submitted a self-evaluation; with the
    self-evaluation it was made from (as ``selfeval.get_selfeval`` shows it), when read."""

    comparison: SelfEvalComparison | None
    note_versions: dict[str, int] = field(default_factory=dict)
    draft_exists: bool = False
    selfeval: SelfEvalView | None = None

    def version_of(self, code: str) -> int:
        return self.note_versions.get(code, 0)


def comparison_of(
    uow: UnitOfWork, stored: StoredEvaluation, shown: SelfEvalView | None = None
) -> ComparisonView:
    """Inside an open unit of work: the comparison for a loaded evaluation.  ``shown`` is its
    self-evaluation already read and scored (else the submitted one is read here)."""
    if shown is None:
        found = uow.selfevals.get(stored.evaluation.id)
        if found is None or not found.submitted:
            return ComparisonView(None, draft_exists=found is not None)
        shown = view_of(case_of(uow, stored), found)
    if not shown.submitted:
        return ComparisonView(None, draft_exists=shown.version > 0, selfeval=shown)
    if shown.card is None:  # a submitted form always scored; the rules files may have changed since
        raise InvalidInput([*shown.problems, Problem("已提交的自评表按现行规则无法计分，不能比较")])
    notes = uow.selfevals.notes(stored.evaluation.id)
    _, rule = load_review_rules()
    evaluator_card = case_of(uow, stored).scorecard()
    compared = compare_scorecards(shown.card, evaluator_card, rule, {c: n.note for c, n in notes.items()})
    versions = {c: n.stamp.version for c, n in notes.items()}
    return ComparisonView(compared, versions, True, shown)


def compare(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> ComparisonView:
    """自评与评价得分对比 for ``selfeval.view`` holders on the project, with the self-evaluation
    itself (read and scored once for both)."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "selfeval.view", "自评与评价得分对比")
        shown = view_of(case_of(uow, stored), uow.selfevals.get(evaluation_id))
        return comparison_of(uow, stored, shown)


def save_note(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, code: str, note: str, expected_version: int
) -> Stamp | None:
    """Save (or, blank, remove) the evaluator's 核对说明 for one row of the comparison."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"核对说明不能超过 {MAX_NOTE} 字")
    what = f"指标 {code} 的核对说明"
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.score", f"{PART} / {what}")
        if stored.evaluation.status in LOCKED:
            raise Conflict("评价已定稿，不能修改核对说明；如需修改，请先由有权限的人员“重新打开”")
        shown = comparison_of(uow, stored)
        if shown.comparison is None:
            raise Conflict("项目单位尚未提交自评表，无需核对")
        row = next((r for r in shown.comparison.rows if r.code == code), None)
        if row is None:
            raise InvalidInput([Problem("自评表中没有这个指标", place=f"指标 {code}")])
        current = uow.selfevals.notes(evaluation_id).get(code)
        check_version(current.stamp if current else None, expected_version, what)
        saved = uow.selfevals.save_note(evaluation_id, code, note, expected_version, actor)
        record(
            uow,
            actor,
            "填写核对说明" if note else "删除核对说明",
            evaluation_object(evaluation_id, f"{PART} / 指标 {code}"),
            before=current.note if current else None,
            after=note or None,
        )
        uow.commit()
    return saved


@guard("workflow.review", "workflow.finalize")
def require_reconciled(uow: UnitOfWork, stored: StoredEvaluation, step: Transition) -> None:
    """Inside the 复核通过 and 定稿 steps: refuse while a 自评虚高 gap has no reconciliation note."""
    shown = comparison_of(uow, stored)
    if shown.comparison is None:
        return
    problems = shown.comparison.finalization_problems()
    if problems:
        summary = f"不能{step.label}：{len(problems)} 项指标自评虚高，尚未填写核对说明（在“自评表”页填写）"
        raise Conflict([Problem(summary), *problems])
