"""Plotly figures for the pages, built from domain objects (no Streamlit, no database).

Each figure is written as one plain figure spec (traces and layout as dicts) and validated once
by ``go.Figure(spec)``: building it trace by trace (``add_bar``, ``update_layout``) validates at
every step and costs about four times as much, on every rerun of a page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from workbench.domain.base import fmt2, q2
from workbench.domain.ledger import Ledger
from workbench.domain.scoring import Scorecard

# Every chart: Plotly's Chinese locale, and no toolbar (its English tooltips add nothing here).
PLOTLY_CONFIG = {"locale": "zh-CN", "displayModeBar": False}

FONT = {
    "family": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif",
    "size": 13,
}
COLORS = {
    "weight": "#c9d6e8",
    "score": "#1f5fa8",
    "lost": "#c0392b",
    "plan": "#9db4d4",
    "paid": "#1f5fa8",
    "arranged": "#e0a83a",
}


def _figure(traces: list[dict[str, Any]], title: str, height: int = 360, **layout: Any) -> go.Figure:
    base = {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "font": FONT,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        "plot_bgcolor": "white",
    }
    yaxis = {"gridcolor": "#eeeeee", **layout.pop("yaxis", {})}
    return go.Figure({"data": traces, "layout": {**base, **layout, "yaxis": yaxis}})


def _f(value: Decimal) -> float:
    """Plotly draws floats; the figures shown in labels stay exact two-decimal strings."""
    return float(q2(value))


def score_by_level_one(card: Scorecard) -> go.Figure:
    names = [n.name for n in card.nodes]

    def bars(name: str, values: list[Decimal], color: str) -> dict[str, Any]:
        labels = [fmt2(v) for v in values]
        return {"type": "bar", "name": name, "x": names, "y": [_f(v) for v in values], "text": labels,
                "textposition": "outside", "marker": {"color": color}}  # fmt: skip

    traces = [
        bars("分值", [n.weight for n in card.nodes], COLORS["weight"]),
        bars("得分", [n.score for n in card.nodes], COLORS["score"]),
    ]
    return _figure(traces, "一级指标得分与分值", barmode="group", yaxis={"title": {"text": "分"}})


def points_lost(card: Scorecard, limit: int = 12) -> go.Figure:
    lost = card.largest_deductions(limit)[::-1]
    trace = {
        "type": "bar",
        "orientation": "h",
        "name": "扣分",
        "x": [_f(n.lost) for n in lost],
        "y": [f"{n.code} {n.name}" for n in lost],
        "text": [f"−{fmt2(n.lost)}" for n in lost],
        "textposition": "outside",
        "marker": {"color": COLORS["lost"]},
    }
    height = max(260, 40 + 32 * len(lost))
    widest = max((_f(n.lost) for n in lost), default=1.0)
    axis = {"title": {"text": "扣分"}, "range": [0, widest * 1.25]}  # room for the labels outside the bars
    return _figure([trace], "扣分分布（按指标）", height, showlegend=False, xaxis=axis)


def payment_plan(ledger: Ledger) -> go.Figure:
    rows = ledger.plan_progress()
    years = [str(r["year"]) for r in rows]

    def column(key: str) -> list[float]:
        return [_f(Decimal(r[key])) for r in rows]

    traces = [
        {"type": "bar", "name": "计划安排", "x": years, "y": column("planned"), "marker": {"color": COLORS["plan"]}},
        {"type": "bar", "name": "预算安排", "x": years, "y": column("arranged"), "marker": {"color": COLORS["arranged"]}},
        {"type": "bar", "name": "已支付", "x": years, "y": column("paid"), "marker": {"color": COLORS["paid"]}},
        {"type": "scatter", "name": "累计计划", "x": years, "y": column("cumulative_planned"), "yaxis": "y2",
         "mode": "lines+markers", "line": {"color": "#7f8c8d", "dash": "dot"}},
        {"type": "scatter", "name": "累计支付", "x": years, "y": column("cumulative_paid"), "yaxis": "y2",
         "mode": "lines+markers", "line": {"color": COLORS["paid"]}},
    ]  # fmt: skip
    return _figure(
        traces,
        "分年支付计划与资金安排、支付",
        380,
        barmode="group",
        yaxis={"title": {"text": "当年（万元）"}},
        yaxis2={"title": {"text": "累计（万元）"}, "overlaying": "y", "side": "right", "showgrid": False},
    )


def spend_breakdown(ledger: Ledger, year: int) -> go.Figure:
    lines = ledger.lines(year)
    trace = {
        "type": "pie",
        "labels": [f"{li.category}（{li.amount}{li.unit}）" for li in lines],
        "values": [float(li.wan) for li in lines],
        "hole": 0.45,
        "sort": False,
        "textinfo": "percent",
        "hovertemplate": "%{label}<extra></extra>",
    }
    return _figure([trace], f"{year}年支出构成（按记录单位折算为万元）", 340)
