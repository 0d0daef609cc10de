"""The evaluation's name in the page header, and a small form to change it (an evaluator names
a copy so that colleagues can tell it from its source)."""

from __future__ import annotations

import streamlit as st

from workbench.domain.workflow import EDITABLE
from workbench.errors import InvalidInput
from workbench.services import evaluations
from workbench.services.evaluations import StoredCase
from workbench.ui import backend, session

FIELD = "evaluation_name"


def rename_control(stored: StoredCase) -> None:
    """A 修改名称 popover, for those who may edit this evaluation while it can be edited."""
    ev = stored.case.evaluation
    refused = st.session_state.pop(f"{FIELD}_error", None)
    if refused is not None:
        backend.show_error(refused)
    if ev.status not in EDITABLE or not session.may("evaluation.score"):
        return
    with st.popover("修改名称", icon=":material/edit:"), st.form(f"{FIELD}_form:{ev.id}", border=False):
        st.text_input(
            "评价名称", value=ev.title or stored.case.project.name, key=f"{FIELD}:{ev.id}", max_chars=80
        )
        st.form_submit_button("保存名称", on_click=_rename, args=(ev.id, stored.versions.evaluation.version))


def _rename(evaluation_id: str, version: int) -> None:
    title = str(st.session_state.get(f"{FIELD}:{evaluation_id}") or "").strip()
    if not title:
        st.session_state[f"{FIELD}_error"] = InvalidInput("评价名称不能为空，未修改")
        return
    result = backend.attempt(evaluations.update_header, evaluation_id, {"title": title}, version)
    if result.ok:
        session.flash(f"评价名称已改为“{title}”。")
    else:
        st.session_state[f"{FIELD}_error"] = result.error
