"""Tamper-evident audit records: each record's hash covers its content and the previous hash.

The hash is an HMAC-SHA256 under a key derived from the server's secret key (kept outside the
database), so someone who can write to the database but has not the key cannot recompute the
chain after dropping or editing records.  Changing, deleting or reordering any record breaks the
chain from that record on, and ``verify_chain`` names the first broken record; cutting records
off the end (or deleting all) is found against the anchor — the newest sequence number and hash,
kept outside the database (``storage.audit_anchor``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str  # ISO 8601 with timezone
    username: str
    role: str
    event: str
    object: str
    before: Any
    after: Any
    result: str  # "成功" | "失败"
    detail: str
    prev_hash: str
    hash: str = ""

    def content(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "username": self.username,
            "role": self.role,
            "event": self.event,
            "object": self.object,
            "before": self.before,
            "after": self.after,
            "result": self.result,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }


def canonical(record: AuditRecord) -> bytes:
    text = json.dumps(
        record.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return text.encode("utf-8")


def record_hash(record: AuditRecord, key: bytes) -> str:
    """HMAC-SHA256 of the record's content (previous hash included) under ``key``."""
    return hmac.new(key, canonical(record), hashlib.sha256).hexdigest()


def legacy_hash(record: AuditRecord) -> str:
    """The unkeyed SHA-256 of releases before the keyed chain (read by migration 0008 only)."""
    return hashlib.sha256(canonical(record)).hexdigest()


def seal(record: AuditRecord, key: bytes) -> AuditRecord:
    return AuditRecord(**{**record.content(), "hash": record_hash(record, key)})


@dataclass(frozen=True)
class Anchor:
    """The newest record as last written down outside the database."""

    seq: int
    hash: str


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str = ""
    notes: tuple[str, ...] = ()  # what else verify found (no anchor yet; triggers missing)
    head: Anchor | None = None  # the newest record checked

    @property
    def message(self) -> str:
        if self.ok:
            text = f"审计日志完整：共 {self.checked} 条记录，哈希链（HMAC）校验通过"
        elif self.first_broken is None:
            text = f"审计日志被篡改或缺失：{self.reason}"
        else:
            text = f"审计日志被篡改或缺失：第一条异常记录序号 {self.first_broken}（{self.reason}）"
        return "；".join((text, *self.notes))


def verify_chain(
    records: Iterable[AuditRecord], key: bytes, anchor: Anchor | None = None, *, first_seq: int = 1
) -> ChainReport:
    """Walk ``records`` in order: numbered from ``first_seq`` without gaps, each linked to the one
    before and matching its HMAC; then the newest must reach the ``anchor`` (and hold its hash)."""
    prev, expected_seq, count, head = GENESIS, first_seq, 0, None
    anchored = anchor is None or anchor.seq == 0
    for rec in records:
        count += 1
        if rec.seq != expected_seq:
            return ChainReport(False, count, rec.seq, f"序号不连续，应为 {expected_seq}")
        if rec.prev_hash != prev:
            return ChainReport(False, count, rec.seq, "与前一条记录的哈希不衔接")
        if not hmac.compare_digest(record_hash(rec, key), rec.hash):
            return ChainReport(False, count, rec.seq, "记录内容与哈希不符（或不是用本服务器的密钥写入的）")
        if anchor is not None and rec.seq == anchor.seq:
            if rec.hash != anchor.hash:
                return ChainReport(False, count, rec.seq, "与库外保存的链尾锚点不符：审计链被重写")
            anchored = True
        prev, expected_seq, head = rec.hash, rec.seq + 1, Anchor(rec.seq, rec.hash)
    if not anchored:
        assert anchor is not None
        have = f"数据库中只到第 {head.seq} 条" if head else "数据库中一条记录也没有"
        reason = f"库外保存的链尾锚点为第 {anchor.seq} 条，{have}：最新的审计记录被删除"
        return ChainReport(False, count, None, reason, head=head)
    return ChainReport(True, count, head=head)
