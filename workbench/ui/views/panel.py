"""专家评分: each expert scores every indicator the panel judges in a form and submits it; they see
the other experts' scores only after submitting their own.  The evaluator chooses the method
(mean, or dropping the highest and lowest score), sees the panel score of every indicator with its
spread and outliers, and applies the result to the evaluation's scores."""

from __future__ import annotations

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.panel import METHOD_LABELS
from workbench.errors import WorkbenchError
from workbench.services import panel_apply, panels
from workbench.services.panels import PanelView
from workbench.ui import backend, panel_tables, widgets
from workbench.ui.safe_text import md

PLACE = "panel"


def sheet_form(shown: PanelView) -> None:
    """The signed-in expert's own sheet: one 得分 per indicator; 保存 keeps a draft, 提交 is final."""
    mine = shown.mine
    version = mine.stamp.version if mine else 0
    key = f"panel_sheet:{shown.evaluation_id}:{version}"
    st.caption(
        "逐项填写得分（0 至该指标分值）。保存后可继续修改；提交后不能修改，并可查看其他已提交专家的评分。"
    )
    with st.form(key, enter_to_submit=False):  # Enter in a score box does not save or submit
        typed = {}
        for leaf in shown.leaves:
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(
                md("**{} {}**（分值 {}）  \n{}", leaf.code, leaf.name, fmt2(leaf.weight), leaf.path)
            )
            if leaf.criteria:
                left.caption(md("评分标准：{}", leaf.criteria))
            given = mine.scores.get(leaf.code) if mine else None
            value = "" if given is None else format(given, "f")
            typed[leaf.code] = right.text_input("得分", value, key=f"{key}:{leaf.code}")
        sure = st.checkbox("我已逐项核对，确认提交（提交后不能修改）", key=f"{key}:sure")
        save, submit = st.columns(2)
        saved = save.form_submit_button("保存评分")
        submitted = submit.form_submit_button("提交评分", type="primary")
    if submitted and not sure:
        st.warning("提交前请勾选“确认提交”：提交后评分不能修改。")
        return
    if saved or submitted:
        result = backend.attempt(panels.save_sheet, shown.evaluation_id, typed, version, submit=submitted)
        if result.ok:
            widgets.notify(PLACE, "已提交评分。" if submitted else "已保存评分（尚未提交）。")
            st.rerun()
        backend.show_error(result.error)


def expert_side(shown: PanelView) -> None:
    st.subheader("我的评分")
    mine = shown.mine
    if mine is not None and mine.submitted and mine.submitted_at:
        st.success(f"您已于 {mine.submitted_at.astimezone():%Y-%m-%d %H:%M} 提交评分。")
    elif shown.may_score and shown.status in ("草稿", "退回修改", "重新打开"):
        sheet_form(shown)
    elif not shown.may_score:
        st.info("您不在本评价的专家组名单中。")
    else:
        st.info(f"评价处于“{shown.status}”状态，不能再评分。")
    if len(shown.visible) > 1 or (mine and mine.submitted):
        st.subheader("已提交的评分")
        st.dataframe(panel_tables.sheet_rows(shown.leaves, shown.visible), hide_index=True)
    elif mine is not None:
        st.caption("提交评分后才能看到其他专家的评分。")


def settings(shown: PanelView) -> None:
    panel = shown.panel
    key = f"panel_settings:{shown.evaluation_id}:{panel.version}"
    with st.form(key):
        methods = list(METHOD_LABELS)
        method = st.radio(
            "计分方法",
            methods,
            index=methods.index(panel.method),
            format_func=lambda m: (
                METHOD_LABELS[m]
                + (f"（专家不少于 {shown.trim_min_experts} 人时适用）" if m == "trimmed_mean" else "")
            ),
            key=f"{key}:method",
            horizontal=True,
        )
        experts = st.text_input(
            "专家组成员（账号，用逗号分隔；留空则任何有“专家评分”权限的账号都可评分）",
            "，".join(panel.experts),
            key=f"{key}:experts",
        )
        if st.form_submit_button("保存专家组设置"):
            names = experts.replace("，", ",").replace("、", ",").split(",")
            result = backend.attempt(panels.set_panel, shown.evaluation_id, method, names, panel.version)
            if result.ok:
                widgets.notify(PLACE, "已保存专家组设置。")
                st.rerun()
            backend.show_error(result.error)


def apply(shown: PanelView) -> None:
    """应用专家组评分: the changes are shown first and applied only when confirmed."""
    submitted = sum(1 for s in shown.panel.counted if s.submitted)
    eid, version = shown.evaluation_id, shown.panel.version
    preview_key = f"panel_preview:{eid}"
    st.caption(
        f"已提交 {submitted} 份。应用后，“专家组得分”成为相应指标的得分；评价人员填写的扣分理由、依据、"
        "来源和评分说明原样保留，专家组得分与计分方法记在其旁；应用后可撤销。"
    )
    if st.session_state.get(preview_key) != (version, submitted):
        if st.button("预览应用专家组评分", key=f"panel_apply:{version}:{submitted}", type="primary"):
            st.session_state[preview_key] = (version, submitted)
            st.rerun()
        return
    try:
        changes = backend.call(panel_apply.preview_panel, eid, version, submitted)
    except WorkbenchError as exc:
        backend.show_error(exc)
        return
    with st.container(border=True):
        st.markdown(f"**将改变以下 {len(changes)} 项指标的得分，请核对后确认：**")
        st.dataframe(panel_tables.change_rows(changes), hide_index=True, width="stretch")
        ok, cancel = st.columns([1, 4])
        if ok.button("确认应用", key=f"panel_apply_confirm:{version}:{submitted}", type="primary"):
            st.session_state.pop(preview_key, None)
            result = backend.attempt(panel_apply.apply_panel, eid, version, submitted)
            if result.ok:
                widgets.notify(
                    PLACE, f"已将专家组评分应用到 {len(result.value)} 项指标，原有扣分理由和依据已保留。"
                )
                st.rerun()
            backend.show_error(result.error)
        if cancel.button("取消", key=f"panel_apply_cancel:{version}"):
            st.session_state.pop(preview_key, None)
            st.rerun()


def undo(shown: PanelView) -> None:
    """撤销专家组评分: put back the scores the panel replaced, after a confirmation."""
    if not (shown.may_manage and panel_apply.undoable(shown.panel)):
        return
    with st.popover("撤销专家组评分", icon=":material/undo:"):
        st.write("恢复应用专家组评分之前的得分（应用后又手工改过的指标保持现状）。")
        if st.button("确认撤销", key=f"panel_undo:{shown.panel.version}", type="primary"):
            result = backend.attempt(panel_apply.undo_panel, shown.evaluation_id, shown.panel.version)
            if result.ok:
                restored, left = result.value
                kept = f"；{'、'.join(left)} 应用后已手工修改，保持现状" if left else ""
                widgets.notify(PLACE, f"已撤销专家组评分，恢复了 {len(restored)} 项指标原来的得分{kept}。")
                st.rerun()
            backend.show_error(result.error)


def evaluator_side(shown: PanelView) -> None:
    st.subheader("专家组")
    settings(shown)
    panel_tables.members(shown)
    applied = shown.panel.applied
    if applied:
        at = str(applied.get("at", ""))[:16].replace("T", " ")
        st.caption(md("已于 {} 由 {} 应用专家组评分。", at, applied.get("by", "")))
        undo(shown)


def draw() -> None:
    stored = widgets.require_case()
    widgets.page_header("专家评分", stored)
    widgets.show_notice(PLACE)
    try:
        shown = backend.call(panels.panel_view, stored.case.evaluation.id)
    except WorkbenchError as exc:
        backend.show_error(exc)
        return
    method = METHOD_LABELS[shown.panel.method]
    st.caption(f"共 {len(shown.leaves)} 项由专家评分的指标（人工评分、定性分档）；计分方法：{method}。")
    if shown.may_manage and shown.mine is None:
        with st.expander("本人也作为专家评分"):  # an evaluator on the panel; most only manage it
            expert_side(shown)
    elif shown.may_score or shown.mine is not None:
        expert_side(shown)
    if shown.may_manage:
        evaluator_side(shown)
    if shown.result is not None:
        st.subheader("专家组得分")
        panel_tables.result_table(shown)
        if shown.may_manage and (shown.mine is None or shown.mine.submitted):
            apply(shown)


draw()
