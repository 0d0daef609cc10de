"""The totals kept with each evaluation (``storage.evaluation_totals``) checked against a fresh
scoring, and stored again where they differ: ``workbench db check`` lists the differences,
``workbench db repair --totals --confirm`` recomputes them (audited).  They should never differ —
every save rewrites them in its own transaction — but a row restored from an old backup, a
change of scoring rules or a write from outside the workbench would leave them behind."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.base import fmt2
from workbench.services.actors import Actor
from workbench.services.kernel import fresh_totals
from workbench.services.ports import Totals, UnitOfWork
from workbench.services.trail import record

RECOMPUTE = "重算总分"


@dataclass(frozen=True)
class TotalsMismatch:
    """An evaluation whose stored totals differ from what its scores give today."""

    evaluation_id: str
    stored: str  # 总分与等级 as stored ("未保存" when never computed)
    fresh: str  # as scored now

    def line(self) -> str:
        return f"评价 {self.evaluation_id}：已存 {self.stored}，重新计分为 {self.fresh}"


def shown(totals: Totals | None) -> str:
    if totals is None:
        return "未保存"
    if totals.unscored:
        return "未评分"
    total = "—" if totals.total is None else fmt2(totals.total)
    return f"{total}（{totals.grade}{'' if totals.complete else '，未评完'}，已评 {totals.scored_count} 项）"


def check_totals(uow: UnitOfWork) -> list[TotalsMismatch]:
    """Every evaluation whose stored totals differ from a fresh scoring (one at a time)."""
    with uow:
        return _mismatches(uow)


def repair_totals(uow: UnitOfWork, actor: Actor) -> list[TotalsMismatch]:
    """Store a fresh scoring's totals for every evaluation whose stored ones differ, in one
    transaction, with one audit record listing them (empty: nothing to do, nothing recorded)."""
    with uow:
        found = _mismatches(uow)
        for mismatch in found:
            uow.evaluations.refresh_totals(mismatch.evaluation_id)
        if found:
            detail = "；".join(m.line() for m in found[:50])
            record(uow, actor, RECOMPUTE, f"{len(found)} 项评价", detail=detail[:4_000])
            uow.commit()
    return found


def _mismatches(uow: UnitOfWork) -> list[TotalsMismatch]:
    return [
        TotalsMismatch(row.id, shown(row.totals), shown(fresh))
        for row in uow.evaluations.listings()
        if row.totals != (fresh := fresh_totals(uow, row.id))
    ]
