"""The sidebar's evaluation picker: a search box (名称、项目或年度) over one page of at most
``choices.PAGE_SIZE`` evaluations, with 上一页/下一页 when more match.  The selection is held by
id in ``session.EVALUATION`` (shared by every page); the current one is always among the
options, whatever page or search is showing, so looking through the list never changes it."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from workbench.errors import WorkbenchError
from workbench.services import choices, preferences
from workbench.services.choices import EvaluationChoice, PickerPage
from workbench.ui import backend, session

SEARCH = "evaluation_search"
OFFSET = "evaluation_picker_offset"


def draw(given: list[EvaluationChoice] | None = None) -> None:
    """The picker on the sidebar (the page stops with the error when the database cannot be
    read, e.g. one written by a newer release).  ``given``: draw these choices instead of asking
    the database (a bench's floor draws the same widgets from values loaded beforehand)."""
    last = _last_evaluation()
    wanted = (session.pending_id(), session.selected_id(), last, session.DEFAULT_EVALUATION)
    search = str(st.session_state.get(SEARCH) or "")
    offset = int(st.session_state.get(OFFSET) or 0)
    try:
        page = (
            backend.call(choices.picker_page, search, offset, wanted)
            if given is None
            else choices.page_of(given, offset, wanted)
        )
    except WorkbenchError as exc:
        backend.show_error(exc)
        st.stop()
    st.session_state[OFFSET] = page.offset
    session.apply_pending(list(page.known), last, page.first)
    _remember(session.selected_id())
    with st.sidebar:
        if page.first is None:
            _nothing_to_pick()
            return
        _choices(page)


def _nothing_to_pick() -> None:
    if session.may("evaluation.create"):
        st.info("数据库中还没有评价，请在“新建评价”中创建。")
    else:
        st.info("没有您可以查看的评价：项目单位只能看到账号所关联的本单位项目，请联系系统管理员。")


def _choices(page: PickerPage) -> None:
    selected = session.selected_id()
    offered = {c.id: c for c in page.options}
    if selected is not None and selected not in offered:  # the current one stays on offer
        offered = {selected: page.known[selected], **offered}
    labels = _labels(list(offered.values()))
    st.text_input(
        "查找评价",
        key=SEARCH,
        placeholder="名称、项目或年度",
        on_change=_searched,
        label_visibility="collapsed",
    )
    chosen = offered.get(selected) if selected else None
    st.selectbox(
        "当前评价",
        list(labels),
        key=session.PICKER,
        format_func=labels.__getitem__,
        on_change=session.picked,
        help=f"{chosen.label}\n\n评价编号：{chosen.id}" if chosen else None,
    )
    _pager(page)


def _labels(options: list[EvaluationChoice]) -> dict[str, str]:
    labels = {c.id: c.short_label() for c in options}
    twice = {label for label, n in Counter(labels.values()).items() if n > 1}
    return {i: f"{label} · {i}" if label in twice else label for i, label in labels.items()}


def _pager(page: PickerPage) -> None:
    if page.total == 0:
        st.caption("没有符合条件的评价")
        return
    pager("evaluation_picker", page.offset, len(page.options), page.total, choices.PAGE_SIZE)


def pager(prefix: str, offset: int, shown: int, total: int, size: int) -> None:
    """ "第 51–100 项，共 2401 项" with 上一页/下一页 (keys ``{prefix}_prev``/``_next``), when
    more match than one page holds; turning writes the new offset to ``{prefix}_offset``."""
    if total <= shown and offset == 0:
        return
    st.caption(f"第 {offset + 1}–{offset + shown} 项，共 {total} 项")
    back, forward = st.columns(2)
    turns = ((back, "上一页", "prev", max(offset - size, 0), offset == 0),
             (forward, "下一页", "next", offset + size, offset + shown >= total))  # fmt: skip
    for column, label, name, target, disabled in turns:
        column.button(
            label,
            key=f"{prefix}_{name}",
            disabled=disabled,
            on_click=_turn,
            args=(f"{prefix}_offset", target),
            use_container_width=True,
        )


def _turn(key: str, offset: int) -> None:
    st.session_state[key] = offset


def _searched() -> None:
    st.session_state[OFFSET] = 0


def _last_evaluation() -> str | None:
    """The evaluation the user worked on last, read once per sign-in (when none is selected)."""
    if session.selected_id() is not None:
        return None
    result = backend.attempt(preferences.last_evaluation)
    last = result.value if result.ok else None
    st.session_state[session.REMEMBERED] = last
    return last


def _remember(evaluation_id: str | None) -> None:
    """Record the selection as the user's, when it changed (one small write, not per run)."""
    if evaluation_id is None or evaluation_id == st.session_state.get(session.REMEMBERED):
        return
    if backend.attempt(preferences.remember_evaluation, evaluation_id).ok:
        st.session_state[session.REMEMBERED] = evaluation_id
