"""The 整改台账 of the in-memory unit of work (tests/service_fakes.py), with the promises of
``workbench/storage/rectification_repo.py``: an insert of a taken id and a write based on a
stale version raise ``Conflict``; lists follow the source year and the findings' order."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from workbench.domain.rectification import OPEN, RectificationItem
from workbench.services.actors import Actor
from workbench.services.ports import Stamp, StoredItem, stale


class RectificationState(Protocol):
    rectification: dict[str, tuple[StoredItem, int]]  # id -> (stored item, position)

    def stamp(self, actor: Actor, version: int) -> Stamp: ...


class FakeRectification:
    def __init__(self, state: RectificationState):
        self.state = state

    def get(self, item_id: str) -> StoredItem | None:
        found = self.state.rectification.get(item_id)
        return found[0] if found else None

    def _listed(self, keep: object) -> list[StoredItem]:
        rows = [v for v in self.state.rectification.values() if keep(v[0].item)]  # type: ignore[operator]
        rows.sort(key=lambda v: (v[0].item.source_year, v[0].item.source_evaluation, v[1], v[0].item.id))
        return [v[0] for v in rows]

    def carried_into(self, evaluation_id: str) -> list[StoredItem]:
        return self._listed(lambda i: i.evaluation == evaluation_id)

    def found_by(self, source_evaluation_id: str) -> list[StoredItem]:
        return self._listed(lambda i: i.source_evaluation == source_evaluation_id)

    def of_project(self, project_id: str) -> list[StoredItem]:
        return self._listed(lambda i: i.project == project_id)

    def open_found_by(self, source_evaluation_ids: Collection[str]) -> list[StoredItem]:
        wanted = set(source_evaluation_ids)
        return self._listed(lambda i: i.source_evaluation in wanted and i.status in OPEN)

    def add(self, item: RectificationItem, position: int, actor: Actor) -> Stamp:
        if item.id in self.state.rectification:
            raise stale(f"整改事项“{item.id}”")
        stamp = self.state.stamp(actor, 1)
        self.state.rectification[item.id] = (StoredItem(item, stamp), position)
        return stamp

    def save(self, item: RectificationItem, expected_version: int, actor: Actor) -> Stamp:
        found = self.state.rectification.get(item.id)
        if found is None or found[0].version != expected_version:
            raise stale(f"整改事项“{item.id}”")
        stamp = self.state.stamp(actor, expected_version + 1)
        self.state.rectification[item.id] = (StoredItem(item, stamp), found[1])
        return stamp
