"""The table of 结果应用 overrides (``result_use_overrides``): the advice a person chose instead
of the suggested one (``domain.result_use.AdviceRule`` as ``doc``) and the reason they gave.
It hangs off an evaluation and goes with it (ON DELETE CASCADE)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workbench.storage.tables import Base, Doc, Versioned


class ResultUseRow(Versioned, Base):
    __tablename__ = "result_use_overrides"
    evaluation_id: Mapped[str] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    doc: Mapped[Doc]
    reason: Mapped[str] = mapped_column(sa.Text)
