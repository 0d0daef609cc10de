"""领导看板: one 1366×768 screen for a leader — a conclusion sentence, score and grade, the
performance targets achieved or not, the year's budget execution, the problems with their
recommendations, each with a red/amber/green light (thresholds: indicators/leader-status.yaml),
and the plan against the spend in 万元.  Details open in pop-overs, not below the fold."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.domain.dashboard import LIGHT_LABELS, Dashboard, Execution, Light
from workbench.domain.trend import table
from workbench.services import dashboard, trend
from workbench.ui import backend, charts, widgets
from workbench.ui.safe_text import md, plain_text
from workbench.ui.widgets import wan

BADGE = {"green": "green", "amber": "orange", "red": "red"}
CALLOUT = {"green": st.success, "amber": st.warning, "red": st.error}
SHOWN = 3  # rows of a list on the screen; the rest in its pop-over (one screen at 1366×768)


def badge(light: Light | None) -> str:
    return f":{BADGE[light]}-badge[● {LIGHT_LABELS[light]}]" if light else ":gray-badge[未载明]"


def lines(heading: str, rows: list[str]) -> None:
    """A heading and its rows as one block (line breaks, not paragraphs: no space between rows)."""
    st.markdown("  \n".join([f"**{heading}**", *rows]))


def tile(box, label: str, value: str, light: Light | None, note: str) -> None:  # type: ignore[no-untyped-def]
    with box.container(border=True, gap=None):
        st.markdown(md("{} ", label) + badge(light) + "  \n" + md("**{}**", value))
        st.caption(plain_text(note))


def execution_note(ex: Execution | None) -> tuple[str, str]:
    if ex is None:
        return "—", "台账未载明当年安排和支出"
    return pct(ex.rate), f"实际支出 / {ex.basis}"


def year_figures(ex: Execution | None) -> str:
    """The evaluated year's plan, arranged funds and spend in one line (万元)."""
    if ex is None:
        return "台账未载明评价年度的安排和支出。"
    plan = f"分年计划 {fmt2(ex.planned)}，" if ex.planned is not None else ""
    arranged = f"当年安排 {fmt2(ex.budget)}，" if ex.basis == "当年安排" else ""
    return f"{ex.year}年：{plan}{arranged}实际支出 {fmt2(ex.spent)}（万元）"


def tiles(view: Dashboard, stored) -> None:  # type: ignore[no-untyped-def]
    card = stored.scorecard
    a, b, c, d = st.columns(4)
    score = f"{fmt2(card.total)} 分 · {card.grade}"
    tile(
        a, "总分与等级", score, view.score_light, f"满分 {fmt2(card.declared_total)}，得分率 {pct(card.rate)}"
    )
    met = sum(1 for t in view.targets if t.state == "达成")
    unset = sum(1 for t in view.targets if t.state == "未设定目标值")
    tile(b, "绩效目标", f"{met} / {len(view.targets)} 项达成", view.targets_light, f"{unset} 项未设定目标值")
    value, note = execution_note(view.execution)
    year = view.execution.year if view.execution else stored.case.evaluation.year
    tile(c, f"{year}年预算执行率", value, view.execution.light if view.execution else None, note)
    lost = fmt2(sum((f.lost for f in view.findings), Decimal(0)))
    tile(d, "存在问题", f"{len(view.findings)} 项", view.findings_light, f"相关指标共扣 {lost} 分")


def levels_and_targets(view: Dashboard) -> None:
    rows = [
        badge(line.light) + md(" {} {}（{}）", line.node.name, fmt2(line.node.score), pct(line.node.rate))
        for line in view.levels
    ]
    lines("一级指标得分（得分率）", rows)
    shown = [t for t in view.targets if t.state != "未设定目标值"]
    rows = [badge(t.light) + md(" {}：{}", t.name, t.state) for t in shown[:SHOWN]]  # values: in the pop-over
    rest = len(view.targets) - len(shown[:SHOWN])
    if rest:
        rows.append(f":gray[另 {rest} 项" + ("未设定目标值]" if len(shown) <= SHOWN else "，见下]"))
    lines("绩效目标（目标值 / 实际值）", rows or [":gray[项目未载明绩效目标]"])
    with st.popover("全部绩效目标（目标值与实际值）", width="stretch"):
        table = [
            {"绩效目标": t.name, "目标值": t.target, "实际值": t.actual, "是否达成": t.state}
            for t in view.targets
        ]
        st.table(table, hide_index=True)


def years_line(project_id: str) -> None:
    """The project's years on one button (score and grade of each evaluated year); the table of
    every year (scores, money against the plan, 整改) opens in its pop-over."""
    found = backend.call(trend.project_trend, project_id)
    if not found.years:
        return
    done = [r for r in found.years if r.scores and r.scores.total is not None]
    text = "；".join(f"{r.year}年 {fmt2(r.scores.total)} 分" for r in done if r.scores)
    span = f"{found.years[0].year}—{found.years[-1].year}年"
    with st.popover(plain_text(f"项目历年（{span}）：{text or '尚无评价得分'}"), width="stretch"):
        st.table(table(found), hide_index=True)


def findings_box(view: Dashboard, card) -> None:  # type: ignore[no-untyped-def]
    rows = [
        badge(f.light) + md(" {}. {}（扣 {} 分）  \n　→ 建议：{}", n, f.title, fmt2(f.lost), f.advice)
        for n, f in enumerate(view.findings, 1)
    ]
    more = [f":gray[另有 {len(rows) - SHOWN} 项，见下]"] if len(rows) > SHOWN else []
    lines("存在的问题与建议", rows[:SHOWN] + more or [":gray[尚未记录问题]"])
    with st.popover("全部问题与扣分最多的指标", width="stretch"):
        st.markdown("  \n".join(rows))
        st.markdown("**扣分最多的指标**")
        for node in card.largest_deductions(8):
            reasons = "；".join(dd.reason for dd in node.deductions) or node.rationale or "（未写明理由）"
            st.markdown(md("- **{} {}** 扣 {} 分：{}", node.code, node.name, fmt2(node.lost), reasons))


# One laptop screen: less of Streamlit's empty space above and below the page (style only: it
# takes no room of its own).
st.html("<style>[data-testid=stMainBlockContainer] {padding-top: 2rem; padding-bottom: 1rem}</style>")
stored = widgets.require_case()
card, ledger = stored.scorecard, stored.case.decided_ledger
widgets.page_header("领导看板", stored)
if widgets.unscored_next_step(card):
    st.stop()
view = dashboard.summary(stored)
CALLOUT[view.score_light](plain_text(view.conclusion))
tiles(view, stored)
left, middle, right = st.columns([1.2, 1, 1])
with left:
    if ledger.plan:
        lines(f"分年计划与支出（计划合计 {fmt2(ledger.plan_total())} 万元）", [])
        st.plotly_chart(charts.plan_and_spend(ledger, 150), config=charts.PLOTLY_CONFIG)
        st.caption(plain_text(year_figures(view.execution)))
    else:
        st.caption(f"台账未载明分年支付计划；总投资 {wan(ledger.total_investment)}。")
    years_line(stored.case.project.id)
with middle:
    levels_and_targets(view)
with right:
    findings_box(view, card)
