"""The statements of a score's save, built once and run with new values (Core, on the tables).

Saving a score is what evaluators do all day, and every page run after an edit pays for it. A
statement written where it runs (``sa.update(ScoreRow).where(...)``) is built anew each time,
its cache key computed again, and, naming mapped classes, goes through the ORM's bulk-update
layer; one built once on the tables, with ``bindparam`` slots, skips all three (its cache key is
kept with it).  The SQL sent is the same: the version checks, the etag and the totals as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from workbench.services.ports import Totals
from workbench.storage.security_repo import role_stamp
from workbench.storage.tables import BandSetRow, EvaluationRow, ProjectRow, ScoreRow, SystemRow
from workbench.storage.tables_security import AuditRow

_SCORES: sa.Table = ScoreRow.__table__  # type: ignore[assignment]
_EVALUATIONS: sa.Table = EvaluationRow.__table__  # type: ignore[assignment]
_PROJECTS: sa.Table = ProjectRow.__table__  # type: ignore[assignment]
_SYSTEMS: sa.Table = SystemRow.__table__  # type: ignore[assignment]
_BANDS: sa.Table = BandSetRow.__table__  # type: ignore[assignment]
TOTALS = tuple(f.name for f in dataclasses.fields(Totals))

# One indicator's score, if it is still the version the evaluator saw.
SCORE_UPDATE = (
    sa.update(_SCORES)
    .where(
        _SCORES.c.evaluation_id == sa.bindparam("w_evaluation"),
        _SCORES.c.code == sa.bindparam("w_code"),
        _SCORES.c.version == sa.bindparam("w_version"),
    )
    .values(
        doc=sa.bindparam("v_doc"),
        version=sa.bindparam("v_version"),
        updated_at=sa.bindparam("v_at"),
        updated_by=sa.bindparam("v_by"),
    )
)

# A new etag for an evaluation: if it still has the one this unit of work read (with the totals
# computed against it, or without), or whatever it has.
_WHERE_ID = _EVALUATIONS.c.id == sa.bindparam("w_id")
_WHERE_SEEN = (_WHERE_ID, _EVALUATIONS.c.etag == sa.bindparam("w_etag"))
TOUCH_SEEN = sa.update(_EVALUATIONS).where(*_WHERE_SEEN).values(etag=sa.bindparam("v_etag"))
TOUCH_SEEN_TOTALS = (
    sa.update(_EVALUATIONS)
    .where(*_WHERE_SEEN)
    .values(etag=sa.bindparam("v_etag"), **{name: sa.bindparam(f"v_{name}") for name in TOTALS})
)
TOUCH = sa.update(_EVALUATIONS).where(_WHERE_ID).values(etag=sa.bindparam("v_etag"))

# An evaluation's etag with the tags of its project, indicator system and bands, and the role
# table's stamp (one query).
TAGS = (
    sa.select(
        _EVALUATIONS.c.etag,
        _EVALUATIONS.c.project_id,
        _EVALUATIONS.c.system_id,
        _EVALUATIONS.c.band_set_id,
        _PROJECTS.c.version,
        _PROJECTS.c.updated_at,
        _SYSTEMS.c.content_hash.label("system_hash"),
        _BANDS.c.content_hash.label("bands_hash"),
        role_stamp().label("roles"),  # what the permission checks around the read decide by
    )
    .select_from(_EVALUATIONS)
    .outerjoin(_PROJECTS, _PROJECTS.c.id == _EVALUATIONS.c.project_id)
    .outerjoin(_SYSTEMS, _SYSTEMS.c.id == _EVALUATIONS.c.system_id)
    .outerjoin(_BANDS, _BANDS.c.id == _EVALUATIONS.c.band_set_id)
    .where(_EVALUATIONS.c.id == sa.bindparam("w_id"))
)

AUDIT_INSERT = sa.insert(AuditRow.__table__)  # type: ignore[arg-type]


def touch_values(evaluation_id: str, etag: str, seen: str, totals: Totals | None) -> dict[str, Any]:
    """The parameters of ``TOUCH_SEEN`` (``TOUCH_SEEN_TOTALS`` with ``totals``)."""
    values = {"w_id": evaluation_id, "w_etag": seen, "v_etag": etag}
    if totals is not None:
        values.update({f"v_{name}": getattr(totals, name) for name in TOTALS})
    return values


def _score_and_touch(totals: bool) -> sa.Select[tuple[int, int]]:
    """PostgreSQL: ``SCORE_UPDATE`` and ``TOUCH_SEEN`` (``TOUCH_SEEN_TOTALS``) in one statement,
    the tag renewed only when the score was written; it answers how many rows each changed."""
    scored = SCORE_UPDATE.returning(sa.literal(1).label("one")).cte("scored")
    touch = TOUCH_SEEN_TOTALS if totals else TOUCH_SEEN
    touched = (
        touch.where(sa.exists(sa.select(scored.c.one))).returning(sa.literal(1).label("one")).cte("touched")
    )
    count = sa.func.count
    return sa.select(
        sa.select(count()).select_from(scored).scalar_subquery(),
        sa.select(count()).select_from(touched).scalar_subquery(),
    )


SCORE_AND_TOUCH = _score_and_touch(totals=False)
SCORE_AND_TOUCH_TOTALS = _score_and_touch(totals=True)
