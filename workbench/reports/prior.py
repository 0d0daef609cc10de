"""上年度评价发现问题整改情况: the report's account of last year's problems, from the 整改 items
carried into this evaluation.  No prior year, no section (``present`` is False)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a case without a prior year never loads the 整改 models
    from workbench.domain.multiyear import PriorYear
    from workbench.domain.rectification import RectificationItem

CLOSED = frozenset({"已整改", "销号"})


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def item_detail(item: RectificationItem) -> str:
    """One sentence per item: only the parts it has (no blanks, no placeholders).  An approved
    extension has already moved the deadline; a pending one is named beside it."""
    parts = [f"责任单位：{item.responsible_unit}"] if item.responsible_unit else []
    parts += [f"整改措施：{item.measures.rstrip('。')}"] if item.measures else []
    asked = item.status == "申请延期" and item.extension_until
    parts.append(
        f"整改期限：{cn_date(item.deadline)}" + (f"（已申请延期至{cn_date(asked)}）" if asked else "")
    )
    parts.append(f"整改状态：{item.status}")
    parts += [f"整改进展：{item.progress.rstrip('。')}"] if item.progress else []
    parts += [f"佐证材料：{'、'.join(item.evidence)}"] if item.evidence else []
    return "；".join(parts) + "。"


def prior_part(prior: PriorYear | None) -> dict[str, Any]:
    if prior is None:
        return {"present": False, "rows": []}
    items = prior.items
    closed = sum(1 for i in items if i.status in CLOSED)
    return {
        "present": True,
        "year": prior.year,
        "title": prior.title or prior.evaluation,
        "count": len(items),
        "closed": closed,
        "open": len(items) - closed,
        "rows": [
            {
                "no": n,
                "title": i.title.rstrip("。"),
                "detail": item_detail(i),
                "measures": i.measures,
                "status": i.status,
                "deadline": cn_date(i.deadline),
                "evidence": "、".join(i.evidence),
            }
            for n, i in enumerate(items, start=1)
        ],
    }
