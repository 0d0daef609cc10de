"""自评表: the project unit fills its self-evaluation (10号 附件2) in the app or uploads it as .xlsx,
downloads it in the standard layout and submits it; the evaluator sees the unit's self-score
beside their own for every indicator, 自评虚高 gaps flagged, and writes the 核对说明 a flagged gap
needs before 定稿.  The evaluator (or the reviewer) may send a submitted form back with a reason,
which the unit reads above its form."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.selfeval_review import ComparisonRow, SelfEvalComparison
from workbench.domain.workflow import LOCKED
from workbench.errors import WorkbenchError
from workbench.services import reconciliation, selfeval
from workbench.services.reconciliation import ComparisonView
from workbench.services.selfeval import SelfEvalView
from workbench.ui import backend, selfeval_form, session, widgets
from workbench.ui.safe_text import md, plain_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES = "selfeval_notes"


def form_status(shown: SelfEvalView) -> str:
    if shown.submitted and shown.submitted_at:
        return f"已提交（{shown.submitted_by}，{shown.submitted_at.astimezone():%Y-%m-%d %H:%M}）"
    if shown.version:
        return f"草稿（第 {shown.version} 版，{shown.updated_by} 保存）"
    return "尚未填报"


def scores(shown: SelfEvalView) -> None:
    """The form's scores as the rules compute them, with what the rules say about it."""
    card = shown.card
    a, b, c = st.columns(3)
    a.metric("自评表状态", form_status(shown).split("（")[0])
    if card is None:
        b.metric("自评总分", "无法计分")
    else:
        b.metric("自评总分（按规则计算）", f"{fmt2(card.total)} / {fmt2(card.declared_total)}")
        rate = shown.form.funds.rate()
        c.metric("预算执行率", "—" if rate is None else f"{fmt2(rate)}%")
    for problem in shown.problems:
        (st.error if problem.is_error else st.warning)(plain_text(problem))


def download(shown: SelfEvalView) -> None:
    """The form as .xlsx, written only when the button is pressed (not on every rerun); a form
    that cannot be scored is not exported (``export_selfeval`` refuses it), so no button."""
    if shown.card is None:
        st.caption("暂不能导出：自评表有不能计分的内容，改正后才能导出")
        return
    label = (
        "下载自评表（.xlsx，标准格式）"
        if shown.version
        else "下载空白自评表（.xlsx，可在 Excel 中填写后上传）"
    )
    st.download_button(
        label,
        _exporter(shown.evaluation_id),
        f"{shown.form.project or '项目'}绩效自评表.xlsx",
        XLSX,
        key="selfeval_xlsx",
        on_click="ignore",
    )


def _exporter(eid: str) -> Callable[[], bytes]:
    """The .xlsx, made when its download button is pressed (outside the page run, so the
    database and the person are taken now)."""
    db, actor = backend.database(), session.current_actor()
    return lambda: selfeval.export_selfeval(db.uow(), actor, eid)


def submit(shown: SelfEvalView) -> None:
    if not shown.version:
        st.caption("保存草稿后即可提交。")
        return
    st.caption("提交后自评表不能再修改，评价人员将据此逐项核对。")
    with st.popover("提交自评表", icon=":material/send:"):
        st.write("提交后自评表不能再修改（如需修改，须由评价人员退回）。确认提交吗？")
        confirmed = st.button("确认提交", key=f"selfeval_submit:{shown.version}", type="primary")
    if confirmed:
        result = backend.attempt(selfeval.submit_selfeval, shown.evaluation_id, shown.version)
        if result.ok:
            widgets.notify(selfeval_form.PLACE, "已提交自评表。")
            st.rerun()
        backend.show_error(result.error)


def unit_side(shown: SelfEvalView) -> None:
    if shown.submitted:
        st.info(f"自评表{form_status(shown)}，不能再修改。", icon="🔒")
        return
    if shown.returned_reason and shown.returned_at:
        st.warning(
            md(
                "评价组（{}）于 {} 退回了自评表：{}。请修改后重新提交。",
                shown.returned_by,
                f"{shown.returned_at.astimezone():%Y-%m-%d %H:%M}",
                shown.returned_reason,
            ),
            icon="↩️",
        )
    tab_form, tab_file = st.tabs(["在线填写", "上传 Excel"])
    with tab_form:
        selfeval_form.draw(shown)
    with tab_file:
        selfeval_form.upload(shown)
    submit(shown)


def comparison_table(compared: SelfEvalComparison) -> None:
    rows = [
        {
            "自评指标": f"{r.code} {r.name}",
            "分值": fmt2(r.weight),
            "自评得分": "—" if r.self_score is None else fmt2(r.self_score),
            "评价得分": "—" if r.evaluator_score is None else fmt2(r.evaluator_score),
            "差异": "—" if r.gap is None else fmt2(r.gap),
            "标记": r.flag,
            "核对说明": r.note,
        }
        for r in compared.rows
    ]
    st.table(rows, hide_index=True)  # every row and its whole 核对说明, no box scrolling inside the page


def notes(shown: ComparisonView, eid: str) -> None:
    """The evaluator's 核对说明, one indicator at a time (flagged ones first)."""
    compared = shown.comparison
    assert compared is not None
    missing = [r for r in compared.flagged if not r.note.strip()]
    if missing:
        st.warning(f"{len(missing)} 项自评虚高尚未填写核对说明；全部填写后才能复核通过和定稿。")
    elif compared.flagged:
        st.success("自评虚高的指标均已填写核对说明。")
    ordered = [*compared.flagged, *(r for r in compared.rows if not r.inflated)]
    labels = {r.code: f"{r.code} {r.name}{_note_mark(r)}" for r in ordered}
    code = st.selectbox("填写核对说明的指标", list(labels), format_func=labels.get, key=f"{NOTES}:code:{eid}")
    row = next(r for r in ordered if r.code == code)
    version = shown.version_of(code)
    with st.form(f"{NOTES}:{eid}:{code}:{version}", enter_to_submit=False):
        text = st.text_area("核对说明", row.note, key=f"{NOTES}:{eid}:{code}:{version}:text")
        if st.form_submit_button("保存核对说明"):
            result = backend.attempt(reconciliation.save_note, eid, code, text, version)
            if result.ok:
                widgets.notify(NOTES, f"已保存指标 {code} 的核对说明。")
                st.rerun()
            backend.show_error(result.error)
    widgets.show_notice(NOTES)


def _note_mark(row: ComparisonRow) -> str:
    """Which indicators still need a 核对说明 and which have one, in the picker's labels."""
    done = bool(row.note.strip())
    if row.inflated:
        return "（自评虚高 · ✓ 已填写）" if done else "（自评虚高 · 待填写）"
    return "（✓ 已填写）" if done else ""


def evaluator_side(shown: ComparisonView, eid: str) -> None:
    if shown.comparison is None:
        waiting = "项目单位正在填写自评表（草稿）" if shown.draft_exists else "项目单位尚未填报自评表"
        st.info(f"{waiting}；提交后这里逐项列出自评得分与评价得分的对比。")
        return
    compared = shown.comparison
    a, b, c = st.columns(3)
    a.metric("自评总分", fmt2(compared.self_total))
    b.metric("评价总分", fmt2(compared.evaluator_total))
    c.metric("自评虚高", f"{len(compared.flagged)} 项")
    st.caption(f"标记规则：{compared.rule.describe()}。")
    comparison_table(compared)
    if session.may("evaluation.score"):
        notes(shown, eid)


def send_back(shown: SelfEvalView) -> None:
    """退回自评表: the submitted form goes back to the unit as a draft, with the reason it reads."""
    with (
        st.expander("退回自评表（请项目单位修改后重新提交）"),
        st.form(f"selfeval_return:{shown.version}", enter_to_submit=False),
    ):
        reason = st.text_area("退回理由（项目单位可见）", key=f"selfeval_return:{shown.version}:reason")
        if st.form_submit_button("退回自评表"):
            result = backend.attempt(selfeval.return_selfeval, shown.evaluation_id, shown.version, reason)
            if result.ok:
                widgets.notify(selfeval_form.PLACE, "已退回自评表；项目单位修改后可重新提交。")
                st.rerun()
            backend.show_error(result.error)


def draw() -> None:
    stored = widgets.require_case()
    eid = stored.case.evaluation.id
    widgets.page_header("自评表", stored)
    widgets.show_notice(selfeval_form.PLACE)
    unit = session.may("selfeval.submit")
    try:  # the evaluator's comparison carries the form too: read and scored once a run
        compared = None if unit else backend.call(reconciliation.compare, eid)
        shown = backend.call(selfeval.get_selfeval, eid) if compared is None else compared.selfeval
    except WorkbenchError as exc:
        backend.show_error(exc)
        return
    assert shown is not None
    st.caption(f"项目单位自评表（财预〔2020〕10号 附件2）：{form_status(shown)}")
    scores(shown)
    download(shown)
    if compared is None:
        unit_side(shown)
    else:
        st.subheader("自评与评价得分对比")
        evaluator_side(compared, eid)
        may_return = session.may("evaluation.score") or session.may("workflow.return")
        if shown.submitted and may_return and stored.case.evaluation.status not in LOCKED:
            send_back(shown)


draw()
