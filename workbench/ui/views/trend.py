"""历年趋势: the selected evaluation's project across its years — each year's total and level-1
scores (its stored evaluation: 定稿 first), 执行率, the plan and payments (cumulative, 万元), and the
整改 items each year's evaluation found: 销号 and overdue today."""

from __future__ import annotations

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.trend import table
from workbench.services import trend
from workbench.ui import backend, widgets
from workbench.ui.safe_text import md

stored = widgets.require_case()
project = stored.case.project
widgets.page_header("历年趋势", stored, read_only=True)
found = backend.call(trend.project_trend, project.id)
scored = [row for row in found.years if row.scores and row.scores.total is not None]
st.markdown(
    md(
        "**{}**：共 {} 个年度，其中 {} 个年度已有评价得分；分年支付计划合计 {} 万元。",
        found.project_name,
        len(found.years),
        len(scored),
        fmt2(found.plan_total),
    )
)
st.table(table(found), hide_index=True)
st.caption(
    "总分与一级指标得分取各年度的评价记录（同一年度有多份时取定稿的，其次取最近修改的）；"
    "执行率 = 实际支出 / 实际到位；整改销号为“销号数/该年度评价发现的问题数”，逾期按今天计算；— 表示未载明。"
)
if found.years and found.years[0].rectification is None:
    st.caption("您的角色无权查看整改台账，整改列显示为 —。")
