"""领导看板: one screen for a leader — total and grade, level-1 scores, the largest deductions,
the problems with their recommendations, and how far the payments have come."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.ui import charts, widgets
from workbench.ui.safe_text import md
from workbench.ui.widgets import wan

stored = widgets.require_case()
case, card = stored.case, stored.scorecard
ev, ledger = case.evaluation, case.ledger
widgets.page_header("领导看板", stored)

progress = ledger.plan_progress()
paid = progress[-1]["cumulative_paid"] if progress else Decimal(0)
investment = ledger.total_investment
a, b, c, d = st.columns(4)
if card.unscored:
    a.metric("总分", widgets.UNSCORED)
    b.metric("等级", widgets.UNSCORED)
    c.metric("扣分合计", "—")
else:
    a.metric("总分", f"{fmt2(card.total)} / {fmt2(card.declared_total)}")
    b.metric("等级", card.grade)
    c.metric("扣分合计", fmt2(card.lost_total), help=f"{len(card.largest_deductions(1000))} 项指标扣分")
d.metric("累计支付", wan(paid), help=f"总投资 {wan(investment)}")
if widgets.unscored_next_step(card):
    st.stop()

left, right = st.columns(2)
with left:
    st.plotly_chart(charts.score_by_level_one(card), config=charts.PLOTLY_CONFIG)
    rows = [
        {
            "一级指标": n.name,
            "分值": fmt2(n.weight),
            "得分": fmt2(n.score),
            "扣分": fmt2(n.lost),
            "得分率": pct(n.rate),
        }
        for n in card.nodes
    ]
    st.dataframe(rows, hide_index=True)
with right:
    st.plotly_chart(charts.points_lost(card, limit=8), config=charts.PLOTLY_CONFIG)

left, right = st.columns(2)
with left:
    st.subheader("主要扣分")
    if not card.largest_deductions(5):
        st.caption("暂无扣分。")
    for node in card.largest_deductions(5):
        reasons = "；".join(dd.reason for dd in node.deductions) or node.rationale or "（未写明理由）"
        st.markdown(md("- **{} {}** 扣 {} 分：{}", node.code, node.name, fmt2(node.lost), reasons))
    st.subheader("存在的问题与建议")
    if not ev.findings:
        st.caption("尚未记录问题。")
    for n, finding in enumerate(ev.findings, 1):
        answers = ev.recommendations_for(finding.id)
        advice = "；".join(r.title for r in answers) or "（尚无建议）"
        st.markdown(md("{}. **{}** → 建议：{}", n, finding.title, advice))
with right:
    st.subheader("资金支付进度")
    share = paid / investment if investment else Decimal(0)
    st.progress(
        float(min(share, Decimal(1))), text=f"已支付 {wan(paid)} / 总投资 {wan(investment)}（{pct(share)}）"
    )
    if progress:
        planned = progress[-1]["cumulative_planned"]
        years = f"{progress[0]['year']}–{progress[-1]['year']}"
        st.caption(
            f"分年支付计划 {years}，计划合计 {wan(planned)}；到位率 {pct(ledger.arrival_rate(ev.year))}，执行率 {pct(ledger.execution_rate(ev.year))}（{ev.year}年）。"
        )
        st.plotly_chart(charts.payment_plan(ledger), config=charts.PLOTLY_CONFIG)
