"""Tamper-evident audit records: each record's hash covers its content and the previous hash.

Changing, deleting or reordering any record breaks the chain from that record on, and
``verify_chain`` names the first broken record.
"""

from __future__ import annotations

import hashlib
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


def record_hash(record: AuditRecord) -> str:
    canonical = json.dumps(
        record.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal(record: AuditRecord) -> AuditRecord:
    return AuditRecord(**{**record.content(), "hash": record_hash(record)})


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计日志完整：共 {self.checked} 条记录，哈希链校验通过"
        return f"审计日志被篡改或缺失：第一条异常记录序号 {self.first_broken}（{self.reason}）"


def verify_chain(records: Iterable[AuditRecord]) -> ChainReport:
    prev, expected_seq, count = GENESIS, None, 0
    for rec in records:
        count += 1
        if expected_seq is not None and rec.seq != expected_seq:
            return ChainReport(False, count, rec.seq, f"序号不连续，应为 {expected_seq}")
        if rec.prev_hash != prev:
            return ChainReport(False, count, rec.seq, "与前一条记录的哈希不衔接")
        if record_hash(rec) != rec.hash:
            return ChainReport(False, count, rec.seq, "记录内容与哈希不符")
        prev, expected_seq = rec.hash, rec.seq + 1
    return ChainReport(True, count)
