"""佐证材料: upload evidence per indicator (project units for their own projects, evaluators) and
list and download the evaluation's evidence, by indicator."""

from __future__ import annotations

import streamlit as st

from workbench.domain.base import fmt2
from workbench.ui import evidence_panel, session, widgets

stored = widgets.require_case()
eid, card = stored.case.evaluation.id, stored.scorecard
widgets.page_header("佐证材料", stored)
leaves = {n.code: n for n in card.leaves()}
place = f"evidence:{eid}"

if session.may("evidence.upload"):
    with st.container(border=True):
        code = st.selectbox(
            "指标",
            list(leaves),
            format_func=lambda c: f"{c} {leaves[c].name}（分值 {fmt2(leaves[c].weight)}）",
            key=f"evidence_code:{eid}",
        )
        evidence_panel.upload_form(eid, code, place)

st.subheader("本评价的佐证材料")
items = evidence_panel.records(eid)
st.caption(f"共 {len(items)} 份；评价人员评分时可在扣分事项中按编号引用（如“EV12 合同.pdf”）。")
evidence_panel.listing(items, place, show_code=True)
