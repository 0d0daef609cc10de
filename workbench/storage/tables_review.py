"""Tables of the unit's self-evaluation, the evaluator's reconciliation notes and expert panels
(issue 6).  They share ``tables.Base``, so one metadata and one Alembic history cover them.

* ``self_evaluations``: one 自评表 per evaluation, the whole form (funds block, goals, rows) as the
  ``doc`` of ``domain.selfeval.SelfEvaluation``; submitted flag, when and by whom.
* ``reconciliation_notes``: the evaluator's 核对说明 for one indicator of the comparison (the code
  is the self-evaluation's leaf code, as ``domain.selfeval_review`` numbers the rows).
* ``expert_panels``: the method chosen for the evaluation (mean | trimmed_mean), the experts named
  for it (empty: any account holding ``panel.score``) and, once applied, how and by whom.
* ``expert_sheets``: one expert's scores (leaf code -> 得分) and when the sheet was submitted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workbench.storage.tables import Base, Doc, Versioned


def _evaluation_key() -> Mapped[str]:
    return mapped_column(sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True)


class SelfEvaluationRow(Versioned, Base):
    __tablename__ = "self_evaluations"
    evaluation_id: Mapped[str] = _evaluation_key()
    doc: Mapped[Doc]
    submitted: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    submitted_by: Mapped[str] = mapped_column(default="")
    # Why, when and by whom the evaluation team last sent a submitted form back (revision 0006).
    returned_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    returned_at: Mapped[datetime | None]
    returned_by: Mapped[str] = mapped_column(default="", server_default="")


class ReconciliationNoteRow(Versioned, Base):
    __tablename__ = "reconciliation_notes"
    evaluation_id: Mapped[str] = _evaluation_key()
    code: Mapped[str] = mapped_column(primary_key=True)
    note: Mapped[str] = mapped_column(sa.Text)


class ExpertPanelRow(Versioned, Base):
    __tablename__ = "expert_panels"
    evaluation_id: Mapped[str] = _evaluation_key()
    method: Mapped[str]
    experts: Mapped[list[str]] = mapped_column(sa.JSON)  # usernames; empty: anyone with panel.score
    applied: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))


class ExpertSheetRow(Versioned, Base):
    __tablename__ = "expert_sheets"
    evaluation_id: Mapped[str] = _evaluation_key()
    expert: Mapped[str] = mapped_column(primary_key=True)  # username
    expert_name: Mapped[str]  # display name when the sheet was last saved
    scores: Mapped[Doc]
    submitted_at: Mapped[datetime | None]
