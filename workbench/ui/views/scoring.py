"""评分: score each leaf indicator by its rule; subtotals, total and grade follow every save.

The page loads the evaluation once per run (``require_case``) and draws it with ``draw``;
bench/bench_scoring_page.py draws the same with precomputed values to measure Streamlit's own
share of a rerun.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.domain.scoring import NodeScore, Scorecard, gap_to_next_grade
from workbench.services.evaluations import StoredCase
from workbench.services.security_ports import EvidenceRecord
from workbench.ui import charts, evidence_panel, score_form, session, widgets
from workbench.ui.safe_text import md, plain_text

STATUS = widgets.SCORE_STATUS


def draw(stored: StoredCase, evidence: Sequence[EvidenceRecord] = ()) -> None:
    """The page for ``stored`` with the evaluation's ``evidence`` (loaded by the caller)."""
    card = stored.scorecard
    widgets.page_header("评分", stored, editing=session.may("evaluation.score"))
    widgets.score_metrics(card)
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.score_by_level_one(card), config=charts.PLOTLY_CONFIG)
    with right:
        next_grade(card)
        subtotals(card)
    st.subheader("逐项评分")
    editor(stored, evidence)
    with st.expander("评分表（全部指标）"):
        full_table(card)


def next_grade(card: Scorecard) -> None:
    """What it takes to reach the next grade: the fewest points to recover, and where."""
    gap = gap_to_next_grade(card)
    st.markdown("**距上一等级**")
    if gap is None:
        st.success(md("已是最高等级“{}”。", card.grade))
        return
    places = "、".join(f"{n.code} {n.name}（扣 {fmt2(n.lost)}）" for n in gap.where)
    if gap.reachable:
        st.info(md("再得 {} 分可达“{}”；扣分最多之处：{}。", fmt2(gap.points_needed), gap.next_grade, places))
    else:
        st.warning(md("达到“{}”需再得 {} 分，现有扣分不足以挽回。", gap.next_grade, fmt2(gap.points_needed)))


def subtotals(card: Scorecard) -> None:
    rows = [
        {
            "指标": ("　" * (n.level - 1)) + n.name,
            "分值": fmt2(n.weight),
            "得分": fmt2(n.score),
            "得分率": pct(n.rate),
        }
        for n in card.walk()
        if n.level <= 2 and not n.is_leaf
    ]
    st.dataframe(rows, hide_index=True)


def editor(stored: StoredCase, evidence: Sequence[EvidenceRecord]) -> None:
    case, card = stored.case, stored.scorecard
    eid = case.evaluation.id
    leaves = {n.code: n for n in card.leaves()}

    def label(code: str) -> str:
        n = leaves[code]
        got = STATUS[n.status] if n.status != "scored" else f"{fmt2(n.score)} / {fmt2(n.weight)}"
        return f"{code} {n.name} · {got}"

    code = st.selectbox("选择指标", list(leaves), format_func=label, key=score_form.picker_key(eid))
    node, leaf = leaves[code], case.system.find(code)
    assert leaf is not None
    path = " › ".join(p.name for p in case.system.path(code))
    st.markdown(md("**{}**（分值 {}）", path, fmt2(node.weight)))
    info, result = st.columns([3, 2])
    info.markdown(md("**指标解释**：{}", node.explanation or "—"))
    info.markdown(md("**评分标准**：{}", node.criteria or "—"))
    info.markdown(md("**评分规则**：{}", node.rule or "未设定"))
    result.metric(
        "本项得分",
        STATUS[node.status] if node.status != "scored" else fmt2(node.score),
        help=plain_text(node.calculation) or None,
    )
    if node.calculation:
        result.caption(plain_text(node.calculation))
    if node.status == "na":
        result.caption(md("不适用：{}", node.na_reason))
    items = [item for item in evidence if item.code == code]
    with st.expander(f"本指标的佐证材料（{len(items)} 份）", expanded=bool(items)):
        evidence_panel.listing(items, f"score_evidence:{eid}:{code}")
        evidence_panel.upload_form(eid, code, f"score_evidence:{eid}:{code}")
    if leaf.rule is None:
        st.warning("该指标未设定评分规则（指标体系为不带分值的参考框架），不能在此评分。")
        return
    if not session.may("evaluation.score"):
        read_only(node)
        return
    citations = [item.citation for item in items]
    score_form.draw(eid, leaf, case.evaluation.scores.get(code), stored.versions.of_score(code), citations)


def read_only(node: NodeScore) -> None:
    """The recorded deductions, for a role that reviews but does not score."""
    st.markdown("**扣分事项**")
    if not node.deductions:
        st.caption("本项没有扣分。")
        return
    rows = [
        {
            "扣分理由": d.reason,
            "扣分": fmt2(d.points) if d.points is not None else "按公式",
            "佐证材料": d.evidence,
        }
        for d in node.deductions
    ]
    st.dataframe(rows, hide_index=True)


def full_table(card: Scorecard) -> None:
    rows = [
        {
            "代码": n.code,
            "指标": ("　" * (n.level - 1)) + n.name,
            "分值": fmt2(n.weight),
            "得分": fmt2(n.score) if n.status != "pending" else "—",
            "扣分": fmt2(n.lost) if n.lost else "",
            "状态": STATUS[n.status],
            "扣分理由": "；".join(d.reason for d in n.deductions) or n.na_reason,
        }
        for n in card.walk()
    ]
    st.dataframe(rows, hide_index=True)


if __name__ == "__main__":
    opened = widgets.require_case()
    eid = opened.case.evaluation.id
    draw(opened, evidence_panel.records(eid) if session.may("evidence.view") else [])
