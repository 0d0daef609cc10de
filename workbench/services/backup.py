"""Backup and restore (系统管理员, or the command line): the database and the evidence in one zip.

See ``storage.backup`` for the format.  ``restore_backup`` verifies the whole file before it
changes anything and replaces everything in one transaction; the restore itself is then the
newest record of the (restored) audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import InvalidInput, NotFound
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork
from workbench.services.trail import record


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: dict[str, int]
    evidence_files: int
    missing_evidence: list[str]
    created_at: str
    schema_revision: str


def _summary(path: Path, manifest: dict[str, Any]) -> BackupSummary:
    evidence = manifest.get("evidence", {})
    return BackupSummary(
        path=path,
        tables=dict(manifest.get("tables", {})),
        evidence_files=int(evidence.get("files", 0)),
        missing_evidence=list(evidence.get("missing", [])),
        created_at=str(manifest.get("created_at", "")),
        schema_revision=str(manifest.get("schema_revision", "")),
    )


def create_backup(uow: UnitOfWork, actor: Actor, out: Path) -> BackupSummary:
    """Write a backup zip of every table and evidence file to ``out`` (replaced only when complete)."""
    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise InvalidInput(f"备份文件名须以 .zip 结尾：{out}")
    if not out.parent.is_dir():
        raise NotFound(f"备份目录不存在：{out.parent}")
    with uow:
        require(uow, actor, "backup.run", what="备份")
        manifest = uow.backup.write(out, actor.username)
        summary = _summary(out, manifest)
        record(
            uow,
            actor,
            "备份",
            "数据库与佐证材料",
            after={"file": str(out), "tables": summary.tables, "evidence": summary.evidence_files},
        )
        uow.commit()
    return summary


def restore_backup(uow: UnitOfWork, actor: Actor, path: Path) -> BackupSummary:
    """Replace the database's content (and evidence) with the backup's, whole or not at all."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"找不到备份文件：{path}")
    with uow:
        require(uow, actor, "backup.run", what="恢复备份")
        contents = uow.backup.read(path)
        uow.backup.replace_all(contents)
        summary = _summary(path, contents.manifest)
        record(
            uow,
            actor,
            "恢复备份",
            "数据库与佐证材料",
            after={"file": str(path), "created_at": summary.created_at, "tables": summary.tables},
        )
        uow.commit()
    return summary
