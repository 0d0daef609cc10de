"""Statements that name the version they are based on (optimistic concurrency).

An update or delete carries ``version == expected``; when another writer changed the row first,
no row matches and ``stale`` raises the Chinese conflict.  An insert of a key someone else just
inserted fails the same way.  Repositories inherit these instead of writing them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workbench.services.actors import Actor
from workbench.services.ports import Stamp, stale
from workbench.storage.tables import Versioned, aware, utcnow


def stamp(row: Versioned) -> Stamp:
    at = aware(row.updated_at)
    assert at is not None
    return Stamp(row.version, at, row.updated_by)


def version_slots(expected_version: int, actor: Actor) -> tuple[dict[str, Any], Stamp]:
    """The ``w_version``, ``v_version``, ``v_at`` and ``v_by`` slots of a prepared update (the
    row changed now by ``actor``) and the stamp it gives the row."""
    now = utcnow()
    slots = {
        "w_version": expected_version,
        "v_version": expected_version + 1,
        "v_at": now,
        "v_by": actor.username,
    }
    return slots, Stamp(expected_version + 1, now, actor.username)


class VersionChecked:
    def __init__(self, session: Session):
        self.session = session

    def _insert(self, row: Versioned, actor: Actor, what: str) -> Stamp:
        """Insert ``row`` as version 1, created and changed now by ``actor``."""
        now = utcnow()
        row.version, row.created_at, row.updated_at = 1, now, now
        row.created_by = row.updated_by = actor.username
        # Someone else inserted the same key first: the unit of work is rolled back as a whole.
        self.session.add(row)
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            raise stale(what) from exc
        return stamp(row)

    def _update(
        self,
        row_type: type[Versioned],
        where: tuple[Any, ...],
        expected_version: int,
        values: Mapping[str, Any],
        actor: Actor,
        what: str,
    ) -> Stamp:
        now = utcnow()
        result = self.session.execute(
            sa.update(row_type)
            .where(*where, row_type.version == expected_version)
            .values(**values, version=expected_version + 1, updated_at=now, updated_by=actor.username),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise stale(what)
        return Stamp(expected_version + 1, now, actor.username)

    def _update_prepared(
        self, statement: sa.Update, keys: Mapping[str, Any], expected_version: int, actor: Actor, what: str
    ) -> Stamp:
        """``_update`` with a statement built once (``storage.prepared``): its ``w_version``,
        ``v_version``, ``v_at`` and ``v_by`` slots are filled here, the rest from ``keys``."""
        stamped, saved = version_slots(expected_version, actor)
        result = self.session.execute(statement, {**keys, **stamped})
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise stale(what)
        return saved

    def _delete(
        self, row_type: type[Versioned], where: tuple[Any, ...], expected_version: int, what: str
    ) -> None:
        result = self.session.execute(
            sa.delete(row_type).where(*where, row_type.version == expected_version),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise stale(what)
