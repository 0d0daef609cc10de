"""Repositories of self-evaluations (with reconciliation notes) and expert panels (with sheets):
rows <-> the records of ``services.ports.review``.  Every write is version-checked."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from workbench.domain.selfeval import SelfEvaluation
from workbench.services.actors import Actor
from workbench.services.ports import (
    SelfEvaluationState,
    Stamp,
    StoredNote,
    StoredPanel,
    StoredSelfEvaluation,
    StoredSheet,
)
from workbench.storage.checked import VersionChecked, stamp
from workbench.storage.evaluation_totals import chunks
from workbench.storage.repository import to_doc
from workbench.storage.tables import aware, utcnow
from workbench.storage.tables_review import (
    ExpertPanelRow,
    ExpertSheetRow,
    ReconciliationNoteRow,
    SelfEvaluationRow,
)

SELF_EVALUATION = "自评表"


class SqlSelfEvaluations(VersionChecked):
    def present(self, evaluation_ids: Collection[str]) -> set[str]:
        column = SelfEvaluationRow.evaluation_id
        return set(self.session.scalars(sa.select(column).where(column.in_(list(evaluation_ids)))))

    def states(self, evaluation_ids: Collection[str]) -> dict[str, SelfEvaluationState]:
        row = SelfEvaluationRow
        columns = (row.submitted, row.submitted_at, row.submitted_by, row.returned_reason, row.returned_at)
        query = sa.select(row.evaluation_id, *columns, row.returned_by)
        found = {}
        for chunk in chunks(evaluation_ids):
            for eid, submitted, at, by, reason, back_at, back_by in self.session.execute(
                query.where(row.evaluation_id.in_(chunk))
            ):
                found[eid] = SelfEvaluationState(
                    bool(submitted), aware(at), by, reason or "", aware(back_at), back_by or ""
                )
        return found

    def get(self, evaluation_id: str) -> StoredSelfEvaluation | None:
        row = self.session.get(SelfEvaluationRow, evaluation_id)
        if row is None:
            return None
        return StoredSelfEvaluation(
            form=SelfEvaluation.model_validate(row.doc),
            stamp=stamp(row),
            submitted=row.submitted,
            submitted_at=aware(row.submitted_at),
            submitted_by=row.submitted_by,
            returned_reason=row.returned_reason,
            returned_at=aware(row.returned_at),
            returned_by=row.returned_by,
        )

    def save(self, evaluation_id: str, form: SelfEvaluation, expected_version: int, actor: Actor) -> Stamp:
        if expected_version == 0:
            row = SelfEvaluationRow(evaluation_id=evaluation_id, doc=to_doc(form), submitted=False)
            return self._insert(row, actor, SELF_EVALUATION)
        where = (SelfEvaluationRow.evaluation_id == evaluation_id,)
        return self._update(
            SelfEvaluationRow, where, expected_version, {"doc": to_doc(form)}, actor, SELF_EVALUATION
        )

    def submit(self, evaluation_id: str, expected_version: int, actor: Actor) -> Stamp:
        where = (SelfEvaluationRow.evaluation_id == evaluation_id,)
        values = {"submitted": True, "submitted_at": utcnow(), "submitted_by": actor.username}
        return self._update(SelfEvaluationRow, where, expected_version, values, actor, SELF_EVALUATION)

    def send_back(self, evaluation_id: str, reason: str, expected_version: int, actor: Actor) -> Stamp:
        where = (SelfEvaluationRow.evaluation_id == evaluation_id,)
        values = {
            "submitted": False,
            "submitted_at": None,
            "submitted_by": "",
            "returned_reason": reason,
            "returned_at": utcnow(),
            "returned_by": actor.username,
        }
        return self._update(SelfEvaluationRow, where, expected_version, values, actor, SELF_EVALUATION)

    def notes(self, evaluation_id: str) -> dict[str, StoredNote]:
        rows = self.session.scalars(
            sa.select(ReconciliationNoteRow).where(ReconciliationNoteRow.evaluation_id == evaluation_id)
        )
        return {r.code: StoredNote(r.code, r.note, stamp(r)) for r in rows}

    def save_note(
        self, evaluation_id: str, code: str, note: str, expected_version: int, actor: Actor
    ) -> Stamp | None:
        what = f"指标 {code} 的核对说明"
        where = (ReconciliationNoteRow.evaluation_id == evaluation_id, ReconciliationNoteRow.code == code)
        if not note.strip():
            if expected_version:
                self._delete(ReconciliationNoteRow, where, expected_version, what)
            return None
        if expected_version == 0:
            row = ReconciliationNoteRow(evaluation_id=evaluation_id, code=code, note=note)
            return self._insert(row, actor, what)
        return self._update(ReconciliationNoteRow, where, expected_version, {"note": note}, actor, what)


def _sheet(row: ExpertSheetRow) -> StoredSheet:
    scores = {code: Decimal(str(value)) for code, value in row.scores.items()}
    return StoredSheet(row.expert, row.expert_name, scores, stamp(row), aware(row.submitted_at))


class SqlPanels(VersionChecked):
    def present(self, evaluation_ids: Collection[str]) -> set[str]:
        column = ExpertPanelRow.evaluation_id
        return set(self.session.scalars(sa.select(column).where(column.in_(list(evaluation_ids)))))

    def awaiting(self, expert: str, evaluation_ids: Collection[str]) -> dict[str, bool]:
        panels = sa.select(ExpertPanelRow.evaluation_id, ExpertPanelRow.experts)
        named = [
            eid
            for chunk in chunks(evaluation_ids)
            for eid, experts in self.session.execute(panels.where(ExpertPanelRow.evaluation_id.in_(chunk)))
            if expert in (experts or ())
        ]
        sheets: dict[str, bool] = {}
        ours = sa.select(ExpertSheetRow.evaluation_id, ExpertSheetRow.submitted_at)
        for chunk in chunks(named):
            where = (ExpertSheetRow.expert == expert, ExpertSheetRow.evaluation_id.in_(chunk))
            sheets.update((eid, at is not None) for eid, at in self.session.execute(ours.where(*where)))
        return {eid: eid in sheets for eid in sorted(named) if not sheets.get(eid)}

    def get(self, evaluation_id: str) -> StoredPanel:
        row = self.session.get(ExpertPanelRow, evaluation_id)
        sheets = tuple(
            _sheet(r)
            for r in self.session.scalars(
                sa.select(ExpertSheetRow)
                .where(ExpertSheetRow.evaluation_id == evaluation_id)
                .order_by(ExpertSheetRow.created_at, ExpertSheetRow.expert)
            )
        )
        if row is None:
            return StoredPanel(sheets=sheets)
        return StoredPanel(
            method=row.method,  # type: ignore[arg-type]
            experts=tuple(row.experts or ()),
            applied=row.applied,
            stamp=stamp(row),
            sheets=sheets,
        )

    def save_panel(
        self, evaluation_id: str, changes: Mapping[str, Any], expected_version: int, actor: Actor
    ) -> Stamp:
        values = dict(changes)
        if "experts" in values:
            values["experts"] = list(values["experts"])
        if expected_version == 0:
            row = ExpertPanelRow(
                evaluation_id=evaluation_id,
                method=values.get("method", "mean"),
                experts=values.get("experts", []),
                applied=values.get("applied"),
            )
            return self._insert(row, actor, "专家组设置")
        where = (ExpertPanelRow.evaluation_id == evaluation_id,)
        return self._update(ExpertPanelRow, where, expected_version, values, actor, "专家组设置")

    def save_sheet(
        self,
        evaluation_id: str,
        expert: str,
        expert_name: str,
        scores: Mapping[str, Decimal],
        submitted_at: datetime | None,
        expected_version: int,
        actor: Actor,
    ) -> Stamp:
        what = f"专家“{expert_name}”的评分表"
        values = {"expert_name": expert_name, "scores": dict(scores), "submitted_at": submitted_at}
        if expected_version == 0:
            row = ExpertSheetRow(evaluation_id=evaluation_id, expert=expert, **values)
            return self._insert(row, actor, what)
        where = (ExpertSheetRow.evaluation_id == evaluation_id, ExpertSheetRow.expert == expert)
        return self._update(ExpertSheetRow, where, expected_version, values, actor, what)
