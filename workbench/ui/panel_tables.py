"""Tables of the 专家评分 page: the panel result per indicator (each expert's score, dropped and
outlying scores marked, the spread, the panel score and how it was reached) and who has submitted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.panel import PanelScore
from workbench.services.panel_apply import PanelChange
from workbench.services.panels import PanelLeaf, PanelView
from workbench.services.ports import StoredSheet
from workbench.ui.safe_text import md


def _mark(score: PanelScore, expert: str) -> str:
    found = next((m for m in score.marks if m.expert == expert), None)
    if found is None:
        return ""
    notes = [found.dropped] if found.dropped else []
    if found.outlier:
        notes.append("离群")
    return fmt2(found.score) + (f"（{'，'.join(notes)}）" if notes else "")


def result_rows(shown: PanelView) -> list[dict[str, Any]]:
    """One row per indicator: each expert's mark, spread, panel score and the record of it."""
    assert shown.result is not None
    experts = sorted({m.expert for r in shown.result.values() for m in r.marks}, key=_order(shown))
    rows = []
    for leaf in shown.leaves:
        got = shown.result.get(leaf.code)
        row: dict[str, Any] = {"指标": f"{leaf.code} {leaf.name}", "分值": fmt2(leaf.weight)}
        for expert in experts:
            row[expert] = _mark(got, expert) if got else ""
        row["极差"] = fmt2(got.spread) if got else ""
        row["专家组得分"] = fmt2(got.score) if got else "—"
        row["计分说明"] = got.describe() if got else "尚无专家评分"
        rows.append(row)
    return rows


def _order(shown: PanelView) -> Any:
    names = [s.expert_name for s in shown.panel.counted]
    return lambda name: next((i for i, n in enumerate(names) if name.startswith(n)), len(names))


def result_table(shown: PanelView) -> None:
    results = (shown.result or {}).values()
    a, b, c = st.columns(3)
    a.metric("已提交专家", f"{sum(1 for s in shown.panel.counted if s.submitted)} 人")
    b.metric("专家组评分的指标", f"{len(shown.result or {})} 项")
    c.metric("专家组得分合计", fmt2(sum((r.score for r in results), Decimal(0))))
    outliers = sum(len(r.outliers) for r in results)
    if outliers:
        st.warning(f"有 {outliers} 个评分偏离该指标全部评分的中位数较多（标为“离群”），请关注。")
    st.dataframe(result_rows(shown), hide_index=True)


def members(shown: PanelView) -> None:
    if not shown.members:
        st.info("还没有专家填写评分表。")
        return
    text = "、".join(f"{name}（{'已提交' if done else '评分中'}）" for name, done in shown.members)
    st.markdown(md("**评分进度**：{}", text))


def sheet_rows(leaves: list[PanelLeaf], sheets: list[StoredSheet]) -> list[dict[str, Any]]:
    """The sheets the viewer may see, side by side (their own included)."""
    rows = []
    for leaf in leaves:
        row: dict[str, Any] = {"指标": f"{leaf.code} {leaf.name}", "分值": fmt2(leaf.weight)}
        for sheet in sheets:
            value = sheet.scores.get(leaf.code)
            row[sheet.expert_name] = "" if value is None else fmt2(value)
        rows.append(row)
    return rows


def change_rows(changes: list[PanelChange]) -> list[dict[str, str]]:
    """The preview of applying the panel: indicator, current score, panel score, the change."""
    return [
        {
            "指标": f"{c.code} {c.name}",
            "分值": fmt2(c.weight),
            "当前得分": "未评分" if c.current is None else fmt2(c.current),
            "专家组得分": fmt2(c.panel),
            "变化": "—" if c.current is None else f"{c.panel - c.current:+.2f}",
            "计分方法": c.how,
        }
        for c in changes
    ]
