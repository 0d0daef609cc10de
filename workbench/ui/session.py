"""Session state of one browser tab: its keys with their defaults, the selected evaluation, and
who is working.

The keys are set once, by the entry script (``init_state``), before any page runs; pages read
and write them through the functions here rather than spelling key strings of their own.

``current_actor()`` is who is signed in: the login gate (``workbench.ui.gate``) keeps the
``LoginSession`` under ``LOGIN`` and checks it on every rerun.  Pages and widgets never build an
``Actor`` themselves; they call ``current_actor()``.  ``permissions()`` is what that person's role
may do, read once per rerun by the gate (the menu and the buttons follow it; the services enforce).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.errors import Forbidden
from workbench.services.actors import Actor
from workbench.services.auth import SessionEnded, is_idle

# The evaluation the user works on, by id.  It is a plain key, not the picker widget's: Streamlit
# drops a widget's value when its options or labels change (a label carries the status, so every
# workflow step changed it), and the selection then fell back to the reference case.  The picker
# (key ``PICKER``) is set from it before each draw and writes it back when the user picks.
# A page that wants another one selected calls ``select``; it applies on the next run.
EVALUATION = "evaluation_id"
PICKER = "evaluation_picker"
_PENDING = "evaluation_id_next"
# The evaluation last recorded as this user's (``services.preferences``): written on change only.
REMEMBERED = "evaluation_remembered"
# A one-shot message shown on the next run of a page (e.g. "已新建评价 …" after switching).
FLASH = "flash"
# The evaluation exactly as a save just left it (``save_score_and_open``), handed from the
# callback to the run that follows it and taken by that run: never kept longer.
_SAVED_CASE = "saved_case"

# The evaluation selected on first start when it exists: the reference case that
# ensure_database loads into an empty database.
DEFAULT_EVALUATION = "yiyang-smart-brain-2018-eval"

# The signed-in person (``auth.LoginSession``) and their role's permissions, set by the gate.
LOGIN = "login"
PERMISSIONS = "permissions"
CHECKED_AT = "login_checked_at"  # time.monotonic() of the gate's last auth.check_session

DEFAULTS: dict[str, Any] = {
    EVALUATION: None,
    _PENDING: None,
    REMEMBERED: None,
    FLASH: None,
    _SAVED_CASE: None,
    "new_system_id": None,  # chosen on 指标体系 for a new evaluation (新建评价 preselects it)
}


def init_state() -> None:
    """Give every session key its default, once per browser session."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def current_login() -> Any:
    """The signed-in ``LoginSession``, or None before anyone signs in."""
    return st.session_state.get(LOGIN)


def current_actor() -> Actor:
    """Who is working: the signed-in person (pages only run once someone is signed in).

    A button's callback runs before the gate checks the session on that rerun: an idle session
    is refused here, so the first click after the idle timeout changes nothing."""
    login = current_login()
    if login is None:
        raise Forbidden("请先登录")
    if is_idle(login):
        raise SessionEnded(f"超过 {login.idle_timeout_minutes} 分钟未操作，已自动退出，请重新登录")
    return login.actor


def permissions() -> frozenset[str]:
    """What the signed-in person's role may do (empty before sign-in)."""
    return st.session_state.get(PERMISSIONS) or frozenset()


def may(permission: str) -> bool:
    return permission in permissions()


def selected_id() -> str | None:
    return st.session_state.get(EVALUATION)


def select(evaluation_id: str) -> None:
    """Make ``evaluation_id`` the selected evaluation from the next run on."""
    st.session_state[_PENDING] = evaluation_id


def pending_id() -> str | None:
    """The evaluation a page asked to select next (``select``), not applied yet."""
    return st.session_state.get(_PENDING)


def apply_pending(choices: list[str], last: str | None = None, first: str | None = None) -> None:
    """Before the picker is drawn: take a pending selection; when the selected evaluation is
    missing (a new sign-in, or it was deleted) the one the user worked on ``last``, else the
    default, else ``first`` (else the first of ``choices``).  ``choices`` need only hold those
    of these that exist.  The picker widget is then set to the selection."""
    pending = st.session_state.get(_PENDING)
    st.session_state[_PENDING] = None
    if pending in choices:
        st.session_state[EVALUATION] = pending
    elif st.session_state.get(EVALUATION) not in choices:
        fallback = next((c for c in (last, DEFAULT_EVALUATION) if c in choices), None)
        st.session_state[EVALUATION] = fallback or first or (choices[0] if choices else None)
    st.session_state[PICKER] = st.session_state[EVALUATION]


def picked() -> None:
    """The picker's callback: the user chose another evaluation."""
    st.session_state[EVALUATION] = st.session_state.get(PICKER)


def hand_over(stored: Any) -> None:
    """From a save callback: the evaluation as saved, for the page run that follows."""
    st.session_state[_SAVED_CASE] = stored


def take_saved(evaluation_id: str) -> Any:
    """The evaluation a save callback just handed over (None when there is none for it)."""
    stored = st.session_state.get(_SAVED_CASE)
    st.session_state[_SAVED_CASE] = None
    return stored if stored is not None and stored.case.evaluation.id == evaluation_id else None


def forget(prefix: str) -> None:
    """Drop the keys of the widgets under ``prefix`` (``prefix:…``): a form is built again from
    what is stored on the next run."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}:")]:
        del st.session_state[key]


def flash(message: str) -> None:
    st.session_state[FLASH] = message


def take_flash() -> str | None:
    message = st.session_state.get(FLASH)
    st.session_state[FLASH] = None
    return message
