"""Repository of the 整改台账: rows of ``rectification_items`` <-> ``StoredItem``."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from workbench.domain.rectification import OPEN, RectificationItem
from workbench.services.actors import Actor
from workbench.services.ports import Stamp
from workbench.services.ports.rectification import StoredItem
from workbench.storage.checked import VersionChecked, stamp
from workbench.storage.tables import EvaluationRow
from workbench.storage.tables_rectification import RectificationItemRow as Row

CHUNK = 500  # source evaluations per query of ``open_found_by``

# Columns of the row; everything else of the item is the document.
COLUMNS = {"id", "project", "source_evaluation", "evaluation", "status", "deadline"}


def _what(item_id: str) -> str:
    return f"整改事项“{item_id}”"


def _stored(row: Row) -> StoredItem:
    item = RectificationItem.model_validate(
        {
            **row.doc,
            "id": row.id,
            "project": row.project_id,
            "source_evaluation": row.source_evaluation_id,
            "evaluation": row.evaluation_id,
            "status": row.status,
            "deadline": row.deadline,
        }
    )
    return StoredItem(item, stamp(row))


def _values(item: RectificationItem) -> dict[str, Any]:
    doc = item.model_dump(mode="json", exclude=COLUMNS)  # dates as ISO text; no Decimal here
    return {
        "project_id": item.project,
        "source_evaluation_id": item.source_evaluation,
        "evaluation_id": item.evaluation,
        "status": item.status,
        "deadline": item.deadline,
        "doc": doc,
    }


class SqlRectification(VersionChecked):
    def get(self, item_id: str) -> StoredItem | None:
        row = self.session.get(Row, item_id)
        return _stored(row) if row is not None else None

    def _listed(self, *where: Any) -> list[StoredItem]:
        source = sa.orm.aliased(EvaluationRow)
        rows = self.session.scalars(
            sa.select(Row)
            .join(source, source.id == Row.source_evaluation_id)
            .where(*where)
            .order_by(source.year, Row.source_evaluation_id, Row.position, Row.id)
        )
        return [_stored(r) for r in rows]

    def carried_into(self, evaluation_id: str) -> list[StoredItem]:
        return self._listed(Row.evaluation_id == evaluation_id)

    def found_by(self, source_evaluation_id: str) -> list[StoredItem]:
        return self._listed(Row.source_evaluation_id == source_evaluation_id)

    def of_project(self, project_id: str) -> list[StoredItem]:
        return self._listed(Row.project_id == project_id)

    def open_found_by(self, source_evaluation_ids: Collection[str]) -> list[StoredItem]:
        ids, found = sorted(source_evaluation_ids), []
        for start in range(0, len(ids), CHUNK):  # a bounded IN list per query
            chunk = ids[start : start + CHUNK]
            found += self._listed(Row.source_evaluation_id.in_(chunk), Row.status.in_(sorted(OPEN)))
        return found

    def add(self, item: RectificationItem, position: int, actor: Actor) -> Stamp:
        return self._insert(Row(id=item.id, position=position, **_values(item)), actor, _what(item.id))

    def save(self, item: RectificationItem, expected_version: int, actor: Actor) -> Stamp:
        return self._update(Row, (Row.id == item.id,), expected_version, _values(item), actor, _what(item.id))
