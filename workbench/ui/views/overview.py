"""项目总览: the project's facts and its ledger — the multi-year payment plan against funds
arranged and paid, the evaluated year's spend, 到位率/执行率, and the ledger checks."""

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.domain.ledger_decisions import resolved
from workbench.ui import charts, widgets
from workbench.ui.multiyear import next_year_section
from workbench.ui.safe_text import md, plain_text
from workbench.ui.widgets import wan


def recorded(row: dict, key: str, known: bool) -> str:
    """A yearly figure, or — for a year with nothing recorded yet (a later plan year), not 0.00."""
    return fmt2(row[key]) if known else "—"


stored = widgets.require_case()
case = stored.case
# Figures as the evaluator decided them (a 8.4元 slip corrected to 万元 shows in 万元, its original
# noted); the 台账核对 below still checks the ledger as recorded.
project, ledger, year = case.project, case.decided_ledger, case.evaluation.year
widgets.page_header("项目总览", stored)

st.subheader(plain_text(project.name))
unit = project.unit
facts = {
    "项目单位": f"{unit.name}（{unit.nature}）" if unit.nature else unit.name,
    "主管部门": project.department or "—",
    "地区": project.region or "—",
    "立项决策": " ".join(x for x in (project.decision.date, project.decision.body) if x) or "—",
    "采购方式": project.procurement.method or "—",
    "中标（承建）单位": project.procurement.contractor or "—",
    "监理单位": project.procurement.supervisor or "—",
    "建成 / 验收": f"{project.completed or '—'} / {project.accepted or '—'}",
}
staff = unit.staffing
if staff.authorized is not None:
    facts["人员"] = f"编制 {staff.authorized} 名，实有 {staff.actual} 人，专业技术人员 {staff.technical} 名"
left, right = st.columns(2)
for i, (label, value) in enumerate(facts.items()):
    (left if i % 2 == 0 else right).markdown(md("**{}**：{}", label, value))
if unit.description or project.background:
    with st.expander("项目单位与项目背景"):
        st.markdown(plain_text(unit.description))
        st.markdown(plain_text(project.background))
if project.contents:
    with st.expander(f"建设内容（{len(project.contents)} 项）"):
        for n, item in enumerate(project.contents, 1):
            st.markdown(md("{}. **{}**：{}", n, item.title, item.text))
if project.targets:
    with st.expander(f"绩效目标完成情况（{len(project.targets)} 项）"):
        rows = [
            {"目标": t.name, "目标值": t.target, "实际完成": t.actual, "对应指标": t.indicator}
            for t in project.targets
        ]
        st.table(rows, hide_index=True)

st.subheader("项目资金")
funds = ledger.funds(year)
plan_years = [p.year for p in ledger.plan]
a, b, c, d = st.columns(4)
a.metric("总投资", wan(ledger.total_investment))
b.metric("支付计划", f"{min(plan_years)}–{max(plan_years)} 年" if plan_years else "未载明")
c.metric(f"{year}年到位率", pct(ledger.arrival_rate(year)), help="到位率 = 实际到位资金 / 预算安排资金")
d.metric(f"{year}年执行率", pct(ledger.execution_rate(year)), help="执行率 = 实际支出 / 实际到位资金")
if funds:
    a, b, c, d = st.columns(4)
    a.metric(f"{year}年安排资金", wan(funds.arranged))
    b.metric(f"{year}年到位资金", wan(funds.received))
    c.metric(f"{year}年实际支出", wan(ledger.spend(year)))
    d.metric(f"{year}年已支付", wan(funds.paid))
    if funds.scope or funds.note:
        st.caption(plain_text("；".join(x for x in (funds.scope, funds.note) if x)))

if ledger.plan:
    st.plotly_chart(charts.payment_plan(ledger), config=charts.PLOTLY_CONFIG)
    progress = ledger.plan_progress()
    rows = [
        {
            "年度": str(r["year"]),
            "计划安排（万元）": fmt2(r["planned"]),
            "预算安排（万元）": recorded(r, "arranged", ledger.arranged_known(int(r["year"]))),
            "已支付（万元）": recorded(r, "paid", ledger.paid_known(int(r["year"]))),
            "累计计划（万元）": fmt2(r["cumulative_planned"]),
            "累计支付（万元）": recorded(r, "cumulative_paid", ledger.paid_known(int(r["year"]))),
        }
        for r in progress
    ]
    st.table(rows, hide_index=True)
    if not any(ledger.paid_known(int(r["year"])) for r in progress):
        st.caption("台账未载明实际支付数（“—”表示未记录，不是 0）。")

lines = ledger.lines(year)
if lines:
    left, right = st.columns([2, 3])
    left.plotly_chart(charts.spend_breakdown(ledger, year), config=charts.PLOTLY_CONFIG)
    rows = [
        {
            "支出项目": li.category,
            "收款单位": li.payee or "—",
            "金额（万元）": fmt2(li.wan),
            "原始记录": f"原文记为 {li.written}，已按单位笔误更正" if li.written else "",
            "列入预算安排": "是" if li.planned else "否",
        }
        for li in lines
    ]
    right.markdown(
        f"**{year}年支出明细**（明细合计 {wan(ledger.line_total(year))}，所述支出 {wan(ledger.spend(year))}）"
    )
    right.table(rows, hide_index=True)

st.subheader("台账核对")
checks = case.ledger.checks()  # as recorded: the check shows the slip and its arithmetic
if not (ledger.plan or ledger.years or ledger.spend_lines):
    st.info(
        "台账中还没有分年支付计划、年度资金和支出明细，请在“资金台账”页填写，或用案例工作簿（Excel）导入。"
    )
elif not checks:
    st.success("台账核对未发现问题：分年计划合计与总投资相符，支出明细合计与所述支出相符。")
for check in checks:
    decision = resolved(check, case.evaluation.ledger_decisions)
    if decision is not None:
        st.info(md("{} —— 评价人已处理：{}", check.message, decision.describe()))
    else:
        {"error": st.error, "warning": st.warning}.get(check.severity, st.info)(plain_text(check.message))

next_year_section(case.evaluation.id, year, case.evaluation.status)
