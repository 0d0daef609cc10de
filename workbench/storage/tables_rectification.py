"""The 整改台账 table (issue 15): one row per 整改 item.

``rectification_items``: the item's id; the project, the evaluation that found the problem
(``source_evaluation_id``) and the next year's evaluation that accounts for it
(``evaluation_id``, empty until it exists) as columns, with ``status`` and ``deadline`` for
querying (open items, overdue items); every other field of ``domain.rectification
.RectificationItem`` (title, measures, progress, evidence, history...) is the ``doc``.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workbench.storage.tables import Base, Doc, Versioned


class RectificationItemRow(Versioned, Base):
    __tablename__ = "rectification_items"
    id: Mapped[str] = mapped_column(primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    source_evaluation_id: Mapped[str] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    evaluation_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str]
    deadline: Mapped[date] = mapped_column(sa.Date)
    position: Mapped[int]  # the finding's place in the source evaluation
    doc: Mapped[Doc]
