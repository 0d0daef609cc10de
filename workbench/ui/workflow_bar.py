"""The review workflow under the page header: the steps this role may take now (提交复核, 退回修改,
复核通过, 定稿, 重新打开 — the role table decides, as ``review.actions`` does), a reason where the
step needs one, and the evaluation's history of status moves on demand (``review.history``).

The buttons follow ``domain.workflow.available`` and the permissions the gate read for this run,
which is what ``review.actions`` computes, without loading the evaluation a second time;
``review.advance`` checks everything again (role, project, state, reason, version) when pressed.
"""

from __future__ import annotations

import streamlit as st

from workbench.domain.workflow import Transition, available
from workbench.services import review
from workbench.services.audit import local_time
from workbench.services.evaluations import StoredCase
from workbench.services.review import WorkflowStep
from workbench.ui import backend, session
from workbench.ui.safe_text import md

ERROR = "workflow_error"


def steps_for(status: str) -> list[Transition]:
    """The workflow steps the signed-in role may take from ``status``."""
    return [t for t in available(status) if session.may(t.action)]


def draw(stored: StoredCase) -> None:
    ev = stored.case.evaluation
    version = stored.versions.evaluation.version
    with st.container(horizontal=True, vertical_alignment="center"):
        for step in steps_for(ev.status):
            if step.needs_reason:
                _with_reason(ev.id, step, version)
            else:
                st.button(
                    step.label,
                    key=f"workflow:{ev.id}:{step.action}",
                    on_click=_advance,
                    args=(ev.id, step, version, None),
                    icon=":material/arrow_forward:",
                )
        show_history = st.toggle("流程记录", key=f"workflow_history:{ev.id}")
    failed = st.session_state.pop(ERROR, None)
    if failed is not None:
        backend.show_error(failed)
    if ev.status in SENT_BACK:
        sent_back(ev.id, ev.status)
    elif ev.status in NEXT:
        st.info(NEXT[ev.status], icon=":material/pending_actions:")
    if show_history:
        history(ev.id)


# Statuses a reviewer sent the evaluation back to, with the reason the evaluator must read.
SENT_BACK = frozenset({"退回修改", "重新打开"})
# Who acts next while the evaluation is in review.
NEXT = {
    "已提交": "已提交复核：下一步由复核人复核（复核通过或退回修改）；在此期间评分不能修改。",
    "已复核": "已复核：下一步由复核人定稿；定稿后报告成为正式版本。如需修改，请复核人退回修改。",
}


def sent_back(eid: str, status: str) -> None:
    """The reason the evaluation was sent back, in full, where the evaluator starts working."""
    result = backend.attempt(review.history, eid)
    steps: list[WorkflowStep] = result.value if result.ok else []
    last = next((s for s in reversed(steps) if s.after == status), None)
    if last is None or not last.reason:
        return
    who = f"{last.username}（{last.role}）"
    st.warning(
        md("**{}于 {} {}，理由：** {}", who, local_time(last.at), last.action, last.reason),
        icon=":material/undo:",
    )


def _with_reason(eid: str, step: Transition, version: int) -> None:
    reason_key = f"workflow_reason:{eid}:{step.action}"
    with (
        st.popover(step.label, icon=":material/undo:"),
        st.form(f"workflow_form:{eid}:{step.action}", enter_to_submit=False),
    ):
        st.text_area(f"{step.label}的理由（必填，将记入流程记录）", key=reason_key, height=90)
        st.form_submit_button(
            f"确认{step.label}",
            type="primary",
            on_click=_advance,
            args=(eid, step, version, reason_key),
        )


def _advance(eid: str, step: Transition, version: int, reason_key: str | None) -> None:
    reason = str(st.session_state.get(reason_key) or "") if reason_key else ""
    result = backend.attempt(review.advance, eid, step.action, reason=reason, expected_version=version)
    if not result.ok:
        st.session_state[ERROR] = result.error
        return
    if reason_key:
        st.session_state[reason_key] = ""
    session.flash(f"已{step.label}：评价现为“{step.target}”。")


def history(eid: str) -> None:
    result = backend.attempt(review.history, eid)
    if not result.ok:
        backend.show_error(result.error)
        return
    steps: list[WorkflowStep] = result.value
    if not steps:
        st.caption("还没有流程记录（导入或新建以来状态未变）。")
        return
    rows = [
        {
            "时间": local_time(s.at),
            "操作": s.action,
            "人员": f"{s.username}（{s.role}）",
            "状态": f"{s.before} → {s.after}",
            "理由": s.reason or "—",
        }
        for s in steps
    ]
    st.dataframe(rows, hide_index=True)
