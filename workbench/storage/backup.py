"""Backup and restore of the whole workbench: every table and every evidence file in one zip.

The format is portable between SQLite and PostgreSQL: each table as JSON (``tables/<name>.json``,
Decimals exact), each evidence file by its SHA-256 (``evidence/<sha256>``), and ``manifest.json``
with the schema revision, row counts and the SHA-256 of every other member.  The rows are read
from one consistent snapshot: SQLite's online backup API copies the live database to a temporary
file first; on PostgreSQL the dump runs in one REPEATABLE READ read-only transaction.

The manifest is signed: ``manifest.sig`` holds its HMAC-SHA256 under a key derived from the
server's secret key (kept outside the database), so a backup cannot be forged or altered by
someone who can write zip files but has not the key; restoring needs the same key.

A restore checks everything before it writes anything (signature, manifest, every checksum,
schema revision, the keyed audit chain inside the backup, a role table that keeps 三员分立 and
accounts whose roles exist, evidence present) and then replaces all rows in one transaction: it
succeeds whole or leaves the database as it was.  The audit log is never rewound: the records
already in the database stay (the service records the restore and what the backup did not
contain); only into an empty log are the backup's records written.  Sign-in sessions are not
backed up: a restore ends them all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from workbench.domain.audit import AuditRecord, verify_chain
from workbench.domain.messages import first_error
from workbench.domain.permissions import RoleTable
from workbench.errors import InvalidInput
from workbench.security import tokens
from workbench.storage.audit_log import chain_key, lock_chain
from workbench.storage.engine import create_engine, dumps, loads, safe_url
from workbench.storage.evidence import DatabaseFiles, FolderFiles
from workbench.storage.tables import Base

FORMAT, VERSION = "workbench-backup", 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CONTENT_TABLE = "evidence_content"  # its bytes travel as evidence/ files, not as JSON
NOT_BACKED_UP = frozenset({CONTENT_TABLE, "login_sessions", "cookie_nonces"})


@dataclass
class BackupContents:
    """A verified backup, read into memory, ready to restore."""

    manifest: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    evidence: dict[str, bytes] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def data_tables() -> list[sa.Table]:
    """Every table of the schema, parents before children, without the evidence bytes."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def backup_key() -> bytes:
    return tokens.derived_key("backup")


def signature(manifest: bytes) -> str:
    return hmac.new(backup_key(), manifest, hashlib.sha256).hexdigest()


# --- writing -----------------------------------------------------------------------------------


class SqlBackup:
    def __init__(self, session: Session, files: FolderFiles | DatabaseFiles):
        self.session = session
        self.files = files

    def write(self, out: Path, created_by: str) -> dict[str, Any]:
        """Write the backup zip to ``out`` (through a temporary file); returns its manifest."""
        with self._snapshot() as conn:
            tables = {
                t.name: [_plain_row(t, r) for r in conn.execute(sa.select(t).order_by(*t.primary_key))]
                for t in data_tables()
            }
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        keys = sorted({row["storage_key"] for row in tables.get("evidence", [])})
        members: dict[str, str] = {}
        missing: list[str] = []
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name, rows in tables.items():
                    members[f"tables/{name}.json"] = _put(
                        archive, f"tables/{name}.json", dumps(rows).encode()
                    )
                for key in keys:
                    data = self.files.get(key)
                    if data is None or hashlib.sha256(data).hexdigest() != key:
                        missing.append(key)
                        continue
                    members[f"evidence/{key}"] = _put(archive, f"evidence/{key}", data)
                manifest = _manifest(self.session, created_by, revision, tables, keys, missing, members)
                raw = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                archive.writestr(MANIFEST, raw)
                archive.writestr(SIGNATURE, signature(raw))
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return manifest

    @contextmanager
    def _snapshot(self) -> Iterator[sa.Connection]:
        engine = self.session.get_bind()
        if engine.dialect.name != "sqlite":  # a connection of its own: one snapshot, read only
            with engine.connect() as conn:
                conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                    yield conn
            return
        live = self.session.connection().connection.driver_connection
        with tempfile.TemporaryDirectory(prefix="wb-backup-") as folder:
            copy = sqlite3.connect(Path(folder) / "snapshot.db")
            try:
                live.backup(copy)  # the online backup API: a consistent copy of the live database
            finally:
                copy.close()
            engine = create_engine(f"sqlite:///{Path(folder) / 'snapshot.db'}")
            try:
                with engine.connect() as conn:
                    yield conn
            finally:
                engine.dispose()

    # --- restoring -----------------------------------------------------------------------------

    @staticmethod
    def read(path: Path) -> BackupContents:
        return read_backup(path)

    def replace_all(self, contents: BackupContents) -> None:
        """Replace every row with the backup's, in the caller's transaction (the caller commits).
        The audit log keeps its records (the backup's are written only into an empty log)."""
        lock_chain(self.session)
        for name in ("cookie_nonces", "login_sessions"):
            self.session.execute(Base.metadata.tables[name].delete())
        keep_log = self.session.execute(sa.text("SELECT COUNT(*) FROM audit_log")).scalar() != 0
        tables = [t for t in data_tables() if not (keep_log and t.name == "audit_log")]
        for table in reversed(tables):
            if table.name != "audit_log":
                self.session.execute(table.delete())
        if isinstance(self.files, DatabaseFiles):
            self.session.execute(Base.metadata.tables[CONTENT_TABLE].delete())
        for key, data in contents.evidence.items():
            self.files.put(key, data)
        for table in tables:
            self._insert(table, [_typed_row(table, r) for r in contents.tables.get(table.name, [])])
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('evidence', 'id'), COALESCE((SELECT MAX(id) FROM evidence), 0) + 1, false)"
                )
            )
        self.session.flush()

    def _insert(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        try:
            for start in range(0, len(rows), 500):
                self.session.execute(table.insert(), rows[start : start + 500])
        except (sa.exc.IntegrityError, sa.exc.DataError, sa.exc.StatementError, ValueError) as exc:
            raise InvalidInput(
                f"备份中表 {table.name} 的数据不能写入数据库（{_reason(exc)}）；未做任何改动"
            ) from exc


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0][:200]


def _put(archive: zipfile.ZipFile, name: str, data: bytes) -> str:
    archive.writestr(name, data)
    return hashlib.sha256(data).hexdigest()


def _manifest(
    session: Session,
    created_by: str,
    revision: str | None,
    tables: dict[str, list[dict[str, Any]]],
    keys: list[str],
    missing: list[str],
    members: dict[str, str],
) -> dict[str, Any]:
    bind = session.get_bind()
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "created_by": created_by,
        "source": {
            "backend": bind.dialect.name,
            "database": safe_url(bind.url.render_as_string(hide_password=True)),
        },
        "schema_revision": revision,
        "tables": {name: len(rows) for name, rows in tables.items()},
        "evidence": {"files": len(keys) - len(missing), "missing": missing},
        "files": members,
    }


def _plain_row(table: sa.Table, row: sa.Row) -> dict[str, Any]:
    out = {}
    for column, value in zip(table.columns, row, strict=True):
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
        elif isinstance(value, bytes | memoryview):
            value = base64.b64encode(bytes(value)).decode()
        out[column.name] = value
    return out


def _typed_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, sa.DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, sa.LargeBinary):
            value = base64.b64decode(value)
        out[column.name] = value
    return out


# --- reading and verifying ---------------------------------------------------------------------


def read_backup(path: Path) -> BackupContents:
    """The backup at ``path``, verified; ``InvalidInput`` naming the first thing that is wrong."""
    shown = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"备份文件 {shown} 无法读取或不是工作台的备份（zip）文件") from exc
    with archive:
        _check_signature(archive, shown)
        manifest = _read_manifest(archive, shown)
        members = _verified_members(archive, manifest, shown)
    tables = {
        name[len("tables/") : -len(".json")]: loads(data)
        for name, data in members.items()
        if name.startswith("tables/")
    }
    evidence = {
        name[len("evidence/") :]: data for name, data in members.items() if name.startswith("evidence/")
    }
    contents = BackupContents(manifest, tables, evidence)
    _check_contents(contents, shown)
    return contents


def _check_signature(archive: zipfile.ZipFile, shown: str) -> None:
    """The manifest's HMAC under this server's key, checked before anything else is read."""
    try:
        raw, signed = archive.read(MANIFEST), archive.read(SIGNATURE).decode("ascii", "replace").strip()
    except KeyError as exc:
        raise InvalidInput(
            f"备份文件 {shown} 没有签名（缺少 {MANIFEST} 或 {SIGNATURE}）：不是本工作台生成的备份，或已被改动，不能恢复"
        ) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInput(f"备份文件 {shown} 的清单已损坏，不能恢复") from exc
    if not hmac.compare_digest(signature(raw), signed):
        raise InvalidInput(
            f"备份文件 {shown} 的签名不符：清单被改动过，或备份由使用另一把服务器密钥（WORKBENCH_SECRET_KEY）"
            "的工作台生成，不能恢复"
        )


def _read_manifest(archive: zipfile.ZipFile, shown: str) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise InvalidInput(f"备份文件 {shown} 缺少有效的清单（{MANIFEST}），不能恢复") from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != VERSION
    ):
        raise InvalidInput(f"备份文件 {shown} 不是本工作台可识别的备份格式")
    from workbench.storage import migrate  # Alembic only for those who restore or migrate

    if manifest.get("schema_revision") != migrate.head():
        raise InvalidInput(
            f"备份的数据库结构版本为“{manifest.get('schema_revision')}”，本程序为“{migrate.head()}”："
            "请用生成该备份的同一版本程序恢复"
        )
    return manifest


def _verified_members(archive: zipfile.ZipFile, manifest: dict[str, Any], shown: str) -> dict[str, bytes]:
    listed: dict[str, str] = manifest.get("files") or {}
    present = set(archive.namelist()) - {MANIFEST, SIGNATURE}
    extra = sorted(present - set(listed))
    if extra:
        raise InvalidInput(f"备份文件 {shown} 含有清单未列出的内容（{extra[0]}），可能被改动，不能恢复")
    out = {}
    for name, digest in listed.items():
        try:
            data = archive.read(name)
        except KeyError as exc:
            raise InvalidInput(f"备份文件 {shown} 缺少清单列出的 {name}，不能恢复") from exc
        except zipfile.BadZipFile as exc:
            raise InvalidInput(f"备份文件 {shown} 中的 {name} 已损坏，不能恢复") from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise InvalidInput(
                f"备份文件 {shown} 中的 {name} 与清单的 SHA-256 不符，可能已损坏或被改动，不能恢复"
            )
        out[name] = data
    return out


def _check_contents(contents: BackupContents, shown: str) -> None:
    known = {t.name for t in data_tables()}
    unknown = sorted(set(contents.tables) - known)
    if unknown or set(contents.tables) != known:
        raise InvalidInput(
            f"备份文件 {shown} 的数据表与本程序不一致（{'、'.join(unknown or sorted(known - set(contents.tables)))}），不能恢复"
        )
    report = verify_chain((AuditRecord(**row) for row in contents.tables["audit_log"]), chain_key())
    if not report.ok:
        raise InvalidInput(f"备份文件 {shown} 中的{report.message}，不能恢复")
    _check_accounts(contents, shown)
    missing = set(contents.manifest.get("evidence", {}).get("missing", []))
    absent = sorted(
        {r["storage_key"] for r in contents.tables["evidence"]} - set(contents.evidence) - missing
    )
    if absent:
        raise InvalidInput(f"备份文件 {shown} 缺少佐证材料文件 {absent[0]}，不能恢复")


def _check_accounts(contents: BackupContents, shown: str) -> None:
    """The backup's role table keeps 三员分立 and every account's role exists in it: a backup
    that would lock everyone out, or hand someone combined powers, is not restored."""
    roles = [
        {"name": r["name"], "scope": r["scope"], "permissions": list(r["permissions"] or [])}
        for r in sorted(contents.tables["roles"], key=lambda r: (r["position"], r["name"]))
    ]
    try:
        table = RoleTable.model_validate({"roles": roles})
    except ValidationError as exc:
        raise InvalidInput(
            f"备份文件 {shown} 中的角色表不符合三员分立（{first_error(exc)}），不能恢复"
        ) from exc
    names = {r.name for r in table.roles}
    for user in contents.tables["users"]:
        if user["role"] not in names:
            raise InvalidInput(
                f"备份文件 {shown} 中的账号 {user['username']} 的角色“{user['role']}”不在角色表中，不能恢复"
            )
