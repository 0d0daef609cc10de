"""The review aggregate of the in-memory unit of work (tests/service_fakes.py): self-evaluations
with their reconciliation notes, and expert panels with their sheets; and the evidence records.
Same promises as ``workbench/storage/review_repo.py`` and ``evidence.py``: every review write names the version it was based on (0 for "not
there yet") and raises ``Conflict`` when it changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from workbench.domain.selfeval import SelfEvaluation
from workbench.services.actors import Actor
from workbench.services.ports import (
    EvidenceRecord,
    SelfEvaluationState,
    Stamp,
    StoredEvaluation,
    StoredNote,
    StoredPanel,
    StoredSelfEvaluation,
    StoredSheet,
    stale,
)

SELF_EVALUATION = "自评表"
NOW = object()  # stands for the time of the write's own stamp


class ReviewState(Protocol):
    selfevals: dict[str, StoredSelfEvaluation]
    notes: dict[tuple[str, str], StoredNote]
    panels: dict[str, StoredPanel]

    def stamp(self, actor: Actor, version: int) -> Stamp: ...


def _check(current: Stamp | None, expected: int, what: str) -> None:
    if (current.version if current else 0) != expected:
        raise stale(what)


class FakeSelfEvaluations:
    def __init__(self, state: ReviewState):
        self.state = state

    def get(self, evaluation_id: str) -> StoredSelfEvaluation | None:
        return self.state.selfevals.get(evaluation_id)

    def present(self, evaluation_ids: Collection[str]) -> set[str]:
        return set(evaluation_ids) & set(self.state.selfevals)

    def states(self, evaluation_ids: Collection[str]) -> dict[str, SelfEvaluationState]:
        found = {i: self.state.selfevals[i] for i in set(evaluation_ids) & set(self.state.selfevals)}
        names = [f.name for f in fields(SelfEvaluationState)]
        return {i: SelfEvaluationState(**{n: getattr(s, n) for n in names}) for i, s in found.items()}

    def _write(self, evaluation_id: str, expected: int, actor: Actor, **changes: Any) -> Stamp:
        cur = self.state.selfevals.get(evaluation_id)
        if cur is None or cur.stamp.version != expected:
            raise stale(SELF_EVALUATION)
        new = self.state.stamp(actor, expected + 1)
        changes = {k: new.updated_at if v is NOW else v for k, v in changes.items()}
        self.state.selfevals[evaluation_id] = replace(cur, stamp=new, **changes)
        return new

    def save(self, evaluation_id: str, form: SelfEvaluation, expected_version: int, actor: Actor) -> Stamp:
        if expected_version == 0:
            if evaluation_id in self.state.selfevals:
                raise stale(SELF_EVALUATION)
            new = self.state.stamp(actor, 1)
            self.state.selfevals[evaluation_id] = StoredSelfEvaluation(form, new)
            return new
        return self._write(evaluation_id, expected_version, actor, form=form)

    def submit(self, evaluation_id: str, expected_version: int, actor: Actor) -> Stamp:
        return self._write(
            evaluation_id,
            expected_version,
            actor,
            submitted=True,
            submitted_at=NOW,
            submitted_by=actor.username,
        )

    def send_back(self, evaluation_id: str, reason: str, expected_version: int, actor: Actor) -> Stamp:
        return self._write(
            evaluation_id,
            expected_version,
            actor,
            submitted=False,
            submitted_at=None,
            submitted_by="",
            returned_reason=reason,
            returned_at=NOW,
            returned_by=actor.username,
        )

    def notes(self, evaluation_id: str) -> dict[str, StoredNote]:
        return {code: n for (eid, code), n in self.state.notes.items() if eid == evaluation_id}

    def save_note(
        self, evaluation_id: str, code: str, note: str, expected_version: int, actor: Actor
    ) -> Stamp | None:
        key = (evaluation_id, code)
        cur = self.state.notes.get(key)
        if not note.strip() and not expected_version:
            return None
        _check(cur.stamp if cur else None, expected_version, f"指标 {code} 的核对说明")
        if not note.strip():
            del self.state.notes[key]
            return None
        new = self.state.stamp(actor, expected_version + 1)
        self.state.notes[key] = StoredNote(code, note, new)
        return new


class FakePanels:
    def __init__(self, state: ReviewState):
        self.state = state

    def get(self, evaluation_id: str) -> StoredPanel:
        return self.state.panels.get(evaluation_id, StoredPanel())

    def present(self, evaluation_ids: Collection[str]) -> set[str]:
        return set(evaluation_ids) & set(self.state.panels)

    def awaiting(self, expert: str, evaluation_ids: Collection[str]) -> dict[str, bool]:
        named = sorted(
            i for i in set(evaluation_ids) & set(self.state.panels) if expert in self.get(i).experts
        )
        sheets = {i: self.get(i).sheet(expert) for i in named}
        return {i: sheet is not None for i, sheet in sheets.items() if sheet is None or not sheet.submitted}

    def save_panel(
        self, evaluation_id: str, changes: Mapping[str, Any], expected_version: int, actor: Actor
    ) -> Stamp:
        cur = self.get(evaluation_id)
        _check(cur.stamp, expected_version, "专家组设置")
        values = dict(changes)
        if "experts" in values:
            values["experts"] = tuple(values["experts"])
        new = self.state.stamp(actor, expected_version + 1)
        self.state.panels[evaluation_id] = replace(cur, **values, stamp=new)
        return new

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
        cur = self.get(evaluation_id)
        old = cur.sheet(expert)
        _check(old.stamp if old else None, expected_version, f"专家“{expert_name}”的评分表")
        new = self.state.stamp(actor, expected_version + 1)
        sheet = StoredSheet(expert, expert_name, dict(scores), new, submitted_at)
        if old is None:
            sheets = (*cur.sheets, sheet)
        else:
            sheets = tuple(sheet if s.expert == expert else s for s in cur.sheets)
        self.state.panels[evaluation_id] = replace(cur, sheets=sheets)
        return new


# --- evidence (not the review aggregate, but as small) ---------------------------------------


class EvidenceState(Protocol):
    evaluations: dict[str, StoredEvaluation]
    evidence: dict[int, EvidenceRecord]
    evidence_ids: list[int]  # the last id handed out, shared by every copy (a sequence)
    evidence_bytes: dict[str, bytes]


class FakeEvidence:
    def __init__(self, state: EvidenceState):
        self.state = state

    def add(self, record: EvidenceRecord) -> EvidenceRecord:
        self.state.evidence_ids[0] += 1
        saved = replace(record, id=self.state.evidence_ids[0])
        self.state.evidence[saved.id] = saved
        return saved

    def get(self, evidence_id: int) -> EvidenceRecord | None:
        return self.state.evidence.get(evidence_id)

    def list(self, evaluation_id: str, code: str | None = None) -> list[EvidenceRecord]:
        found = [
            r
            for r in self.state.evidence.values()
            if r.evaluation_id == evaluation_id and code in (None, r.code)
        ]
        return sorted(found, key=lambda r: (r.code, r.id))

    def listing(self, evaluation_id: str, code: str | None = None) -> tuple[str, list[EvidenceRecord]] | None:
        stored = self.state.evaluations.get(evaluation_id)
        return None if stored is None else (stored.evaluation.project, self.list(evaluation_id, code))

    def delete(self, evidence_id: int) -> None:
        self.state.evidence.pop(evidence_id, None)


class FakeEvidenceFiles:
    """Content-addressed bytes kept with the state (like the database backend: in the transaction)."""

    backend = "memory"

    def __init__(self, state: EvidenceState):
        self.state = state

    def put(self, sha256: str, data: bytes) -> str:
        self.state.evidence_bytes.setdefault(sha256, data)
        return sha256

    def get(self, key: str) -> bytes | None:
        return self.state.evidence_bytes.get(key)
