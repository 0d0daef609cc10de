"""The review workflow of an evaluation: 草稿 → 已提交 → 退回修改 / 已复核 → 定稿 → 重新打开.

The transitions are fixed by the trade (``domain.workflow``); which role may take each one is the
stored role table (permission = the transition's action, e.g. ``workflow.finalize``).  A 退回修改
or 重新打开 needs a reason; the reason goes into the audit record with the status before and
after, in the same transaction as the status change.  A 定稿 evaluation is locked: the scoring,
findings and header services refuse changes until it is reopened.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.evaluation import STATUSES, FrozenCase
from workbench.domain.limits import MAX_REASON
from workbench.domain.workflow import LOCKED, TRANSITIONS, Transition, available, transition
from workbench.errors import InvalidInput
from workbench.services.access import permissions_of
from workbench.services.actors import Actor
from workbench.services.guards import guards_for
from workbench.services.kernel import check_version, fetch_for, live_project
from workbench.services.ports import AuditFilter, Stamp, UnitOfWork
from workbench.services.trail import evaluation_object, record


@dataclass(frozen=True)
class WorkflowStep:
    """One move of an evaluation's status, as the audit log recorded it."""

    seq: int
    at: str
    username: str
    role: str
    action: str
    before: str
    after: str
    reason: str


def actions(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[Transition]:
    """The moves the actor may make now (for the buttons: label, needs_reason)."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view")
        held = permissions_of(uow, actor)
    return [t for t in available(stored.evaluation.status) if t.action in held]


def advance(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    action: str,
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> Stamp:
    """Take the workflow step ``action`` (e.g. "workflow.submit").

    ``expected_version`` is the evaluation's header version as the page showed it
    (``StoredCase.versions.evaluation.version``); None skips the check.
    """
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"理由不能超过 {MAX_REASON} 字")
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, action, "流程")
        if expected_version is not None:
            check_version(stored.versions.evaluation, expected_version, "评价记录")
        before = stored.evaluation.status
        step = transition(before, action, reason)
        for check in guards_for(step.action):  # 核对说明, 落款, ledger decisions (services.guards)
            check(uow, stored, step)
        updated = stored.evaluation.model_copy(
            update={"status": step.target, "frozen": _snapshot(uow, step, stored.evaluation.project)}
        )
        saved = uow.evaluations.save_header(updated, stored.versions.evaluation.version, actor)
        record(
            uow,
            actor,
            step.label,
            evaluation_object(evaluation_id),
            before={"status": before},
            after={"status": step.target},
            detail=reason,
        )
        uow.commit()
    return saved


def _snapshot(uow: UnitOfWork, step: Transition, project_id: str) -> FrozenCase | None:
    """At 定稿, the project facts and ledger the case uses now, kept with the evaluation so its
    report never changes when the shared project is edited from another year; any other move
    (重新打开) drops it, and the next 定稿 takes a new one."""
    if step.target not in LOCKED:
        return None
    project, ledger = live_project(uow, project_id)
    return FrozenCase(project=project, ledger=ledger)


def move_to(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, status: str, expected_version: int, *, reason: str = ""
) -> Stamp:
    """``advance`` by the target status (the one transition that leads there from the current one)."""
    if status not in STATUSES:
        raise InvalidInput(f"状态“{status}”无效，可选：{'、'.join(STATUSES)}")
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view")
    check_version(stored.versions.evaluation, expected_version, "评价记录")
    current = stored.evaluation.status
    step = next((t for t in available(current) if t.target == status), None)
    if step is None:
        raise InvalidInput(f"评价当前为“{current}”，不能直接改为“{status}”：{_routes(current)}")
    return advance(uow, actor, evaluation_id, step.action, reason=reason, expected_version=expected_version)


def _routes(status: str) -> str:
    steps = available(status)
    if not steps:
        return "没有可执行的流程操作"
    return "可执行 " + "、".join(f"“{t.label}”（→{t.target}）" for t in steps)


def history(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[WorkflowStep]:
    """Every status move of the evaluation, oldest first, with who, when and why (退回理由)."""
    labels = {t.label for t in TRANSITIONS}
    with uow:
        fetch_for(uow, actor, evaluation_id, "evaluation.view")
        records, _ = uow.audit.query(AuditFilter(object=evaluation_object(evaluation_id)), 0, 0)
    steps = [
        WorkflowStep(
            seq=r.seq,
            at=r.at,
            username=r.username,
            role=r.role,
            action=r.event,
            before=(r.before or {}).get("status", ""),
            after=(r.after or {}).get("status", ""),
            reason=r.detail,
        )
        for r in records
        if r.event in labels and r.object == evaluation_object(evaluation_id) and r.result == "成功"
    ]
    return sorted(steps, key=lambda s: s.seq)
