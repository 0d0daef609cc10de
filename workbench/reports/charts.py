"""Charts for documents, drawn with matplotlib and an OFL Chinese font (PNG bytes).

Pure matplotlib ``Figure`` objects (no pyplot, no global backend), so drawing is thread-safe and
leaves no state behind.  Each figure is drawn from its data in ``reports.chart_data`` (labels,
values, titles: the same two-decimal figures as the report's tables) and from nothing else.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from typing import Any

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from workbench.domain.ledger import Ledger
from workbench.domain.scoring import Scorecard
from workbench.reports import chart_data
from workbench.reports.fonts import CHART_FAMILY, font_file

DPI = 200
MAX_LOSS_BARS = chart_data.MAX_LOSS_BARS
WIDTH_IN = 6.3  # 160 mm: a little wider than it is shown (150 mm), so text stays crisp
INK, PAPER, ACCENT, MUTED = "#1f3b5b", "#d9dee5", "#b03a2e", "#7f8c99"


@functools.cache
def _register_font() -> str:
    font_manager.fontManager.addfont(str(font_file(CHART_FAMILY)))
    return CHART_FAMILY


def _style() -> dict[str, object]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [_register_font(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with rc_context(_style()):
        FigureCanvasAgg(fig)
        fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.08)
    return buf.getvalue()


def figure_texts(fig: Figure) -> Iterator[str]:
    """Every piece of text drawn on the figure (titles, labels, ticks, legend, annotations)."""
    with rc_context(_style()):
        FigureCanvasAgg(fig).draw()
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text():
            yield artist.get_text()


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the chart font cannot draw (they would show as empty boxes)."""
    font = FT2Font(str(font_file(CHART_FAMILY)))
    return {ch for ch in set(text) if not ch.isspace() and font.get_char_index(ord(ch)) == 0}


def level_figure(card: Scorecard) -> Figure:
    return draw_levels(chart_data.levels(card))


def loss_figure(card: Scorecard) -> Figure:
    return draw_losses(chart_data.losses(card))


def payment_figure(ledger: Ledger) -> Figure:
    return draw_payments(chart_data.payments(ledger))


def draw_levels(data: chart_data.Levels) -> Figure:
    """Score of each level-1 indicator against its weight (分值), with 得分率."""
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, 0.55 * len(data.names) + 1.0))
        ax = fig.add_subplot()
        y = range(len(data.names))
        ax.barh(y, data.weights, color=PAPER, height=0.6, label="分值")
        ax.barh(y, data.scores, color=INK, height=0.6, label="得分")
        for i, (weight, label) in enumerate(zip(data.weights, data.labels, strict=True)):
            ax.text(weight, i, "  " + label, va="center", fontsize=8.5)
        ax.set_yticks(list(y), list(data.names))
        ax.set_xlim(0, data.x_max)
        ax.set_title(data.title, fontsize=10)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False, ncols=2)
    return fig


def draw_losses(data: chart_data.Losses) -> Figure:
    """Where points were lost: each indicator that lost points, largest first."""
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, 0.34 * max(len(data.names), 1) + 1.2))
        ax = fig.add_subplot()
        y = range(len(data.names))
        ax.barh(y, data.losts, color=ACCENT, height=0.6)
        for i, (lost, label) in enumerate(zip(data.losts, data.labels, strict=True)):
            ax.text(lost, i, label, va="center", fontsize=8.5)
        ax.set_yticks(list(y), list(data.names))
        ax.set_xlim(0, data.x_max)
        ax.set_xlabel("扣分（分）")
        ax.set_title(data.title, fontsize=10)
        if data.note:
            fig.text(0.01, 0.005, data.note, fontsize=8, color=MUTED)
        if not data.names:
            ax.text(0.5, 0.5, "未扣分", transform=ax.transAxes, ha="center", va="center")
    return fig


def draw_payments(data: chart_data.Payments) -> Figure:
    """The multi-year payment plan against what was paid, per year and cumulative (万元)."""
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, 3.3))
        ax = fig.add_subplot()
        x = list(data.years)
        ax.bar([v - 0.2 for v in x], data.planned, 0.4, color=PAPER, label="计划支付")
        kx = [v + 0.2 for v in data.paid_years]
        if kx:  # no 已支付 series where the ledger records no payment (the source says 应支付)
            ax.bar(kx, data.paid, 0.4, color=INK, label="已支付")
        ax.set_xticks(x, list(data.year_labels))
        ax.set_ylabel("当年金额（万元）")
        twin = ax.twinx()
        twin.plot(x, data.cumulative_planned, color=MUTED, ls="--", label="累计计划")
        if kx:
            twin.plot(
                [v - 0.2 for v in kx], data.cumulative_paid, color=ACCENT, marker="o", label="累计已支付"
            )
        twin.set_ylabel("累计金额（万元）")
        twin.set_ylim(0, data.twin_max)
        twin.yaxis.set_major_formatter("{x:,.0f}")
        ax.yaxis.set_major_formatter("{x:,.0f}")
        handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, ncols=4)
        ax.set_ylim(0, data.y_max)
        ax.set_title(data.title, fontsize=10)
    return fig


DRAW: dict[str, Callable[[Any], Figure]] = {
    "levels": draw_levels,
    "losses": draw_losses,
    "payments": draw_payments,
}


def report_charts(card: Scorecard, ledger: Ledger) -> dict[str, bytes]:
    """The report's charts as PNG bytes, by the names the templates use (drawn every time;
    ``reports.chart_cache.report_charts`` keeps them between runs)."""
    return {
        name: to_png(DRAW[name](data)) for name, data in chart_data.report_chart_data(card, ledger).items()
    }
