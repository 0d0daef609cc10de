"""Use cases of the 整改台账: problems found by one year's evaluation, followed up in the next.

``carry_over`` makes one item per finding of the source evaluation, inside the caller's open
unit of work (the next-year evaluation is created in the same transaction); ``issue_items`` does
the same in a transaction of its own.  The moves (``start``, ``request_extension``,
``decide_extension``, ``report_done``, ``send_back``, ``close``, ``edit_item``) each check the
permission first, name the version the user saw, apply the pure transition of
``domain.rectification`` and are audited; a refused move (wrong status, missing text or
evidence, a stale version) is audited as a failure in a transaction of its own.

Who may do what (``security/default_roles.yaml``): ``rectification.view`` reads the 台账;
``rectification.report`` (项目单位, own projects only) starts, asks for 延期 and reports the
result with evidence; ``rectification.manage`` (评价人员) issues items, edits them, decides
extensions and sends results back; ``rectification.close`` (评价人员, or a finance-bureau role
given it) 销号.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from workbench.domain import rectification as rules_of
from workbench.domain.evaluation import Evaluation
from workbench.domain.limits import MAX_ID, shown
from workbench.domain.rectification import RectificationItem, RectificationRules
from workbench.errors import Conflict, InvalidInput, NotFound, WorkbenchError
from workbench.formats.rectification_rules import load_rectification_rules
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.forms import required
from workbench.services.kernel import EVIDENCE_CITATION, check_version, fetch, fetch_for
from workbench.services.ports import FAILURE, Stamp, StoredItem, UnitOfWork
from workbench.services.trail import evaluation_object, record

VIEW = "rectification.view"
REPORT = "rectification.report"
MANAGE = "rectification.manage"
CLOSE = "rectification.close"
ISSUE = "下达整改事项"
LEDGER = "整改台账"


def deadline_rules() -> RectificationRules:
    """The deadline types (indicators/rectification.yaml)."""
    return load_rectification_rules()


# --- issuing -------------------------------------------------------------------------------


def carry_over(
    uow: UnitOfWork, actor: Actor, source_evaluation_id: str, new_evaluation_id: str | None, *, today: date
) -> list[str]:
    """Inside the caller's open unit of work (no commit here): one item per finding of the source
    evaluation, carried into ``new_evaluation_id``.  Items already issued from the source and not
    yet carried anywhere are attached to it; items carried into another evaluation refuse.
    Needs ``evaluation.create`` (creating the next year's evaluation is the act).  Returns the
    item ids in the order of the findings."""
    source = fetch(uow, source_evaluation_id)
    require(
        uow,
        actor,
        "evaluation.create",
        project=source.evaluation.project,
        what=_ledger_of(source_evaluation_id),
    )
    return _issue(uow, actor, source.evaluation, new_evaluation_id, today)


def issue_items(
    uow: UnitOfWork,
    actor: Actor,
    source_evaluation_id: str,
    new_evaluation_id: str | None,
    *,
    today: date | None = None,
) -> list[str]:
    """``carry_over`` in a transaction of its own, by a holder of ``rectification.manage``."""
    with uow:
        source = fetch_for(uow, actor, source_evaluation_id, MANAGE, LEDGER)
        ids = _issue(uow, actor, source.evaluation, new_evaluation_id, today or date.today())
        uow.commit()
    return ids


def _issue(uow: UnitOfWork, actor: Actor, source: Evaluation, into: str | None, today: date) -> list[str]:
    if into is not None:
        fetch(uow, into)
    existing = {s.item.finding: s for s in uow.rectification.found_by(source.id)}
    elsewhere = sorted(
        {s.item.evaluation for s in existing.values() if s.item.evaluation not in (None, into)}
    )
    if elsewhere:
        raise Conflict(f"评价“{source.id}”发现的问题已转入评价“{elsewhere[0]}”的整改台账，不能再转入其他评价")
    rules = deadline_rules()
    kind = rules.kind(rules.default_kind)
    project, _ = required(uow.projects.get(source.project), f"找不到评价记录所属的项目“{source.project}”")
    ids = []
    for position, finding in enumerate(source.findings):
        found = existing.get(finding.id)
        if found is not None:
            if found.item.evaluation != into:
                moved = found.item.model_copy(update={"evaluation": into})
                uow.rectification.save(moved, found.version, actor)
                record(
                    uow,
                    actor,
                    "转入整改事项",
                    _object(moved),
                    before={"evaluation": None},
                    after={"evaluation": into},
                )
            ids.append(found.item.id)
            continue
        measures = "\n".join(_advice(r.title, r.text) for r in source.recommendations_for(finding.id))
        item = RectificationItem(
            id=_item_id(source.id, finding.id),
            project=source.project,
            source_evaluation=source.id,
            source_year=source.year,
            evaluation=into,
            finding=finding.id,
            title=shown(finding.title, 500),
            text=finding.text,
            kind=kind.name,
            responsible_unit=project.unit.name,
            measures=measures,
            issued=today,
            deadline=kind.deadline(today),
        )
        uow.rectification.add(item, position, actor)
        record(uow, actor, ISSUE, _object(item), after=item)
        ids.append(item.id)
    return ids


def _advice(title: str, text: str) -> str:
    return f"{title}：{text}" if title and text else title or text


def _item_id(source_id: str, finding_id: str) -> str:
    plain = f"{source_id}-{finding_id}"
    if len(plain) <= MAX_ID:
        return plain
    return "ZG-" + hashlib.sha256(plain.encode()).hexdigest()[:24]


# --- reading -------------------------------------------------------------------------------


def stored_for_evaluation(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[StoredItem]:
    """The items carried into the evaluation (last year's problems), with their versions."""
    with uow:
        fetch_for(uow, actor, evaluation_id, VIEW, LEDGER)
        return uow.rectification.carried_into(evaluation_id)


def stored_of_project(uow: UnitOfWork, actor: Actor, project_id: str) -> list[StoredItem]:
    """Every item of the project, oldest source year first, with their versions."""
    with uow:
        require(uow, actor, VIEW, project=project_id, what=f"项目 {project_id} / {LEDGER}")
        required(uow.projects.get(project_id), f"找不到项目“{project_id}”")
        return uow.rectification.of_project(project_id)


def stored_about(uow: UnitOfWork, actor: Actor, some_id: str) -> tuple[str, list[StoredItem]]:
    """For the command line: ``some_id`` names an evaluation (the items carried into it, then
    those it found) or else a project (all its items).  Returns 评价 or 项目, and the items."""
    with uow:
        is_evaluation = uow.evaluations.get(some_id) is not None
    if not is_evaluation:
        return "项目", stored_of_project(uow, actor, some_id)
    with uow:
        fetch_for(uow, actor, some_id, VIEW, LEDGER)
        carried = uow.rectification.carried_into(some_id)
        found = [s for s in uow.rectification.found_by(some_id) if s.item.evaluation != some_id]
    return "评价", carried + found


def items_for_evaluation(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[RectificationItem]:
    """The items carried into the evaluation (last year's problems)."""
    return [s.item for s in stored_for_evaluation(uow, actor, evaluation_id)]


def items_of_project(uow: UnitOfWork, actor: Actor, project_id: str) -> list[RectificationItem]:
    return [s.item for s in stored_of_project(uow, actor, project_id)]


def get_item(uow: UnitOfWork, actor: Actor, item_id: str) -> StoredItem:
    with uow:
        return _fetch(uow, actor, item_id, VIEW)


@dataclass(frozen=True)
class Tally:
    """Counts of a list of items on ``today``: 销号, 已整改 (awaiting 销号), still open, overdue."""

    total: int
    closed: int
    done: int
    open: int
    overdue: int


def tally(items: list[RectificationItem], today: date | None = None) -> Tally:
    day = today or date.today()
    return Tally(
        total=len(items),
        closed=sum(i.status == "销号" for i in items),
        done=sum(i.status == "已整改" for i in items),
        open=sum(i.status in rules_of.OPEN for i in items),
        overdue=sum(i.overdue(day) for i in items),
    )


def overdue_items(items: list[RectificationItem], today: date | None = None) -> list[RectificationItem]:
    """The open items past their deadline on ``today`` (default: today)."""
    day = today or date.today()
    return [i for i in items if i.overdue(day)]


# --- moves ---------------------------------------------------------------------------------

Change = Callable[[RectificationItem, str, datetime], RectificationItem]


def start(uow: UnitOfWork, actor: Actor, item_id: str, expected_version: int) -> Stamp:
    """已下达 → 整改中 (项目单位)."""
    return _move(uow, actor, item_id, expected_version, REPORT, rules_of.START, rules_of.start)


def request_extension(
    uow: UnitOfWork, actor: Actor, item_id: str, until: date, reason: str, expected_version: int
) -> Stamp:
    """Ask for the deadline to move to ``until`` (项目单位), with a reason."""

    def change(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
        return rules_of.request_extension(item, until, reason, by, at)

    return _move(uow, actor, item_id, expected_version, REPORT, rules_of.ASK, change)


def decide_extension(
    uow: UnitOfWork, actor: Actor, item_id: str, approve: bool, reason: str, expected_version: int
) -> Stamp:
    """Approve (the deadline moves) or return (a reason is needed) an extension (评价人员)."""

    def change(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
        return rules_of.decide_extension(item, approve, reason, by, at)

    action = rules_of.APPROVE if approve else rules_of.RETURN
    return _move(uow, actor, item_id, expected_version, MANAGE, action, change)


def report_done(
    uow: UnitOfWork, actor: Actor, item_id: str, progress: str, evidence: list[str], expected_version: int
) -> Stamp:
    """Report the item rectified (项目单位): what was done and at least one 佐证材料.  A citation of
    an uploaded file ("EV12 合同.pdf") must name a file of this item's evaluations."""

    def change(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
        return rules_of.report_done(item, progress, evidence, by, at)

    return _move(uow, actor, item_id, expected_version, REPORT, rules_of.DONE, change, check=_check_evidence)


def send_back(uow: UnitOfWork, actor: Actor, item_id: str, reason: str, expected_version: int) -> Stamp:
    """已整改 → 整改中 (评价人员): the result or its evidence is not enough."""

    def change(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
        return rules_of.send_back(item, reason, by, at)

    return _move(uow, actor, item_id, expected_version, MANAGE, rules_of.SEND_BACK, change)


def close(uow: UnitOfWork, actor: Actor, item_id: str, expected_version: int, reason: str = "") -> Stamp:
    """销号 (评价人员 or the finance bureau): the item is rectified and closed."""

    def change(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
        return rules_of.close(item, by, at, reason)

    return _move(uow, actor, item_id, expected_version, CLOSE, rules_of.CLOSE, change)


def edit_item(
    uow: UnitOfWork,
    actor: Actor,
    item_id: str,
    expected_version: int,
    *,
    kind: str | None = None,
    responsible_unit: str | None = None,
    measures: str | None = None,
) -> Stamp:
    """Change an open item's 整改类型 (the deadline is recomputed from the issue date), 责任单位
    or 整改措施 (评价人员)."""
    rules = deadline_rules()

    def change(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
        return rules_of.edit(
            item, rules, by, at, kind=kind, responsible_unit=responsible_unit, measures=measures
        )

    return _move(uow, actor, item_id, expected_version, MANAGE, rules_of.EDIT, change)


def _fetch(uow: UnitOfWork, actor: Actor, item_id: str, permission: str) -> StoredItem:
    what = f"整改事项 {item_id}"
    require(uow, actor, permission, what=what)
    stored = required(uow.rectification.get(item_id), f"找不到整改事项“{item_id}”")
    require(uow, actor, permission, project=stored.item.project, what=_object(stored.item))
    return stored


def _move(
    uow: UnitOfWork,
    actor: Actor,
    item_id: str,
    expected_version: int,
    permission: str,
    action: str,
    change: Change,
    check: Callable[[UnitOfWork, RectificationItem], None] | None = None,
) -> Stamp:
    with _refusal_audited(uow, actor, action, f"整改事项 {item_id}"), uow:
        stored = _fetch(uow, actor, item_id, permission)
        check_version(stored.stamp, expected_version, f"整改事项“{shown(stored.item.title, 40)}”")
        moved = change(stored.item, actor.display_name or actor.username, datetime.now(UTC))
        if check is not None:
            check(uow, moved)
        saved = uow.rectification.save(moved, expected_version, actor)
        before = {"status": stored.item.status, "deadline": stored.item.deadline}
        record(uow, actor, action, _object(moved), before=before, after=moved.history[-1])
        uow.commit()
    return saved


@contextmanager
def _refusal_audited(uow: UnitOfWork, actor: Actor, action: str, obj: str) -> Iterator[None]:
    """A move refused for its input or a stale version is audited (result 失败) on its own; a
    permission refusal is audited by the unit of work already."""
    try:
        yield
    except (InvalidInput, Conflict, NotFound) as exc:
        _audit_failure(uow, actor, action, obj, exc)
        raise


def _audit_failure(uow: UnitOfWork, actor: Actor, action: str, obj: str, exc: WorkbenchError) -> None:
    with uow:
        record(uow, actor, action, obj, detail=shown("；".join(exc.messages), 500), result=FAILURE)
        uow.commit()


def _check_evidence(uow: UnitOfWork, item: RectificationItem) -> None:
    allowed = {item.source_evaluation, item.evaluation}
    for ref in item.evidence:
        cited = EVIDENCE_CITATION.match(ref)
        if cited is None:
            continue
        found = uow.evidence.get(int(cited.group(1)))
        if found is None or found.evaluation_id not in allowed:
            raise InvalidInput(f"佐证材料“{shown(ref, 60)}”不存在或不属于本项目的评价，请重新选择")


def _object(item: RectificationItem) -> str:
    return evaluation_object(item.evaluation or item.source_evaluation, f"整改事项 {item.id}")


def _ledger_of(evaluation_id: str) -> str:
    return evaluation_object(evaluation_id, LEDGER)
