"""Audit records written by the services, in the same unit of work as the change they describe.

``record`` queues an entry on ``uow.audit``; the unit of work writes it, chained, when it commits,
so a change and its audit record are committed together or not at all.  Values are turned into
plain JSON first (Decimals as their exact text), so the hash computed at write time is the hash
recomputed from the stored record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from workbench.domain.limits import shown
from workbench.errors import InvalidInput
from workbench.services.actors import Actor
from workbench.services.ports import FAILURE, SUCCESS, AuditEntry, UnitOfWork

REFUSED_INPUT = "拒绝导入"
log = logging.getLogger("workbench.audit")


def plain(value: Any) -> Any:
    """``value`` as JSON that reads back equal: Decimal → its text, datetime → ISO, models → dicts."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"))
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def entry(
    actor: Actor,
    event: str,
    obj: str,
    *,
    before: Any = None,
    after: Any = None,
    detail: str = "",
    result: str = SUCCESS,
) -> AuditEntry:
    return AuditEntry(
        username=actor.username,
        role=actor.role,
        event=event,
        object=obj,
        before=plain(before),
        after=plain(after),
        result=result,
        detail=detail,
    )


def record(
    uow: UnitOfWork,
    actor: Actor,
    event: str,
    obj: str,
    *,
    before: Any = None,
    after: Any = None,
    detail: str = "",
    result: str = SUCCESS,
) -> None:
    """Queue an audit record on the open unit of work (written when it commits)."""
    uow.audit.add(entry(actor, event, obj, before=before, after=after, detail=detail, result=result))


def evaluation_object(evaluation_id: str, part: str = "") -> str:
    """The object of an audit record about an evaluation, e.g. "评价 e1 / 指标 B21"."""
    return f"评价 {evaluation_id}" + (f" / {part}" if part else "")


@contextmanager
def refusing_input(uow: UnitOfWork, actor: Actor, what: str) -> Iterator[None]:
    """Around reading an uploaded or imported file: an ``InvalidInput`` raised inside is audited
    (event 拒绝导入, result 失败, the first problems as detail, shortened) in a transaction of its
    own, then raised on.  Nothing else is written: a refused input changes nothing."""
    try:
        yield
    except InvalidInput as exc:
        detail = shown("；".join(exc.messages), 500)
        try:
            with uow:
                record(uow, actor, REFUSED_INPUT, shown(what, 200), detail=detail, result=FAILURE)
                uow.commit()
        except Exception:  # a read-only or full database: the user still learns what was wrong
            log.info("the refusal of %s could not be audited", what, exc_info=True)
        raise


def record_access(uow: UnitOfWork, actor: Actor, event: str, obj: str, *, detail: str = "") -> None:
    """Record, in a unit of work of its own, that ``actor`` generated, exported or downloaded
    something (nothing was changed: the record is the whole transaction)."""
    with uow:
        record(uow, actor, event, obj, detail=detail)
        uow.commit()
