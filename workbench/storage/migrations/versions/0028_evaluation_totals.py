"""Each evaluation keeps its scorecard's headline figures: total, declared total, grade, complete,
unscored, number of indicators scored.

Revision ID: 0028_evaluation_totals
Revises: 0024_cookie_nonces
Create Date: 2026-12-07

Lists of evaluations read these columns instead of loading and scoring every evaluation; every
save that can move them rewrites them in the same transaction (``storage.evaluation_totals``).
The backfill scores each existing evaluation once, with today's scoring rules, reading the rows
through plain table definitions (the columns as they are at this revision).  An evaluation whose
stored documents cannot be scored gets the grade 无法计分, as the list showed it before.
Plain ADD COLUMNs, all nullable: on SQLite a rebuild of ``evaluations`` would cascade-delete
its scores (see 0004_evaluation_etag).
"""

import dataclasses
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0028_evaluation_totals"
down_revision: str | Sequence[str] | None = "0027_result_use"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("total", sa.String()),
    ("declared_total", sa.String()),
    ("grade", sa.String()),
    ("complete", sa.Boolean()),
    ("unscored", sa.Boolean()),
    ("scored_count", sa.Integer()),
)

evaluations = sa.table(
    "evaluations",
    *(sa.column(name, kind) for name, kind in COLUMNS),
    sa.column("id", sa.String()),
    sa.column("project_id", sa.String()),
    sa.column("system_id", sa.String()),
    sa.column("band_set_id", sa.String()),
    sa.column("year", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("header", sa.JSON()),
)
scores = sa.table(
    "indicator_scores", sa.column("evaluation_id", sa.String()), sa.column("code", sa.String()), sa.column("doc", sa.JSON())
)
systems = sa.table("indicator_systems", sa.column("id", sa.String()), sa.column("doc", sa.JSON()))
band_sets = sa.table("band_sets", sa.column("id", sa.String()), sa.column("doc", sa.JSON()))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("evaluations", sa.Column(name, kind, nullable=True))
    conn = op.get_bind()
    for evaluation_id, values in _backfill(conn):
        conn.execute(evaluations.update().where(evaluations.c.id == evaluation_id).values(values))


def _backfill(conn: sa.Connection) -> Any:
    """(id, column values) for every stored evaluation, scored one at a time."""
    from workbench.domain.evaluation import Evaluation
    from workbench.domain.grading import BandSet
    from workbench.domain.indicators import IndicatorSystem
    from workbench.services.ports import Totals

    parsed: dict[tuple[str, str], Any] = {}

    def model(table: sa.TableClause, kind: Any, item_id: str) -> Any:
        if (table.name, item_id) not in parsed:
            doc = conn.scalar(sa.select(table.c.doc).where(table.c.id == item_id))
            parsed[(table.name, item_id)] = None if doc is None else kind.model_validate(doc)
        return parsed[(table.name, item_id)]

    rows = conn.execute(
        sa.select(evaluations.c.id, evaluations.c.project_id, evaluations.c.system_id, evaluations.c.band_set_id)
        .add_columns(evaluations.c.year, evaluations.c.status, evaluations.c.header)
    ).all()
    for row in rows:
        found = conn.execute(sa.select(scores.c.code, scores.c.doc).where(scores.c.evaluation_id == row.id))
        data = {
            **(row.header or {}),
            **{"id": row.id, "project": row.project_id, "system": row.system_id, "bands": row.band_set_id},
            **{"year": row.year, "status": row.status, "scores": dict(found.all())},
        }
        try:
            ev = Evaluation.model_validate(data)
            system = model(systems, IndicatorSystem, row.system_id)
            bands = model(band_sets, BandSet, row.band_set_id)
            totals = Totals.of(None) if system is None or bands is None else Totals.scored(system, ev, bands)
        except ValueError:  # pydantic's ValidationError: a document the models refuse today
            totals = Totals.of(None)
        values = dataclasses.asdict(totals)
        for money in ("total", "declared_total"):
            values[money] = None if values[money] is None else str(values[money])
        yield row.id, values


def downgrade() -> None:
    for name, _kind in reversed(COLUMNS):
        op.execute(f"ALTER TABLE evaluations DROP COLUMN {name}")  # native on SQLite ≥ 3.35
