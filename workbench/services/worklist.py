"""待办: what waits for the signed-in person, one line per thing to do, each naming the evaluation
and the page where it is done.

* 评价人员 (``workflow.submit``): evaluations sent back (退回修改, 重新打开) with who sent them back,
  when and why; (``evaluation.score``) a 自评表 the unit submitted while the evaluation is still
  being scored, with the 核对说明 still missing.
* 复核人: evaluations 已提交 (``workflow.review`` / ``workflow.return``) and 已复核
  (``workflow.finalize``).
* 专家 (``panel.score``): panels that name the expert and whose sheet is not submitted yet.
* 项目单位 (``selfeval.submit``): its 自评表 sent back, or not submitted yet.
* Whoever builds reports: a Word report generated before the evaluation's scores last changed
  (from the audit log: the 生成报告 record against the later score records).  The evaluator
  (``evaluation.score``) sees every stale report; anyone else only the ones they generated.

The same permission and project scope as the evaluation list apply (a 项目单位 sees only its own
projects; an expert only the panels that name them).  Nothing here changes anything.

Paged (``todo_page``): a few batched queries on columns decide which evaluations have which item
and its place in the list (ids, statuses, audit times, the forms' states); names and the words of
each item — a reconciliation's flagged rows, a count of score changes — are read only for the
items of the page shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from workbench.domain.audit import AuditRecord
from workbench.domain.evaluation import STATUSES
from workbench.domain.workflow import EDITABLE, LOCKED
from workbench.services.access import permissions_of, require, visible_projects
from workbench.services.actors import Actor
from workbench.services.ports import (
    SUCCESS,
    AuditFilter,
    EvaluationHeader,
    SelfEvaluationState,
    UnitOfWork,
)
from workbench.services.reconciliation import comparison_of
from workbench.services.trail import evaluation_object

# Pages an item opens (the stems of the files in workbench/ui/views/).
SCORING, SELFEVAL, PANEL, REPORT = "scoring", "selfeval", "panel", "report"
REPORT_EVENT = "生成报告"
SCORE_EVENTS = frozenset({"保存评分", "清除评分", "应用专家组评分", "撤销专家组评分"})
RETURNED = frozenset({"退回修改", "重新打开"})
OPEN = frozenset(STATUSES) - LOCKED  # statuses of evaluations still in work
# Permissions of people whose daily work starts from 待办 (others land on it only when it lists something).
WORKING = frozenset(
    {"evaluation.score", "workflow.return", "workflow.review", "panel.score", "selfeval.submit"}
)


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: ``kind`` heads the line, ``detail`` says what and why, ``page`` is where."""

    kind: str
    evaluation_id: str
    evaluation: str  # "2018 · 益阳智慧大脑…" as the user tells evaluations apart
    detail: str
    page: str
    action: str  # the button's words
    at: str = ""  # ISO time of what made it due (newest first within a kind), "" when unknown


@dataclass(frozen=True)
class _Due:
    """An item before its words are written: its place in the list and how to write them."""

    kind: str
    evaluation_id: str
    page: str
    action: str
    at: str
    words: Callable[[UnitOfWork], str]  # the detail, read only for the items shown


def todo(uow: UnitOfWork, actor: Actor) -> list[TodoItem]:
    """Everything waiting for ``actor``, most urgent kind first."""
    return todo_page(uow, actor)[0]


def todo_page(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int | None = None
) -> tuple[list[TodoItem], int]:
    """The items ``offset`` to ``offset + limit`` of ``todo`` (None: to the end) and how many
    there are in all; only the items returned are named and worded."""
    with uow:
        require(uow, actor, "evaluation.view", what="待办")
        due = _due(uow, actor)
        shown = due[max(offset, 0) : None if limit is None else max(offset, 0) + limit]
        names = {h.id: name_of(h) for h in uow.evaluations.headers_of({d.evaluation_id for d in shown})}
        items = [
            TodoItem(d.kind, d.evaluation_id, names.get(d.evaluation_id, d.evaluation_id), d.words(uow),
                     d.page, d.action, d.at)
            for d in shown
        ]  # fmt: skip
    return items, len(due)


def lands_on_todo(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether the app opens on 待办 for ``actor``: always for those whose work starts there;
    for others (e.g. 领导) only when something waits for them (counted, nothing worded)."""
    with uow:
        held = permissions_of(uow, actor)
    if "evaluation.view" not in held:
        return False
    return bool(WORKING & held) or todo_page(uow, actor, 0, 0)[1] > 0


def name_of(h: EvaluationHeader) -> str:
    """The evaluation's name with its year in front, unless the name starts with the year."""
    name = h.title or h.project_name or h.project
    return name if name.startswith(str(h.year)) else f"{h.year} · {name}"


def _due(uow: UnitOfWork, actor: Actor) -> list[_Due]:
    """Every item waiting for ``actor`` in the order shown, unworded."""
    held = permissions_of(uow, actor)
    reachable = visible_projects(uow, actor)
    # Only evaluations still in work, and those with a report: a bureau's 定稿 years are not read.
    status = uow.evaluations.status_of(statuses=OPEN, projects=reachable)
    return [
        *_returned(uow, held, status),
        *_to_review(uow, held, status),
        *_selfeval_submitted(uow, held, status),
        *_panels(uow, actor, held, status),
        *_unit_selfeval(uow, held, status),
        *_stale_reports(uow, actor, held, reachable),
    ]


def _lasts(uow: UnitOfWork, ids: Collection[str], event: str) -> dict[str, AuditRecord]:
    """The newest successful audit record of ``event`` on each evaluation itself (a workflow
    step), in one query for all of them."""
    objects = {evaluation_object(i): i for i in ids}
    return {objects[obj]: r for obj, r in uow.audit.latest(event, objects).items()}


def _who(record: AuditRecord) -> str:
    return f"{record.username}（{record.role}）于 {_local(record.at)}"


def _local(at: str | datetime | None) -> str:
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _by(who: str, at: datetime | None) -> str:
    """ "zhao 于 2025-03-01 10:00" (who alone when the time is unknown)."""
    return f"{who} 于 {_local(at)}" if at else who


def _text(text: str, _uow: UnitOfWork) -> str:
    return text


def _returned(uow: UnitOfWork, held: frozenset[str], status: Mapping[str, str]) -> list[_Due]:
    if "workflow.submit" not in held:
        return []
    out = []
    returned = [i for i, s in status.items() if s in RETURNED]
    lasts = {s: _lasts(uow, [i for i in returned if status[i] == s], s) for s in RETURNED}
    for i in returned:
        last = lasts[status[i]].get(i)  # the step is named as the status it leads to
        words = partial(_returned_words, status[i], last)
        out.append(_Due(status[i], i, SCORING, "去修改评分", last.at if last else "", words))
    return _newest_first(out)


def _returned_words(step: str, last: AuditRecord | None, _uow: UnitOfWork) -> str:
    reason = f"{_who(last)}{last.event}，理由：{last.detail or '（未填写）'}" if last else ""
    return reason or f"评价已{step}。"


def _to_review(uow: UnitOfWork, held: frozenset[str], status: Mapping[str, str]) -> list[_Due]:
    out = []
    if held & {"workflow.review", "workflow.return"}:
        submitted = [i for i, s in status.items() if s == "已提交"]
        lasts = _lasts(uow, submitted, "提交复核")
        for i in submitted:
            last = lasts.get(i)
            detail = (
                f"{_who(last)}提交复核，请复核：复核通过或退回修改（须写明理由）。" if last else "请复核。"
            )
            out.append(_Due("待复核", i, SCORING, "去复核", last.at if last else "", partial(_text, detail)))
    if "workflow.finalize" in held:
        reviewed = [i for i, s in status.items() if s == "已复核"]
        lasts = _lasts(uow, reviewed, "复核通过")
        for i in reviewed:
            last = lasts.get(i)
            detail = (f"{_who(last)}复核通过。" if last else "") + "请在“报告”页核对清单后定稿。"
            out.append(_Due("待定稿", i, REPORT, "去定稿", last.at if last else "", partial(_text, detail)))
    return _newest_first(out)


def _selfeval_submitted(uow: UnitOfWork, held: frozenset[str], status: Mapping[str, str]) -> list[_Due]:
    """Submitted 自评表 of evaluations still being scored, with the 核对说明 still missing."""
    if not {"evaluation.score", "selfeval.view"} <= held:
        return []
    states = uow.selfevals.states([i for i, s in status.items() if s in EDITABLE])
    out = []
    for i in (i for i in status if i in states and states[i].submitted):
        found = states[i]
        at = found.submitted_at.isoformat() if found.submitted_at else ""
        words = partial(_submitted_words, i, found)
        out.append(_Due("自评表已提交", i, SELFEVAL, "去核对", at, words))
    return _newest_first(out)


def _submitted_words(evaluation_id: str, found: SelfEvaluationState, uow: UnitOfWork) -> str:
    stored = uow.evaluations.get(evaluation_id)
    compared = comparison_of(uow, stored).comparison if stored else None
    missing = [r for r in compared.flagged if not r.note.strip()] if compared else []
    need = f"{len(missing)} 项自评虚高待填写核对说明。" if missing else "请与评价得分逐项核对。"
    return f"项目单位（{_by(found.submitted_by, found.submitted_at)}）提交了自评表：{need}"


def _panels(uow: UnitOfWork, actor: Actor, held: frozenset[str], status: Mapping[str, str]) -> list[_Due]:
    """Panels that name the actor, while their sheet is not submitted and scoring is open."""
    if "panel.score" not in held:
        return []
    waiting = uow.panels.awaiting(actor.username, [i for i, s in status.items() if s in EDITABLE])
    out = []
    for i in (i for i in status if i in waiting):
        started = "已保存草稿，尚未提交" if waiting[i] else "尚未评分"
        detail = f"您是本评价专家组成员，{started}：请逐项评分并提交。"
        out.append(_Due("待专家评分", i, PANEL, "去评分", "", partial(_text, detail)))
    return out


def _unit_selfeval(uow: UnitOfWork, held: frozenset[str], status: Mapping[str, str]) -> list[_Due]:
    """The unit's 自评表 sent back by the evaluation team, or not submitted yet."""
    if "selfeval.submit" not in held:
        return []
    returned, open_ = [], []
    unlocked = [i for i, s in status.items() if s not in LOCKED]
    states = uow.selfevals.states(unlocked)
    for i in unlocked:
        found = states.get(i)
        if found is not None and found.submitted:
            continue
        if found is not None and found.returned_reason:
            when = _by(found.returned_by, found.returned_at)
            detail = f"评价组（{when}）退回了自评表，理由：{found.returned_reason}。请修改后重新提交。"
            at = found.returned_at.isoformat() if found.returned_at else ""
            returned.append(_Due("自评表被退回", i, SELFEVAL, "去修改自评表", at, partial(_text, detail)))
            continue
        state = "已保存草稿，尚未提交" if found is not None else "尚未填报"
        detail = f"自评表{state}：填好后请提交（提交后评价组据此逐项核对）。"
        open_.append(_Due("自评表待提交", i, SELFEVAL, "去填报", "", partial(_text, detail)))
    return [*_newest_first(returned), *open_]


def _stale_reports(
    uow: UnitOfWork, actor: Actor, held: frozenset[str], reachable: Collection[str] | None
) -> list[_Due]:
    """Word reports generated before the evaluation's scores last changed: the newest score
    change of every reported evaluation in one query over the records after the oldest report."""
    if "evaluation.report" not in held:
        return []
    reports = {
        i: made
        for i, made in _latest_reports(uow).items()
        if "evaluation.score" in held or made.username == actor.username
    }
    reached = uow.evaluations.status_of(ids=reports, projects=reachable) if reports else {}
    newest = _newest_changes(uow, {i: reports[i] for i in reached})
    out = [
        _Due("报告须重新生成", i, REPORT, "去重新生成", last.at, partial(_stale_words, i, reports[i], last))
        for i, last in newest.items()
    ]
    return _newest_first(out)


def _newest_changes(uow: UnitOfWork, reports: Mapping[str, AuditRecord]) -> dict[str, AuditRecord]:
    """The newest score record of each evaluation of ``reports`` written after its report."""
    if not reports:
        return {}
    prefix = evaluation_object("")
    found: dict[str, AuditRecord] = {}
    for obj, record in uow.audit.newest_after(SCORE_EVENTS, min(r.seq for r in reports.values())).items():
        evaluation_id, part, _ = obj.removeprefix(prefix).partition(" / ")
        made = reports.get(evaluation_id) if obj.startswith(prefix) and part else None
        if made is not None and record.seq > made.seq and record.seq > found.get(evaluation_id, made).seq:
            found[evaluation_id] = record
    return {i: found[i] for i in reports if i in found}


def _stale_words(evaluation_id: str, made: AuditRecord, newest: AuditRecord, uow: UnitOfWork) -> str:
    changed = _score_changes_after(uow, evaluation_id, made)
    last = changed[0] if changed else newest
    return (
        f"报告由 {made.username} 于 {_local(made.at)} 生成；之后评分又有 {len(changed) or 1} 处修改"
        f"（最近一次：{last.username} 于 {_local(last.at)}）。请重新生成报告。"
    )


def _score_changes_after(uow: UnitOfWork, evaluation_id: str, made: AuditRecord) -> list[AuditRecord]:
    """The score records of the evaluation written after the report record ``made``, newest first."""
    parts = f"{evaluation_object(evaluation_id)} /"
    since = datetime.fromisoformat(made.at)
    records, _ = uow.audit.query(AuditFilter(object=parts, since=since, result=SUCCESS), 0, 0)
    return [r for r in records if r.seq > made.seq and r.event in SCORE_EVENTS and r.object.startswith(parts)]


def _latest_reports(uow: UnitOfWork) -> dict[str, AuditRecord]:
    """The newest successful 生成报告 record of each evaluation that has one, by evaluation id."""
    out = {}
    for obj, record in uow.audit.latest(REPORT_EVENT, None).items():
        evaluation_id = obj.removeprefix(evaluation_object("")).removesuffix(" / 报告")
        if obj == evaluation_object(evaluation_id, "报告"):
            out[evaluation_id] = record
    return out


def _newest_first(items: list[_Due]) -> list[_Due]:
    return sorted(items, key=lambda i: i.at, reverse=True)
