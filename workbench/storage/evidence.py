"""Evidence storage behind one interface: a local folder (default) or the database.

Bytes are content-addressed: the key is the SHA-256 of the content, in both backends, so a file
uploaded twice is stored once and a backup made on one backend restores onto the other.  Every
read checks the SHA-256 again, so a file changed on disk is refused, never served.

``WORKBENCH_EVIDENCE_BACKEND`` chooses: ``folder`` (default; ``WORKBENCH_EVIDENCE_DIR``, else an
``evidence`` folder next to the SQLite file, else data/evidence) or ``database`` (for several app
servers sharing one PostgreSQL: any server can serve any file).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workbench.errors import InvalidInput
from workbench.services.ports import EvidenceRecord
from workbench.services.ports.evidence import Listing
from workbench.storage.engine import ROOT
from workbench.storage.tables import EvaluationRow, aware
from workbench.storage.tables_security import EvidenceContentRow, EvidenceRow

ENV_BACKEND = "WORKBENCH_EVIDENCE_BACKEND"
ENV_DIR = "WORKBENCH_EVIDENCE_DIR"
BACKENDS = ("folder", "database")


@dataclass(frozen=True)
class EvidenceBackend:
    """Which store the evidence bytes go to; ``folder`` only for the folder backend."""

    kind: str = "folder"
    folder: Path | None = None

    def bind(self, session: Session) -> FolderFiles | DatabaseFiles:
        if self.kind == "database":
            return DatabaseFiles(session)
        assert self.folder is not None
        return FolderFiles(self.folder)


def evidence_backend(
    database_url: str, kind: str | None = None, folder: Path | None = None
) -> EvidenceBackend:
    """The configured backend: arguments, else the environment, else a folder beside the database."""
    chosen = (kind or os.environ.get(ENV_BACKEND, "") or "folder").strip().lower()
    if chosen not in BACKENDS:
        raise InvalidInput(
            f"佐证材料存储方式“{chosen}”无效（环境变量 {ENV_BACKEND}），可选：folder、database"
        )
    if chosen == "database":
        return EvidenceBackend("database")
    return EvidenceBackend("folder", Path(folder or _default_folder(database_url)).expanduser().resolve())


def _default_folder(database_url: str) -> Path:
    configured = os.environ.get(ENV_DIR, "").strip()
    if configured:
        return Path(configured)
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).parent / "evidence"
    return ROOT / "data" / "evidence"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FolderFiles:
    """data/evidence/ab/abcdef…: written through a temporary file, so a crash leaves no half file."""

    backend = "folder"

    def __init__(self, root: Path):
        self.root = root

    def path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise InvalidInput(f"佐证材料存储编号无效：{key[:80]}")
        return self.root / key[:2] / key

    def put(self, digest: str, data: bytes) -> str:
        target = self.path(digest)
        if target.is_file() and sha256(target.read_bytes()) == digest:
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, key: str) -> bytes | None:
        target = self.path(key)
        return target.read_bytes() if target.is_file() else None


class DatabaseFiles:
    """Bytes in the evidence_content table, written in the caller's transaction."""

    backend = "database"

    def __init__(self, session: Session):
        self.session = session

    def put(self, digest: str, data: bytes) -> str:
        exists = self.session.scalar(
            sa.select(EvidenceContentRow.sha256).where(EvidenceContentRow.sha256 == digest)
        )
        if exists is None:
            self.session.add(EvidenceContentRow(sha256=digest, size=len(data), data=data))
            self.session.flush()
        return digest

    def get(self, key: str) -> bytes | None:
        data = self.session.scalar(sa.select(EvidenceContentRow.data).where(EvidenceContentRow.sha256 == key))
        if isinstance(data, str):  # SQLite returns text if someone wrote text into the column
            return data.encode("utf-8", "surrogateescape")
        return None if data is None else bytes(data)


def _listing(code: bool) -> sa.Select[Any]:
    """The evaluation's project and its evidence (of one indicator with ``code``): built once
    (a page lists it on every rerun), on the tables, with ``w_id`` and ``w_code`` to fill."""
    evidence, evaluations = EvidenceRow.__table__.c, EvaluationRow.__table__.c
    joined = evidence.evaluation_id == evaluations.id
    if code:
        joined = sa.and_(joined, evidence.code == sa.bindparam("w_code"))
    return (
        sa.select(evaluations.project_id, *evidence)
        .select_from(EvaluationRow.__table__)
        .outerjoin(EvidenceRow.__table__, joined)
        .where(evaluations.id == sa.bindparam("w_id"))
        .order_by(evidence.code, evidence.id)
    )


_LISTING, _LISTING_CODE = _listing(False), _listing(True)


def _record(row: Any) -> EvidenceRecord:
    """An ``EvidenceRow``, or a row of its table's columns."""
    uploaded = aware(row.uploaded_at)
    assert uploaded is not None
    return EvidenceRecord(
        id=row.id,
        evaluation_id=row.evaluation_id,
        code=row.code,
        name=row.name,
        mime=row.mime,
        size=row.size,
        sha256=row.sha256,
        storage_key=row.storage_key,
        uploaded_by=row.uploaded_by,
        uploaded_at=uploaded,
        note=row.note,
    )


class SqlEvidence:
    def __init__(self, session: Session):
        self.session = session

    def add(self, record: EvidenceRecord) -> EvidenceRecord:
        values = {k: v for k, v in record.__dict__.items() if k != "id"}
        row = EvidenceRow(**values)
        self.session.add(row)
        self.session.flush()
        return _record(row)

    def get(self, evidence_id: int) -> EvidenceRecord | None:
        row = self.session.get(EvidenceRow, evidence_id)
        return None if row is None else _record(row)

    def list(self, evaluation_id: str, code: str | None = None) -> list[EvidenceRecord]:
        query = sa.select(EvidenceRow).where(EvidenceRow.evaluation_id == evaluation_id)
        if code is not None:
            query = query.where(EvidenceRow.code == code)
        return [_record(r) for r in self.session.scalars(query.order_by(EvidenceRow.code, EvidenceRow.id))]

    def listing(self, evaluation_id: str, code: str | None = None) -> Listing | None:
        if code is None:
            rows = self.session.execute(_LISTING, {"w_id": evaluation_id}).all()
        else:
            rows = self.session.execute(_LISTING_CODE, {"w_id": evaluation_id, "w_code": code}).all()
        if not rows:
            return None
        return rows[0].project_id, [_record(row) for row in rows if row.id is not None]

    def delete(self, evidence_id: int) -> None:
        self.session.execute(
            sa.delete(EvidenceRow).where(EvidenceRow.id == evidence_id),
            execution_options={"synchronize_session": False},
        )
