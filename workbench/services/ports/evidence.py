"""Evidence files (佐证材料) with their records, and the backup store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class EvidenceRecord:
    """An uploaded evidence file's description (the bytes are in the evidence store)."""

    id: int
    evaluation_id: str
    code: str
    name: str
    mime: str
    size: int
    sha256: str
    storage_key: str
    uploaded_by: str
    uploaded_at: datetime
    note: str = ""

    @property
    def citation(self) -> str:
        """How a deduction cites it (``Deduction.evidence``), e.g. "EV12 合同.pdf"."""
        return f"EV{self.id} {self.name}"


Listing = tuple[str, list[EvidenceRecord]]  # an evaluation's project id and evidence records


class EvidenceRepository(Protocol):
    def add(self, record: EvidenceRecord) -> EvidenceRecord: ...
    def get(self, evidence_id: int) -> EvidenceRecord | None: ...
    def list(self, evaluation_id: str, code: str | None = None) -> list[EvidenceRecord]: ...
    def listing(self, evaluation_id: str, code: str | None = None) -> Listing | None:
        """The evaluation's project id and ``list``'s records, in one query (None: no such
        evaluation)."""

    def delete(self, evidence_id: int) -> None: ...


class EvidenceFiles(Protocol):
    """Where evidence bytes live: a folder, or the database; the key is the content's SHA-256."""

    backend: str

    def put(self, sha256: str, data: bytes) -> str: ...
    def get(self, key: str) -> bytes | None: ...


class BackupStore(Protocol):
    """Whole-database backup and restore (``storage.backup``)."""

    def write(self, out: Path, created_by: str) -> dict[str, Any]:
        """Write the backup zip; returns its manifest."""

    def read(self, path: Path) -> Any:
        """The verified contents of a backup zip (``InvalidInput`` when it does not verify)."""

    def replace_all(self, contents: Any) -> None:
        """Replace every row and evidence file with the backup's, in this transaction."""
