"""The 整改台账 aggregate: rectification items, each with its own version."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from workbench.domain.rectification import RectificationItem
from workbench.services.actors import Actor
from workbench.services.ports.stamps import Stamp


@dataclass(frozen=True)
class StoredItem:
    """An item as stored, with the version to pass back when moving it."""

    item: RectificationItem
    stamp: Stamp

    @property
    def version(self) -> int:
        return self.stamp.version


class RectificationRepository(Protocol):
    """Lists are in the order of the findings in the source evaluation (oldest source first)."""

    def get(self, item_id: str) -> StoredItem | None: ...
    def carried_into(self, evaluation_id: str) -> list[StoredItem]:
        """The items the evaluation accounts for (last year's problems)."""

    def found_by(self, source_evaluation_id: str) -> list[StoredItem]:
        """The items made from the findings of ``source_evaluation_id``."""

    def of_project(self, project_id: str) -> list[StoredItem]: ...
    def open_found_by(self, source_evaluation_ids: Collection[str]) -> list[StoredItem]:
        """The items still open (已下达, 整改中, 申请延期) found by any of these evaluations, read
        a bounded number of evaluations per query (a portfolio of thousands is a few queries)."""

    def add(self, item: RectificationItem, position: int, actor: Actor) -> Stamp:
        """Insert a new item (version 1); an id already taken raises ``Conflict``."""

    def save(self, item: RectificationItem, expected_version: int, actor: Actor) -> Stamp:
        """Replace the item if its stored version is ``expected_version``, else ``Conflict``."""
