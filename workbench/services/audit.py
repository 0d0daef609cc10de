"""The audit log for the 审计管理员: filtered reading, export (CSV / .xlsx), chain verification.

Reading needs ``audit.view`` and exporting ``audit.export`` (in the default role table only the
审计管理员 holds them; the command line's 系统 role too).  Nobody can change or delete a record:
the repository has no such method, database triggers refuse it, and the hash chain exposes an
edit made around them.  Exports are audited themselves.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from workbench.domain.audit import AuditRecord, ChainReport
from workbench.errors import InvalidInput
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.audit_text import change_text
from workbench.services.ports import FAILURE, SUCCESS, AuditFilter, UnitOfWork
from workbench.services.trail import record

MAX_PAGE = 1000
HEADERS = ("序号", "时间", "用户", "角色", "事件", "对象", "修改前", "修改后", "结果", "说明", "记录哈希")
WIDTHS = (8, 22, 14, 12, 14, 36, 40, 40, 8, 40, 20)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditPage:
    records: list[AuditRecord]  # newest first
    total: int  # matching records in all


def query_audit(
    uow: UnitOfWork,
    actor: Actor,
    where: AuditFilter | None = None,
    *,
    limit: int = 200,
    offset: int = 0,
    record_view: bool = True,
) -> AuditPage:
    """Records matching ``where``, newest first, a page at a time (``limit`` ≤ 1000).  Viewing
    is audited (``record_view`` False: a program's own read, e.g. the newest record for verify)."""
    limit = max(1, min(limit, MAX_PAGE))
    where = where or AuditFilter()
    with uow:
        require(uow, actor, "audit.view", what="审计日志")
        records, total = uow.audit.query(where, limit, max(0, offset))
        if record_view:
            record(
                uow,
                actor,
                "查看审计日志",
                "审计日志",
                detail=f"第 {offset // limit + 1} 页，{total} 条；筛选：{describe(where)}",
            )
            uow.commit()
    return AuditPage(records, total)


def audit_events(uow: UnitOfWork, actor: Actor) -> list[str]:
    """The event names present in the log (for the filter's choices)."""
    with uow:
        require(uow, actor, "audit.view", what="审计日志")
        return uow.audit.events()


def verify_audit(uow: UnitOfWork, actor: Actor) -> ChainReport:
    """Walk the whole chain (HMAC with the server's key) up to the anchor kept outside the
    database, and check the append-only triggers; the report names the first record that does
    not verify.  The check itself is audited (with its result)."""
    with uow:
        require(uow, actor, "audit.view", what="审计日志")
        report = uow.audit.verify()
        record(
            uow,
            actor,
            "校验审计日志",
            "审计日志",
            result=SUCCESS if report.ok else FAILURE,
            detail=report.message[:500],
        )
        uow.commit()
    return report


def export_audit(
    uow: UnitOfWork, actor: Actor, fmt: Literal["csv", "xlsx"], where: AuditFilter | None = None
) -> bytes:
    """Every record matching ``where`` (oldest first) as CSV (UTF-8 with BOM, opens in Excel) or
    .xlsx; every cell is plain text, so nothing in a record can run as a formula."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"导出格式“{fmt}”无效，可选：csv、xlsx")
    where = where or AuditFilter()
    with uow:
        require(uow, actor, "audit.export", what="审计日志")
        records, total = uow.audit.query(where, 0, 0)
        record(
            uow, actor, "导出审计日志", "审计日志", detail=f"格式 {fmt}，{total} 条；筛选：{describe(where)}"
        )
        uow.commit()
    rows = [cells(r) for r in reversed(records)]
    return _csv(rows) if fmt == "csv" else _xlsx(rows)


def describe(where: AuditFilter) -> str:
    parts = [
        f"起 {where.since:%Y-%m-%d %H:%M}" if where.since else "",
        f"止 {where.until:%Y-%m-%d %H:%M}" if where.until else "",
        f"用户 {where.username}" if where.username else "",
        f"事件 {where.event}" if where.event else "",
        f"对象含“{where.object}”" if where.object else "",
        f"结果 {where.result}" if where.result else "",
    ]
    return "，".join(p for p in parts if p) or "无"


def local_time(at: str) -> str:
    return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def cells(r: AuditRecord) -> list[str]:
    values = [
        str(r.seq),
        local_time(r.at),
        r.username,
        r.role,
        r.event,
        r.object,
        _json(r.before),
        _json(r.after),
        r.result,
        r.detail,
        r.hash[:16],
    ]
    return [ILLEGAL_CHARACTERS_RE.sub("", v) for v in values]


def readable_cells(r: AuditRecord) -> list[str]:
    """``cells`` as the 审计日志 page shows them: 修改前 / 修改后 in words, only what changed
    ("状态：定稿" → "状态：重新打开"); the export keeps the exact JSON."""
    values = cells(r)
    values[6], values[7] = (ILLEGAL_CHARACTERS_RE.sub("", v) for v in change_text(r.before, r.after))
    return values


def _inert(value: str) -> str:
    """A CSV cell starting with = + - @ would run as a formula in a spreadsheet: quote it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([_inert(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "审计日志"
    sheet.append(list(HEADERS))
    for values in rows:
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # a text cell even if it starts with "="
            cell.number_format = "@"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
