"""Review workflow of an evaluation: 草稿 → 已提交 → 退回修改 → 已复核 → 定稿 → 重新打开.

The transitions are fixed by the trade; which role may take each one is data (the role table).
A 定稿 evaluation is locked: no score, finding or recommendation may change.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class Transition:
    action: str  # permission name, e.g. "workflow.submit"
    label: str  # button text
    source: tuple[str, ...]
    target: str
    needs_reason: bool = False


TRANSITIONS = (
    Transition("workflow.submit", "提交复核", ("草稿", "退回修改", "重新打开"), "已提交"),
    Transition("workflow.return", "退回修改", ("已提交",), "退回修改", needs_reason=True),
    Transition("workflow.review", "复核通过", ("已提交",), "已复核"),
    Transition("workflow.finalize", "定稿", ("已复核",), "定稿"),
    Transition("workflow.reopen", "重新打开", ("定稿",), "重新打开", needs_reason=True),
)
EDITABLE = frozenset({"草稿", "退回修改", "重新打开"})
LOCKED = frozenset({"定稿"})


def available(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.source]


def transition(status: str, action: str, reason: str = "") -> Transition:
    """The transition ``action`` from ``status``, or a Chinese refusal."""
    found = next((t for t in TRANSITIONS if t.action == action), None)
    if found is None:
        raise InvalidInput(f"未知的流程操作“{action}”")
    if status not in found.source:
        allowed = "、".join(found.source)
        raise Conflict(f"当前状态为“{status}”，不能执行“{found.label}”（仅在{allowed}状态下可以）")
    if found.needs_reason and not reason.strip():
        raise InvalidInput(f"“{found.label}”须填写理由")
    return found


def ensure_editable(status: str) -> None:
    """Scores, findings and recommendations change only in an editable state."""
    if status in LOCKED:
        raise Conflict("评价已定稿，不能修改评分、问题或建议；如需修改，请先由有权限的人员“重新打开”")
    if status not in EDITABLE:
        raise Conflict(f"评价处于“{status}”状态，不能修改；退回修改或重新打开后方可编辑")
