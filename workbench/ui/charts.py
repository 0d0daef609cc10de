"""Plotly figures for the pages, built from domain objects (no Streamlit, no database).

Each figure is written as one plain figure spec (traces and layout as dicts) and validated once
by ``go.Figure(spec)``: building it trace by trace (``add_bar``, ``update_layout``) validates at
every step and costs about four times as much, on every rerun of a page.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import plotly.graph_objects as go

from workbench.domain.base import fmt2, q2
from workbench.domain.ledger import Ledger
from workbench.domain.portfolio import DepartmentLine
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


# Amounts: ticks as "1,835" (no "1.8k"), the unit in the axis title.
WAN_AXIS = {"title": {"text": "万元"}, "tickformat": ",~f", "rangemode": "tozero"}


LEGEND = {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0}


def _figure(traces: list[dict[str, Any]], title: str, height: int = 360, **layout: Any) -> go.Figure:
    """A figure with its title on top and its legend below the plot, so neither covers the other."""
    base = {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "font": FONT,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": LEGEND,
        "plot_bgcolor": "white",
        "separators": ".,",
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


def _recorded(ledger: Ledger, rows: list[dict[str, Any]], key: str) -> list[float | None]:
    """A yearly figure where the ledger records the year's funds; None (no bar, not 0) elsewhere."""
    known = {
        "arranged": ledger.arranged_known,
        "paid": ledger.paid_known,
        "cumulative_paid": ledger.paid_known,
    }[key]
    return [_f(Decimal(r[key])) if known(int(r["year"])) else None for r in rows]


def payment_plan(ledger: Ledger, height: int = 380) -> go.Figure:
    """The multi-year plan per year and cumulative, with what was arranged and paid where the
    ledger records it (a year without a record draws no bar rather than a 0)."""
    rows = ledger.plan_progress()
    years = [str(r["year"]) for r in rows]
    planned = [_f(Decimal(r["planned"])) for r in rows]
    cumulative = [_f(Decimal(r["cumulative_planned"])) for r in rows]
    traces: list[dict[str, Any]] = [
        {"type": "bar", "name": "计划安排", "x": years, "y": planned, "marker": {"color": COLORS["plan"]}},
        {"type": "bar", "name": "预算安排", "x": years, "y": _recorded(ledger, rows, "arranged"),
         "marker": {"color": COLORS["arranged"]}},
        {"type": "bar", "name": "已支付", "x": years, "y": _recorded(ledger, rows, "paid"),
         "marker": {"color": COLORS["paid"]}},
        {"type": "scatter", "name": "累计计划", "x": years, "y": cumulative, "yaxis": "y2",
         "mode": "lines+markers", "line": {"color": "#7f8c8d", "dash": "dot"}},
        {"type": "scatter", "name": "累计支付", "x": years, "y": _recorded(ledger, rows, "cumulative_paid"),
         "yaxis": "y2", "mode": "lines+markers", "line": {"color": COLORS["paid"]}},
    ]  # fmt: skip
    return _figure(
        traces,
        f"分年支付计划（合计 {fmt2(ledger.plan_total())} 万元）与资金安排、支付",
        height,
        barmode="group",
        xaxis={"type": "category"},  # years as labels: a short plan never shows 2,017.5
        yaxis={**WAN_AXIS, "title": {"text": "当年（万元）"}},
        yaxis2={
            **WAN_AXIS,
            "title": {"text": "累计（万元）"},
            "tickmode": "auto",  # its own round ticks, not ticks synced to the left axis' grid
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
    )


def spend_breakdown(ledger: Ledger, year: int) -> go.Figure:
    """The year's spend lines as horizontal bars in 万元, largest on top, each labelled with its
    amount and share (one decimal): one line of 96 % and one of 0.0004 % both stay readable."""
    lines = sorted(ledger.lines(year), key=lambda li: li.wan)
    total = sum((li.wan for li in lines), Decimal(0))
    labels = [f"{fmt2(li.wan)}（{_share(li.wan, total)}）" for li in lines]
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": [_f(li.wan) for li in lines],
        "y": [li.category for li in lines],
        "text": labels,
        "textposition": "auto",  # inside a long bar, beside a short one
        "cliponaxis": False,
        "marker": {"color": COLORS["score"]},
        "hovertemplate": "%{y}：%{text}<extra></extra>",
    }
    widest = max((_f(li.wan) for li in lines), default=1.0)
    axis = {**WAN_AXIS, "range": [0, widest * 1.45]}  # room for the labels outside the bars
    height = max(220, 70 + 34 * len(lines))
    return _figure([trace], f"{year}年支出构成（万元）", height, showlegend=False, xaxis=axis)


def _share(part: Decimal, total: Decimal) -> str:
    """A share with one decimal: 96.3%, 0.4%."""
    return f"{(part / total * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%" if total else "—"


def plan_and_spend(ledger: Ledger, height: int = 300) -> go.Figure:
    """Per plan year: the plan, the funds arranged and the spend, in 万元; a year whose funds
    or spend are not recorded draws no bar (the later years of a multi-year plan)."""
    rows = ledger.plan_progress()
    years = [str(r["year"]) for r in rows]

    def spent(year: int) -> float | None:
        funds = ledger.funds(year)
        recorded = (funds is not None and funds.stated_spend is not None) or bool(ledger.lines(year))
        return _f(ledger.spend(year)) if recorded else None

    traces: list[dict[str, Any]] = [
        {"type": "bar", "name": "计划", "x": years, "y": [_f(Decimal(r["planned"])) for r in rows],
         "marker": {"color": COLORS["plan"]}},
        {"type": "bar", "name": "安排", "x": years, "y": _recorded(ledger, rows, "arranged"),
         "marker": {"color": COLORS["arranged"]}},
        {"type": "bar", "name": "支出", "x": years, "y": [spent(int(r["year"])) for r in rows],
         "marker": {"color": COLORS["paid"]}},
    ]  # fmt: skip
    shown = years if len(years) <= 6 else years[::2]  # every other year when they would overlap
    xaxis = {"type": "category", "tickangle": 0, "tickvals": shown}
    legend = {**LEGEND, "yanchor": "bottom", "y": 1.0, "font": {"size": 11}}  # no title: legend on top
    layout = {"margin": {"l": 10, "r": 10, "t": 24, "b": 10}, "legend": legend}
    return _figure(traces, "", height, barmode="group", yaxis=WAN_AXIS, xaxis=xaxis, **layout)


def grade_distribution(grades: dict[str, int], height: int = 260) -> go.Figure:
    """How many evaluations hold each grade, the best grade first."""
    trace = {
        "type": "bar",
        "x": list(grades),
        "y": list(grades.values()),
        "text": [f"{n} 项" for n in grades.values()],
        "textposition": "outside",
        "marker": {"color": COLORS["score"]},
    }
    most = max(grades.values(), default=1)
    axis = {
        "title": {"text": "评价数"},
        "range": [0, most * 1.25],
        "dtick": max(1, -(-most // 5)),
    }  # whole counts
    return _figure([trace], "等级分布", height, showlegend=False, yaxis=axis)


def department_scores(lines: list[DepartmentLine], height: int = 260) -> go.Figure:
    """Mean score per department (of its scored evaluations), with the count and money in the label."""
    shown = [d for d in lines if d.mean_score is not None][::-1]
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": [_f(d.mean_score) for d in shown if d.mean_score is not None],
        "y": [d.department for d in shown],
        "text": [f"{fmt2(d.mean_score)} 分（{d.scored} 项，{fmt2(d.arranged)} 万元）" for d in shown],
        "textposition": "auto",
        "marker": {"color": COLORS["plan"]},
    }
    axis = {"title": {"text": "平均得分"}, "range": [0, 100]}
    return _figure(
        [trace], "各主管部门平均得分", max(height, 60 + 34 * len(shown)), showlegend=False, xaxis=axis
    )
