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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from workbench.domain.audit import AuditRecord
from workbench.domain.evaluation import STATUSES
from workbench.domain.workflow import EDITABLE, LOCKED
from workbench.services.access import permissions_of, require, visible_projects
from workbench.services.actors import Actor
from workbench.services.ports import SUCCESS, AuditFilter, EvaluationHeader, UnitOfWork
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


def todo(uow: UnitOfWork, actor: Actor) -> list[TodoItem]:
    """Everything waiting for ``actor``, most urgent kind first."""
    with uow:
        require(uow, actor, "evaluation.view", what="待办")
        held = permissions_of(uow, actor)
        reachable = visible_projects(uow, actor)
        # Only evaluations still in work, and those with a report: a bureau's 定稿 years are not read.
        headers = [
            h for h in uow.evaluations.headers(statuses=OPEN) if reachable is None or h.project in reachable
        ]
        reports = _latest_reports(uow) if "evaluation.report" in held else {}
        reported = [
            h for h in uow.evaluations.headers_of(reports) if reachable is None or h.project in reachable
        ]
        items = [
            *_returned(uow, held, headers),
            *_to_review(uow, held, headers),
            *_selfeval_submitted(uow, held, headers),
            *_panels(uow, actor, held, headers),
            *_unit_selfeval(uow, held, headers),
            *_stale_reports(uow, actor, held, reported, reports),
        ]
    return items


def lands_on_todo(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether the app opens on 待办 for ``actor``: always for those whose work starts there;
    for others (e.g. 领导) only when something waits for them."""
    with uow:
        held = permissions_of(uow, actor)
    if "evaluation.view" not in held:
        return False
    return bool(WORKING & held) or bool(todo(uow, actor))


def name_of(h: EvaluationHeader) -> str:
    """The evaluation's name with its year in front, unless the name starts with the year."""
    name = h.title or h.project_name or h.project
    return name if name.startswith(str(h.year)) else f"{h.year} · {name}"


def _lasts(uow: UnitOfWork, headers: Sequence[EvaluationHeader], event: str) -> dict[str, AuditRecord]:
    """The newest successful audit record of ``event`` on each evaluation itself (a workflow
    step), in one query for all of them."""
    objects = {evaluation_object(h.id): h.id for h in headers}
    return {objects[obj]: r for obj, r in uow.audit.latest(event, objects).items()}


def _who(record: AuditRecord) -> str:
    return f"{record.username}（{record.role}）于 {_local(record.at)}"


def _local(at: str | datetime | None) -> str:
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _by(who: str, at: datetime | None) -> str:
    """ "zhao 于 2025-03-01 10:00" (who alone when the time is unknown)."""
    return f"{who} 于 {_local(at)}" if at else who


def _returned(uow: UnitOfWork, held: frozenset[str], headers: Sequence[EvaluationHeader]) -> list[TodoItem]:
    if "workflow.submit" not in held:
        return []
    out = []
    returned = [h for h in headers if h.status in RETURNED]
    lasts = {status: _lasts(uow, [h for h in returned if h.status == status], status) for status in RETURNED}
    for h in returned:
        last = lasts[h.status].get(h.id)  # the step is named as the status it leads to
        reason = f"{_who(last)}{last.event}，理由：{last.detail or '（未填写）'}" if last else ""
        detail = reason or f"评价已{h.status}。"
        out.append(
            TodoItem(h.status, h.id, name_of(h), detail, SCORING, "去修改评分", last.at if last else "")
        )
    return _newest_first(out)


def _to_review(uow: UnitOfWork, held: frozenset[str], headers: Sequence[EvaluationHeader]) -> list[TodoItem]:
    out = []
    if held & {"workflow.review", "workflow.return"}:
        submitted = [h for h in headers if h.status == "已提交"]
        lasts = _lasts(uow, submitted, "提交复核")
        for h in submitted:
            last = lasts.get(h.id)
            detail = (
                f"{_who(last)}提交复核，请复核：复核通过或退回修改（须写明理由）。" if last else "请复核。"
            )
            out.append(
                TodoItem("待复核", h.id, name_of(h), detail, SCORING, "去复核", last.at if last else "")
            )
    if "workflow.finalize" in held:
        reviewed = [h for h in headers if h.status == "已复核"]
        lasts = _lasts(uow, reviewed, "复核通过")
        for h in reviewed:
            last = lasts.get(h.id)
            detail = (f"{_who(last)}复核通过。" if last else "") + "请在“报告”页核对清单后定稿。"
            out.append(
                TodoItem("待定稿", h.id, name_of(h), detail, REPORT, "去定稿", last.at if last else "")
            )
    return _newest_first(out)


def _selfeval_submitted(
    uow: UnitOfWork, held: frozenset[str], headers: Sequence[EvaluationHeader]
) -> list[TodoItem]:
    """Submitted 自评表 of evaluations still being scored, with the 核对说明 still missing."""
    if not {"evaluation.score", "selfeval.view"} <= held:
        return []
    out = []
    editable = [h for h in headers if h.status in EDITABLE]
    present = uow.selfevals.present([h.id for h in editable])
    for h in (h for h in editable if h.id in present):
        found = uow.selfevals.get(h.id)
        if found is None or not found.submitted:
            continue
        stored = uow.evaluations.get(h.id)
        compared = comparison_of(uow, stored).comparison if stored else None
        missing = [r for r in compared.flagged if not r.note.strip()] if compared else []
        need = f"{len(missing)} 项自评虚高待填写核对说明。" if missing else "请与评价得分逐项核对。"
        detail = f"项目单位（{_by(found.submitted_by, found.submitted_at)}）提交了自评表：{need}"
        at = found.submitted_at.isoformat() if found.submitted_at else ""
        out.append(TodoItem("自评表已提交", h.id, name_of(h), detail, SELFEVAL, "去核对", at))
    return _newest_first(out)


def _panels(
    uow: UnitOfWork, actor: Actor, held: frozenset[str], headers: Sequence[EvaluationHeader]
) -> list[TodoItem]:
    """Panels that name the actor, while their sheet is not submitted and scoring is open."""
    if "panel.score" not in held:
        return []
    out = []
    editable = [h for h in headers if h.status in EDITABLE]
    present = uow.panels.present([h.id for h in editable])
    for h in (h for h in editable if h.id in present):
        panel = uow.panels.get(h.id)
        if actor.username not in panel.experts:
            continue
        sheet = panel.sheet(actor.username)
        if sheet is not None and sheet.submitted:
            continue
        started = "已保存草稿，尚未提交" if sheet is not None else "尚未评分"
        detail = f"您是本评价专家组成员，{started}：请逐项评分并提交。"
        out.append(TodoItem("待专家评分", h.id, name_of(h), detail, PANEL, "去评分"))
    return out


def _unit_selfeval(
    uow: UnitOfWork, held: frozenset[str], headers: Sequence[EvaluationHeader]
) -> list[TodoItem]:
    """The unit's 自评表 sent back by the evaluation team, or not submitted yet."""
    if "selfeval.submit" not in held:
        return []
    returned, open_ = [], []
    unlocked = [h for h in headers if h.status not in LOCKED]
    present = uow.selfevals.present([h.id for h in unlocked])
    for h in unlocked:
        found = uow.selfevals.get(h.id) if h.id in present else None
        if found is not None and found.submitted:
            continue
        if found is not None and found.returned_reason:
            when = _by(found.returned_by, found.returned_at)
            detail = f"评价组（{when}）退回了自评表，理由：{found.returned_reason}。请修改后重新提交。"
            at = found.returned_at.isoformat() if found.returned_at else ""
            returned.append(TodoItem("自评表被退回", h.id, name_of(h), detail, SELFEVAL, "去修改自评表", at))
            continue
        state = "已保存草稿，尚未提交" if found is not None else "尚未填报"
        detail = f"自评表{state}：填好后请提交（提交后评价组据此逐项核对）。"
        open_.append(TodoItem("自评表待提交", h.id, name_of(h), detail, SELFEVAL, "去填报"))
    return [*_newest_first(returned), *open_]


def _stale_reports(
    uow: UnitOfWork,
    actor: Actor,
    held: frozenset[str],
    headers: Sequence[EvaluationHeader],
    latest: dict[str, AuditRecord],
) -> list[TodoItem]:
    """Word reports generated before the evaluation's scores last changed (``latest``: the newest
    report record of each evaluation of ``headers``)."""
    if "evaluation.report" not in held:
        return []
    out = []
    for h in headers:
        made = latest.get(h.id)
        if made is None or ("evaluation.score" not in held and made.username != actor.username):
            continue
        changed = _score_changes_after(uow, h.id, made)
        if not changed:
            continue
        last = changed[0]
        detail = (
            f"报告由 {made.username} 于 {_local(made.at)} 生成；之后评分又有 {len(changed)} 处修改"
            f"（最近一次：{last.username} 于 {_local(last.at)}）。请重新生成报告。"
        )
        out.append(TodoItem("报告须重新生成", h.id, name_of(h), detail, REPORT, "去重新生成", last.at))
    return _newest_first(out)


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


def _newest_first(items: list[TodoItem]) -> list[TodoItem]:
    return sorted(items, key=lambda i: i.at, reverse=True)
