"""Which page the app opens on after sign-in: 待办 for those whose daily work starts there
(评价人员, 复核人, 专家, 项目单位); for others (e.g. 领导) only when something waits for them
(``services.worklist.lands_on_todo``).  Decided once per sign-in, so the first page does not
change under the user while they work."""

from __future__ import annotations

import streamlit as st

from workbench.services import worklist
from workbench.ui import backend, session

LANDING = "todo_landing"  # (the sign-in's session id, whether 待办 is the first page)


def todo_first() -> bool:
    login = session.current_login()
    if login is None:
        return False
    decided = st.session_state.get(LANDING)
    if decided is not None and decided[0] == login.session_id:
        return bool(decided[1])
    result = backend.attempt(worklist.lands_on_todo)
    first = bool(result.ok and result.value)
    st.session_state[LANDING] = (login.session_id, first)
    return first
