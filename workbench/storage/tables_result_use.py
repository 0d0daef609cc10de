"""Tables of 结果应用:

* ``result_use_overrides``: the advice a person chose instead of the suggested one
  (``domain.result_use.AdviceRule`` as ``doc``) and the reason they gave; it hangs off an
  evaluation and goes with it (ON DELETE CASCADE).
* ``om_scores``: a project's 运维考评得分 of one year (``domain.result_use.OmScore`` as ``doc``),
  the figure the contract pays the year's remainder by; it goes with the project.
"""

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


class OmScoreRow(Versioned, Base):
    __tablename__ = "om_scores"
    project_id: Mapped[str] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    doc: Mapped[Doc]
