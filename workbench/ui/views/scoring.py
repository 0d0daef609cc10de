"""评分: score each leaf indicator by its rule; subtotals, total and grade follow every save.

The page loads the evaluation once per run (``require_case``) and draws it with ``draw``;
bench/bench_scoring_page.py draws the same with precomputed values to measure Streamlit's own
share of a rerun.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.domain.evaluation import IndicatorScore
from workbench.domain.indicators import Indicator
from workbench.domain.scoring import NodeScore, Scorecard, gap_to_next_grade
from workbench.domain.workflow import EDITABLE, LOCKED
from workbench.errors import Problem
from workbench.services.evaluations import StoredCase
from workbench.services.ports import EvidenceRecord
from workbench.ui import charts, evidence_panel, score_bar, score_form, session, widgets
from workbench.ui.safe_text import md, plain_text

STATUS = widgets.SCORE_STATUS


def draw(
    stored: StoredCase, evidence: Sequence[EvidenceRecord] = (), report: list[Problem] | None = None
) -> None:
    """The page for ``stored`` with the evaluation's ``evidence`` (loaded by the caller) and what
    the report checks found (``report``; None: no report button in the bar)."""
    card = stored.scorecard
    scorer = session.may("evaluation.score")
    widgets.page_header("评分", stored, editing=scorer, read_only=True)
    score_bar.draw(stored, report)
    editor(stored, evidence, writable=scorer and stored.case.evaluation.status in EDITABLE)
    st.subheader("评分概览")
    widgets.score_notes(card)
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.score_by_level_one(card), config=charts.PLOTLY_CONFIG)
    with right:
        next_grade(card)
        subtotals(card)
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


MARKS = {"scored": "✓", "pending": "○", "na": "／"}  # in the picker: done, to do, not applicable


def picker(eid: str, leaves: dict[str, NodeScore]) -> str:
    """上一项 · 选择指标 · 下一项; the list marks which indicators are scored.  Returns the code."""
    codes, key = list(leaves), score_form.pick_key(eid)
    if st.session_state.get(key) not in codes:
        st.session_state[key] = codes[0]
    at = codes.index(st.session_state[key])
    before, box, after = st.columns([1.3, 7, 1.3], vertical_alignment="bottom")
    before.button(
        "上一项",
        key=f"{key}:prev",
        on_click=_move,
        args=(key, codes[at - 1] if at else None),
        disabled=at == 0,
        icon=":material/arrow_back:",
    )
    after.button(
        "下一项",
        key=f"{key}:next",
        on_click=_move,
        args=(key, codes[at + 1] if at + 1 < len(codes) else None),
        disabled=at + 1 == len(codes),
        icon=":material/arrow_forward:",
    )

    def label(code: str) -> str:
        n = leaves[code]
        got = STATUS[n.status] if n.status != "scored" else f"{fmt2(n.score)} / {fmt2(n.weight)}"
        return f"{MARKS[n.status]} {code} {n.name} · {got}"

    done = sum(n.status != "pending" for n in leaves.values())
    return box.selectbox(
        f"选择指标（第 {at + 1} / {len(codes)} 项；已评 {done} 项，○ 为未评分）",
        codes,
        format_func=label,
        key=key,
    )


def _move(key: str, code: str | None) -> None:
    if code is not None:
        st.session_state[key] = code


def editor(stored: StoredCase, evidence: Sequence[EvidenceRecord], *, writable: bool) -> None:
    case, card = stored.case, stored.scorecard
    eid = case.evaluation.id
    leaves = {n.code: n for n in card.leaves()}
    code = picker(eid, leaves)
    node, leaf = leaves[code], case.system.find(code)
    assert leaf is not None
    indicator_info(case.system.path(code), node)
    items = [item for item in evidence if item.code == code]
    if leaf.rule is None:
        st.warning("该指标未设定评分规则（指标体系为不带分值的参考框架），不能在此评分。")
    elif not writable:
        read_only(node, case.evaluation.scores.get(code), leaf)
    else:
        codes = list(leaves)
        after = codes[codes.index(code) + 1] if code != codes[-1] else None
        citations = [item.citation for item in items]
        entry, version = case.evaluation.scores.get(code), stored.versions.of_score(code)
        score_form.draw(eid, leaf, entry, version, citations, next_code=after)
    with st.expander(f"本指标的佐证材料（{len(items)} 份）", expanded=bool(items)):
        evidence_panel.listing(items, f"score_evidence:{eid}:{code}")
        if case.evaluation.status not in LOCKED:
            evidence_panel.upload_form(eid, code, f"score_evidence:{eid}:{code}")


def indicator_info(path: Sequence[Indicator], node: NodeScore) -> None:
    """Where the indicator sits, its weight and score, and what it is judged by."""
    st.markdown(md("**{}**（分值 {}）", " › ".join(p.name for p in path), fmt2(node.weight)))
    info, rule, result = st.columns([5, 4, 2])
    info.markdown(
        md("**评分标准**：{}", node.criteria or "—"), help=plain_text(f"指标解释：{node.explanation or '—'}")
    )
    rule.markdown(md("**评分规则**：{}", node.rule or "未设定"))
    if node.calculation:
        rule.caption(plain_text(node.calculation))
    if node.status == "na":
        rule.caption(md("不适用：{}", node.na_reason))
    result.metric("本项得分", STATUS[node.status] if node.status != "scored" else fmt2(node.score))


def read_only(node: NodeScore, entry: IndicatorScore | None, leaf: Indicator) -> None:
    """What was recorded for the indicator, as text (nothing that looks editable): the rule's
    inputs, each deduction with its source, not applicable, the rationale and the evidence."""
    with st.container(border=True):
        assert leaf.rule is not None
        entry = entry or IndicatorScore()
        labels = score_form.input_labels(leaf.rule)
        given = [f"{labels.get(k, k)}：{v}" for k, v in entry.inputs.items() if k in labels]
        if given:
            st.markdown(md("{}", "；".join(given)))
        st.markdown("**扣分事项**")
        if not node.deductions:
            st.caption("本项没有扣分。")
        for d in entry.deductions or node.deductions:
            points = f"扣 {fmt2(d.points)} 分" if d.points is not None else "按公式扣分"
            items = f"（{d.items} 处）" if d.items else ""
            st.markdown(md("- {}{}：{}", points, items, d.reason))
            notes = [f"依据：{d.source}" if d.source else "", f"佐证材料：{d.evidence}" if d.evidence else ""]
            if any(notes):
                st.caption(md("{}", "　".join(n for n in notes if n)))
        if entry.not_applicable:
            st.markdown(md("**不适用（/）**：{}", entry.na_reason))
        st.markdown(md("**评分说明**：{}", entry.rationale or "—"))
        if entry.evidence:
            st.markdown(md("**佐证材料**：{}", "；".join(entry.evidence)))


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
    st.table(
        rows, hide_index=True
    )  # every indicator and its whole 扣分理由, no box scrolling inside the page


if __name__ == "__main__":
    opened = widgets.require_case()
    eid = opened.case.evaluation.id
    evidence = evidence_panel.records(eid) if session.may("evidence.view") else []
    draw(opened, evidence, score_bar.report_problems(opened))
