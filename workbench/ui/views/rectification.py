"""整改台账: last year's problems carried into the selected evaluation, each with its 责任单位,
整改类型, 期限, 状态 and an 逾期 flag; the project unit reports progress with 佐证材料 and asks for
延期, the evaluator approves or returns extensions and 销号 (``ui.rectification_panel``)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from workbench.services import rectification as rect
from workbench.ui import backend, evidence_panel, rectification_panel, session, widgets
from workbench.ui.safe_text import md, plain_text

stored = widgets.require_case()
eid = stored.case.evaluation.id
ev = stored.case.evaluation
st.title("整改台账")  # no workflow bar: moves on the 台账 do not depend on the evaluation's status
st.markdown(
    md("**{}** · {} 年度 · 上年度评价发现问题的整改情况", ev.title or stored.case.project.name, ev.year)
)
today = date.today()

result = backend.attempt(rect.stored_for_evaluation, eid)
if result.error is not None:
    backend.show_error(result.error)
    st.stop()
items = result.value
if not items:
    st.info("本评价没有转入的上年度问题。开展下一年度评价时，上年度评价发现的问题会逐项转入这里。")
    st.stop()

counts = rect.tally([s.item for s in items], today)
cols = st.columns(4)
cols[0].metric("整改事项", counts.total)
cols[1].metric("已销号", counts.closed)
cols[2].metric("未完成", counts.open)
cols[3].metric("逾期", counts.overdue)
rows = [
    {
        "编号": f"{s.item.source_year}-{s.item.finding}",
        "问题": s.item.title,
        "责任单位": s.item.responsible_unit,
        "整改类型": s.item.kind,
        "期限": s.item.deadline.isoformat(),
        "状态": s.item.status,
        "逾期": "逾期" if s.item.overdue(today) else "",
    }
    for s in items
]
st.dataframe(rows, hide_index=True, width="stretch")

kinds = [k.name for k in rect.deadline_rules().kinds]
reporter = session.may(rect.REPORT)
files = evidence_panel.records(eid) if reporter else []
codes = {n.code: f"{n.code} {n.name}" for n in stored.scorecard.leaves()}
for s in items:
    item = s.item
    with st.container(border=True):
        late = " · :red[**逾期**]" if item.overdue(today) else ""
        st.markdown(md("**{}** · {} · 期限 {}", item.title, item.status, item.deadline.isoformat()) + late)
        st.caption(
            md(
                "{} 年度评价发现（{}）· 责任单位：{} · 整改类型：{}",
                item.source_year,
                item.finding,
                item.responsible_unit,
                item.kind,
            )
        )
        if item.measures:
            st.markdown(md("整改措施：{}", item.measures))
        if item.status == "申请延期" and item.extension_until:
            st.warning(md("已申请延期至 {}，待评价人员审批", item.extension_until.isoformat()))
        if item.progress:
            st.markdown(md("整改情况：{}", item.progress))
        if item.evidence:
            st.markdown(md("佐证材料：{}", "、".join(item.evidence)))
        if item.history:
            with st.expander("办理记录"):
                for e in item.history:
                    said = f"（{e.reason}）" if e.reason else ""
                    st.markdown(
                        plain_text(
                            f"{e.at.astimezone():%Y-%m-%d %H:%M} {e.by} {e.action}：{e.before} → {e.after}{said}"
                        )
                    )
        if reporter:
            rectification_panel.unit_forms(s, files, eid, codes)
        rectification_panel.evaluator_forms(s, kinds)
        widgets.show_notice(rectification_panel.key(item.id))
