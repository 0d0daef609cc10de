"""Widgets shared by the pages: the evaluation picker, the page header with the status, score
metrics, one-shot notices from callbacks, and the guard that keeps tracebacks off the screen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.domain.scoring import Scorecard
from workbench.domain.workflow import EDITABLE, LOCKED
from workbench.errors import WorkbenchError
from workbench.services import cases, evaluations
from workbench.services.choices import EvaluationChoice
from workbench.services.evaluations import StoredCase
from workbench.ui import backend, evaluation_name, navigation, picker, session, workflow_bar
from workbench.ui.safe_text import md, plain_text

STATUS_COLORS = {
    "草稿": "gray",
    "已提交": "blue",
    "退回修改": "orange",
    "已复核": "violet",
    "定稿": "green",
    "重新打开": "orange",
}
LOCKED_NOTE = "本评价已定稿：定稿的评价须由复核人“重新打开”（并说明理由）后才能修改，在此保存会被拒绝。"
REVIEW_NOTE = "本评价处于“{status}”状态（复核流程中）：退回修改或重新打开后才能修改，在此保存会被拒绝。"
COPY_HINT = "要在它的基础上继续评分，可复制为新的草稿（原评价保持不变）。"
# On a page that shows a locked evaluation read-only (评分): why, and who can change that.  In
# review the workflow bar already says who acts next: one line is enough.
READ_ONLY_FINAL = "本评价已定稿，评分只读。修改须由复核人“重新打开”（并说明理由）。"
READ_ONLY_REVIEW = (
    ":material/lock: 评分只读：评价处于“{status}”状态（复核流程中），复核人退回修改后才能再改。"
)
SCORE_STATUS = {"scored": "已评分", "pending": "未评分", "na": "不适用"}
# Whoever holds none of these only reads (a 领导, a 复核人): a note that saving is refused says
# nothing to them — the status badge and the workflow buttons are what they need.
WRITERS = frozenset(
    {"evaluation.score", "evaluation.findings", "evidence.upload", "selfeval.submit", "panel.score"}
)


def wan(value: Decimal | None) -> str:
    """An amount in 万元 with two decimals: 1,835.00 万元."""
    return "—" if value is None else f"{fmt2(value)} 万元"


# --- running a page --------------------------------------------------------------------------


def run_page(page: Any) -> None:
    """Run the selected page; an error nobody expected becomes one Chinese line, not a traceback.
    A page the role may not see (opened by its address) shows the refusal instead."""
    login = session.current_login()
    refused = login and navigation.refusal(page, login.role, session.permissions())
    if refused:
        st.title(page.title)
        st.error(refused, icon="🚫")
        leftover_notices()
        return
    try:
        page.run()
    except Exception as exc:  # Streamlit's own rerun/stop signals are BaseExceptions and pass
        backend.show_error(exc)
    leftover_notices()


def leftover_notices() -> None:
    """What a callback had to say where the page no longer draws (e.g. the role lost the
    permission meanwhile): shown at the end rather than lost or shown later out of place."""
    for key in [k for k in st.session_state if str(k).startswith(_notice_key(""))]:
        show_notice(str(key).removeprefix(_notice_key("")))


# --- the evaluation picker -------------------------------------------------------------------


def evaluation_picker(given: list[EvaluationChoice] | None = None) -> None:
    """The sidebar list of evaluations, searchable and paged (``ui.picker``); the choice is
    shared by every page, survives every workflow step and is reopened at the user's next sign-in."""
    picker.draw(given)


def require_case() -> StoredCase:
    """The selected evaluation, loaded once for this run; stops the page when there is none."""
    eid = session.selected_id()
    if eid is None:
        if not session.may("evaluation.create"):
            st.info("没有可查看的评价。")
            st.stop()
        st.info("请先在左侧选择一项评价，或到“新建评价”创建。")
        st.page_link(navigation.START, label="新建评价", icon=":material/add_circle:")
        st.stop()
    try:
        stored = session.take_saved(eid) or backend.call(evaluations.get_case, eid)
    except WorkbenchError as exc:
        backend.show_error(exc)
        st.stop()
    case_caption(stored.scorecard, stored.case.evaluation.status)
    return stored


UNSCORED = "未评分"
# Who may see an evaluation's scores before it is 定稿: those who score, review or lead.  A 项目单位
# (filling its 自评表) and an expert (scoring blind) see no total until then.
SCORE_READERS = frozenset({"evaluation.score", "workflow.review", "workflow.finalize", "dashboard.view"})


def scores_visible(status: str) -> bool:
    return status == "定稿" or bool(SCORE_READERS & session.permissions())


def case_caption(card: Scorecard, status: str) -> None:
    """Under the picker: the selected evaluation's indicator system, and its total and grade for
    those who may see them (未评分 while nothing is scored)."""
    if not scores_visible(status):
        st.sidebar.caption(md("{} · 评价得分在定稿后显示", card.system_name))
    elif card.unscored:
        st.sidebar.caption(md("{} · {}", card.system_name, UNSCORED))
    else:
        st.sidebar.caption(md("{} · 总分 {} 分 · {}", card.system_name, fmt2(card.total), card.grade))


def current_system_id() -> str | None:
    """The indicator system of the selected evaluation (None when nothing is selected)."""
    eid = session.selected_id()
    if eid is None:
        return None
    result = backend.attempt(evaluations.get_case, eid)
    return result.value.case.system.id if result.ok else None


def page_header(title: str, stored: StoredCase, *, editing: bool = False, read_only: bool = False) -> None:
    """Page title, the evaluation's title and its status (shown prominently).  On a page that
    edits (``editing``), an evaluation the workflow does not let anyone change says so up front
    and offers a copy as a new 草稿 to work on; a page that then shows it ``read_only`` says so
    rather than that saving would be refused."""
    ev = stored.case.evaluation
    st.title(title)
    left, middle, right = st.columns([4, 1.2, 1], vertical_alignment="center")
    left.markdown(md("**{}** · {} 年度", ev.title or stored.case.project.name, ev.year))
    with middle:
        evaluation_name.rename_control(stored)
    right.badge(md("状态：{}", ev.status), color=STATUS_COLORS.get(ev.status, "gray"))  # type: ignore[arg-type]
    message = session.take_flash()
    if message:
        st.success(plain_text(message))
    workflow_bar.draw(stored)
    if ev.status in EDITABLE or not WRITERS & session.permissions():
        return
    if read_only and ev.status not in LOCKED:
        st.caption(READ_ONLY_REVIEW.format(status=ev.status))
        return
    note = LOCKED_NOTE if ev.status in LOCKED else REVIEW_NOTE.format(status=ev.status)
    if read_only:
        note = READ_ONLY_FINAL
    if not editing:
        st.info(note, icon="🔒")
        return
    with st.container(border=True):
        can_copy = session.may("evaluation.create")
        st.warning(f"{note}{COPY_HINT if can_copy else ''}", icon="🔒")
        if can_copy:
            st.button(
                "复制为新的草稿并打开", key=f"copy_locked:{ev.id}", on_click=_copy_as_draft, args=(ev.id,)
            )
        show_notice("copy_locked")


def _copy_as_draft(evaluation_id: str) -> None:
    result = backend.attempt(cases.copy_evaluation, evaluation_id)
    if not result.ok:
        notify("copy_locked", result.error, "error")
        return
    session.select(result.value)
    session.flash(
        "已复制为新的草稿，现在编辑的是这份草稿（原评价保持不变），可点“修改名称”给它起一个好认的名字。"
    )


def score_metrics(card: Scorecard) -> None:
    """总分, 等级, 得分率 and how many points were lost, side by side."""
    a, b, c, d = st.columns(4)
    if card.unscored:
        a.metric("总分", UNSCORED, help=f"满分 {fmt2(card.declared_total)}")
        b.metric("等级", UNSCORED)
        c.metric("得分率", "—")
        d.metric("扣分合计", "—")
    else:
        a.metric("总分", f"{fmt2(card.total)} / {fmt2(card.declared_total)}")
        b.metric("等级", card.grade)
        c.metric("得分率", pct(card.rate))
        d.metric("扣分合计", fmt2(card.lost_total))
    score_notes(card)


def score_notes(card: Scorecard) -> None:
    """What the total is while leaves are unscored: nothing yet, or provisional."""
    if card.unscored:
        st.info(f"尚未评分：共 {len(card.pending())} 项末级指标，逐项录入得分或扣分后，这里显示总分与等级。")
    elif not card.complete:
        st.warning(f"尚有 {len(card.pending())} 项末级指标未评分，总分与等级为暂计。")


def unscored_next_step(card: Scorecard) -> bool:
    """On a page that shows results: say what to do when nothing is scored yet (True then)."""
    if not card.unscored:
        return False
    st.info(f"该评价尚未评分（{len(card.pending())} 项末级指标待评）。请先到“评分”页逐项录入，再回来查看。")
    st.page_link(navigation.SCORING, label="去评分", icon=":material/edit_note:")
    return True


# --- notices from callbacks ------------------------------------------------------------------
# A callback runs before the page is drawn again; what it has to say is kept under a place name
# and drawn where the user acted (next to the form), once.


def _notice_key(place: str) -> str:
    return f"notice:{place}"


def notify(place: str, message: str | WorkbenchError, kind: str = "success") -> None:
    st.session_state[_notice_key(place)] = (kind, message)


def show_notice(place: str) -> None:
    found = st.session_state.pop(_notice_key(place), None)
    if found is None:
        return
    kind, message = found
    if isinstance(message, WorkbenchError) or kind == "error":
        backend.show_error(message if isinstance(message, BaseException) else WorkbenchError(message))
    elif kind == "warning":
        st.warning(plain_text(message))
    else:
        st.success(plain_text(message))
