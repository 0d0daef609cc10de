"""Values stored before the limits (``domain.limits``) that the domain models now refuse, so their
evaluation cannot be opened: ``check`` lists them (``workbench db check``), ``repair`` clears each
number to 0 and cuts each text to its limit, in one transaction, audited with every field's old
value (abbreviated) and new one (``workbench db repair --evaluation ID --confirm``).  Run by the
operator on the command line; the app's message names the field and sends the person to them."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.limit_scan import OutOfLimit, repaired, scan
from workbench.domain.limits import shown
from workbench.errors import NotFound
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork
from workbench.services.trail import record

REPAIR = "修复超限数据"


@dataclass(frozen=True)
class StoredProblem:
    """One stored value outside the limits."""

    evaluation_id: str
    place: str  # 项目信息, 资金台账, 评价信息, 评分 A22, 问题 F1, 建议 R1
    field: str  # in the trade's words, e.g. 扣分事项·第1项·扣分理由
    value: str  # abbreviated
    problem: str
    fix: str  # what the repair puts instead

    def line(self) -> str:
        return f"{self.place}·{self.field}：{self.value} → {self.fix}"


def check(uow: UnitOfWork, evaluation_id: str | None = None) -> list[StoredProblem]:
    """Every stored value outside the limits, of one evaluation or of all (a project shared by
    several evaluations is listed under each)."""
    with uow:
        ids = [evaluation_id] if evaluation_id else uow.stored_docs.evaluation_ids()
        return [
            _problem(one, stored.place, found)
            for one in ids
            for stored in uow.stored_docs.of_evaluation(one)
            for found in scan(stored.doc)
        ]


def repair(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[StoredProblem]:
    """Clear or cut every value of the evaluation outside the limits (and of its project);
    returns what was changed (empty: nothing to do, nothing recorded)."""
    with uow:
        docs = uow.stored_docs.of_evaluation(evaluation_id)
        if not docs:
            raise NotFound(f"没有编号为“{shown(evaluation_id, 40)}”的评价")
        changed: list[StoredProblem] = []
        for stored in docs:
            found = scan(stored.doc)
            if found:
                uow.stored_docs.rewrite(stored, repaired(stored.doc, found), evaluation_id, actor)
                uow.evaluations.refresh_totals(evaluation_id)
                changed += [_problem(evaluation_id, stored.place, f) for f in found]
        if changed:
            detail = "；".join(p.line() for p in changed[:50])
            record(uow, actor, REPAIR, f"评价 {evaluation_id}", detail=shown(detail, 4_000))
            uow.commit()
    return changed


def _problem(evaluation_id: str, place: str, found: OutOfLimit) -> StoredProblem:
    if isinstance(found.replacement, str):
        fix = f"截取前 {len(found.replacement):,} 个字符"
    else:
        fix = f"清为 {found.replacement}"
    return StoredProblem(evaluation_id, place, found.field, found.value, found.problem, fix)
