"""Backup and restore (系统管理员, or the command line): the database and the evidence in one zip.

See ``storage.backup`` for the format.  ``restore_backup`` verifies the whole file (its signature
under the server's key first) before it changes anything and replaces everything in one
transaction.  The audit log is not rewound: its records stay, and the restore is recorded after
them with what the backup did not contain — how many records were written after the backup was
made (kept), or that the backup's own records come from another chain (summarised by their
count and newest hash).  A refused restore is audited too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import InvalidInput, NotFound
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.ports import FAILURE, AuditFilter, UnitOfWork
from workbench.services.trail import entry, record


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
        try:
            contents = uow.backup.read(path)
            continuity = _continuity(uow, contents.tables["audit_log"])
            uow.backup.replace_all(contents)
            for row in uow.evaluations.listings():  # a backup made before totals were stored
                if row.totals is None:
                    uow.evaluations.refresh_totals(row.id)
        except InvalidInput as exc:
            detail = "；".join(exc.messages)[:500]
            exc.audit_entry = entry(actor, "恢复备份", f"备份文件 {path}", result=FAILURE, detail=detail)  # type: ignore[attr-defined]
            raise
        summary = _summary(path, contents.manifest)
        after = {
            "file": str(path),
            "created_at": summary.created_at,
            "tables": summary.tables,
            "audit": continuity,
        }
        record(uow, actor, "恢复备份", "数据库与佐证材料", after=after, detail=continuity["note"])
        uow.commit()
    uow.caches.clear()  # everything was replaced: nothing read before the restore is kept
    return summary


def _continuity(uow: UnitOfWork, backed_up: list[dict[str, Any]]) -> dict[str, Any]:
    """How the backup's audit records relate to the log in the database (which is kept)."""
    page, _ = uow.audit.query(AuditFilter(), 1, 0)
    head = page[0] if page else None
    theirs = backed_up[-1] if backed_up else None
    out: dict[str, Any] = {
        "backup_records": len(backed_up),
        "backup_head": {"seq": theirs["seq"], "hash": theirs["hash"]} if theirs else None,
        "log_head": {"seq": head.seq, "hash": head.hash} if head else None,
    }
    if head is None:
        out["note"] = f"审计日志原为空：写入备份中的 {len(backed_up)} 条审计记录"
    elif theirs is None:
        out["note"] = f"备份中没有审计记录；保留现有 {head.seq} 条审计记录"
    elif (mine := uow.audit.at(int(theirs["seq"]))) is not None and mine.hash == theirs["hash"]:
        later = head.seq - theirs["seq"]
        out["note"] = (
            f"备份截至审计记录第 {theirs['seq']} 条；此后的 {later} 条记录（第 {theirs['seq'] + 1}–{head.seq} 条，"
            "备份中没有）保留在审计日志中，未回退"
        )
    else:
        out["note"] = (
            f"备份中的 {len(backed_up)} 条审计记录（链尾第 {theirs['seq']} 条，哈希 {theirs['hash'][:16]}）"
            f"与本库的审计链不同，未并入；保留本库现有 {head.seq} 条审计记录"
        )
    return out
