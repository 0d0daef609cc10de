"""Database tables (SQLAlchemy 2 declarative), kept apart from the pydantic domain models.

Each domain object is stored as a JSON document (``doc``) next to the few columns that are
queried, joined or constrained.  A column is never also kept inside the document, so there is
one source of truth for every value.  Decimals are written into JSON as exact numbers (see
``storage.engine``), so 1905.2 comes back as ``Decimal('1905.2')``, never as a float.

Rows that two people may edit at once carry ``version`` (optimistic concurrency: an update
names the version it was based on and fails when it changed) and ``updated_at``/``updated_by``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Constraint names are fixed by convention so that migrations name them the same way on
# SQLite and PostgreSQL (Alembic needs names to alter or drop a constraint later).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Doc = dict[str, Any]


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def new_etag() -> str:
    return uuid.uuid4().hex


class DecimalText(sa.types.TypeDecorator[Decimal]):
    """A Decimal stored as its exact text: SQLite has no exact decimal type (its NUMERIC is a
    float), and a score must come back as it was computed."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute as is
        Doc: sa.JSON,
        datetime: sa.DateTime(timezone=True),
        str: sa.String(),
    }


class Stamped:
    """Who created and last changed a row, and when."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str]


class Versioned(Stamped):
    version: Mapped[int] = mapped_column(default=1)


class ProjectRow(Versioned, Base):
    """A project: its facts (``domain.project.Project``) and its ledger (``domain.ledger.Ledger``)."""

    __tablename__ = "projects"
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    year: Mapped[int]
    facts: Mapped[Doc]
    ledger: Mapped[Doc]


class SystemRow(Stamped, Base):
    """An indicator system; immutable once stored (evaluations refer to its codes)."""

    __tablename__ = "indicator_systems"
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    doc: Mapped[Doc]


class BandSetRow(Stamped, Base):
    """A grade-band set; immutable once stored, like an indicator system."""

    __tablename__ = "band_sets"
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    doc: Mapped[Doc]


class EvaluationRow(Versioned, Base):
    """An evaluation's header: every ``Evaluation`` field except scores, findings, recommendations.

    ``id``, ``project``, ``system``, ``bands``, ``year`` and ``status`` are columns; the rest
    (title, evaluator, basis, process, methods, ...) is the ``header`` document.
    """

    __tablename__ = "evaluations"
    # 待办 finds the evaluations still in work by status without reading their rows (0029); the
    # lists' order (newest year first) has an index too, below the class (0030).
    __table_args__ = (sa.Index("ix_evaluations_status_id", "status", "id"),)
    id: Mapped[str] = mapped_column(primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    system_id: Mapped[str] = mapped_column(sa.ForeignKey("indicator_systems.id"))
    band_set_id: Mapped[str] = mapped_column(sa.ForeignKey("band_sets.id"))
    year: Mapped[int]
    status: Mapped[str]
    header: Mapped[Doc]
    # A fresh random tag on every change to the evaluation or any of its parts (scores,
    # findings, recommendations): readers reuse a parsed copy while the tag is the same.
    etag: Mapped[str | None] = mapped_column(default=new_etag)
    # The scorecard's headline figures, written in the same transaction as every change that
    # can move them (``SqlEvaluations.write_totals``), so a list of evaluations never loads or
    # scores one.  Derived, not entered: ``grade`` NULL means "not computed yet" (a row restored
    # from an old backup), and readers then score that evaluation themselves.
    total: Mapped[Decimal | None] = mapped_column(DecimalText(), nullable=True)
    declared_total: Mapped[Decimal | None] = mapped_column(DecimalText(), nullable=True)
    grade: Mapped[str | None] = mapped_column(nullable=True)
    complete: Mapped[bool | None] = mapped_column(nullable=True)
    unscored: Mapped[bool | None] = mapped_column(nullable=True)
    scored_count: Mapped[int | None] = mapped_column(nullable=True)


# The sidebar picker's page of 50, in the lists' order, reads 50 index entries (0030).
sa.Index("ix_evaluations_year_id", EvaluationRow.year.desc(), EvaluationRow.id)


def _evaluation_fk() -> Mapped[str]:
    return mapped_column(sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True)


class ScoreRow(Versioned, Base):
    """What the evaluator recorded for one leaf indicator (``IndicatorScore``)."""

    __tablename__ = "indicator_scores"
    evaluation_id: Mapped[str] = _evaluation_fk()
    code: Mapped[str] = mapped_column(primary_key=True)
    doc: Mapped[Doc]


class FindingRow(Versioned, Base):
    """A problem found (``Finding`` without its id, which is a column); ordered by ``position``."""

    __tablename__ = "findings"
    evaluation_id: Mapped[str] = _evaluation_fk()
    id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    doc: Mapped[Doc]


class RecommendationRow(Versioned, Base):
    """A recommendation (``Recommendation`` without its id); ordered by ``position``."""

    __tablename__ = "recommendations"
    evaluation_id: Mapped[str] = _evaluation_fk()
    id: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    doc: Mapped[Doc]


class ProjectPeriodRow(Versioned, Base):
    """One year of a project: its indicator targets (``domain.multiyear.Period`` without the
    project and year, which are the key)."""

    __tablename__ = "project_periods"
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("projects.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    doc: Mapped[Doc]
