"""Charts for documents, drawn with matplotlib and an OFL Chinese font (PNG bytes).

Pure matplotlib ``Figure`` objects (no pyplot, no global backend), so drawing is thread-safe and
leaves no state behind.  Figures are built from the scorecard and the ledger; labels show the
same two-decimal figures as the report's tables.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from decimal import Decimal

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from workbench.domain.base import fmt2, fmt_score, pct
from workbench.domain.ledger import Ledger
from workbench.domain.scoring import NodeScore, Scorecard
from workbench.reports.fonts import CHART_FAMILY, font_file
from workbench.reports.money import paid_known

DPI = 200
WIDTH_IN = 6.3  # 160 mm: a little wider than it is shown (150 mm), so text stays crisp
MAX_LOSS_BARS = 15
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


def _f(value: Decimal) -> float:
    """Decimal to a plotting coordinate (display only; labels use the exact figures)."""
    return float(value)


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
    """Score of each level-1 indicator against its weight (分值), with 得分率."""
    with rc_context(_style()):
        nodes = list(reversed(card.nodes))
        fig = Figure(figsize=(WIDTH_IN, 0.55 * len(nodes) + 1.0))
        ax = fig.add_subplot()
        y = range(len(nodes))
        ax.barh(y, [_f(n.weight) for n in nodes], color=PAPER, height=0.6, label="分值")
        ax.barh(y, [_f(n.score) for n in nodes], color=INK, height=0.6, label="得分")
        for i, n in enumerate(nodes):
            label = f"{fmt_score(n.score)} / {fmt_score(n.weight)}（{pct(n.rate)}）"
            ax.text(_f(n.weight), i, "  " + label, va="center", fontsize=8.5)
        ax.set_yticks(list(y), [n.name for n in nodes])
        ax.set_xlim(0, _f(max(n.weight for n in nodes)) * 1.45)
        ax.set_title(f"一级指标得分与分值（总分 {fmt_score(card.total)}分，{card.grade}）", fontsize=10)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False, ncols=2)
    return fig


def _loss_bars(card: Scorecard) -> tuple[list[NodeScore], Decimal, int]:
    lost = card.largest_deductions(limit=len(card.leaves()))
    shown, rest = lost[:MAX_LOSS_BARS], lost[MAX_LOSS_BARS:]
    return shown, sum((n.lost for n in rest), Decimal(0)), len(rest)


def loss_figure(card: Scorecard) -> Figure:
    """Where points were lost: each indicator that lost points, largest first."""
    shown, rest_total, rest_count = _loss_bars(card)
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, 0.34 * max(len(shown), 1) + 1.2))
        ax = fig.add_subplot()
        bars = list(reversed(shown))
        y = range(len(bars))
        ax.barh(y, [_f(n.lost) for n in bars], color=ACCENT, height=0.6)
        for i, n in enumerate(bars):
            ax.text(_f(n.lost), i, f" {fmt_score(n.lost)}", va="center", fontsize=8.5)
        ax.set_yticks(list(y), [n.name for n in bars])
        top = max((_f(n.lost) for n in bars), default=1.0)
        ax.set_xlim(0, top * 1.25)
        ax.set_xlabel("扣分（分）")
        title = f"扣分分布（共扣 {fmt_score(card.lost_total)} 分，{len(shown) + rest_count} 项指标）"
        ax.set_title(title, fontsize=10)
        if rest_count:
            note = f"另有 {rest_count} 项指标合计扣 {fmt_score(rest_total)} 分，见附件评分表"
            fig.text(0.01, 0.005, note, fontsize=8, color=MUTED)
        if not bars:
            ax.text(0.5, 0.5, "未扣分", transform=ax.transAxes, ha="center", va="center")
    return fig


def payment_figure(ledger: Ledger) -> Figure:
    """The multi-year payment plan against what was paid, per year and cumulative (万元)."""
    rows = ledger.plan_progress()
    known = [r for r in rows if paid_known(ledger, int(r["year"]))]
    with rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, 3.3))
        ax = fig.add_subplot()
        x = [float(r["year"]) for r in rows]
        ax.bar([v - 0.2 for v in x], [_f(r["planned"]) for r in rows], 0.4, color=PAPER, label="计划支付")
        kx = [float(r["year"]) + 0.2 for r in known]
        if known:  # no 已支付 series where the ledger records no payment (the source says 应支付)
            ax.bar(kx, [_f(r["paid"]) for r in known], 0.4, color=INK, label="已支付")
        ax.set_xticks(x, [f"{r['year']}" for r in rows])
        ax.set_ylabel("当年金额（万元）")
        twin = ax.twinx()
        twin.plot(x, [_f(r["cumulative_planned"]) for r in rows], color=MUTED, ls="--", label="累计计划")
        cum = [_f(r["cumulative_paid"]) for r in known]
        if known:
            twin.plot([v - 0.2 for v in kx], cum, color=ACCENT, marker="o", label="累计已支付")
        twin.set_ylabel("累计金额（万元）")
        twin.set_ylim(0, _f(ledger.plan_total()) * 1.15 or 1)
        twin.yaxis.set_major_formatter("{x:,.0f}")
        ax.yaxis.set_major_formatter("{x:,.0f}")
        handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, ncols=4)
        ax.set_ylim(0, max((_f(r["planned"]) for r in rows), default=1.0) * 1.5)
        total = fmt2(ledger.plan_total())
        what = "分年支付计划与实际支付" if known else "分年支付计划"
        ax.set_title(f"{what}（计划合计 {total} 万元）", fontsize=10)
    return fig


def report_charts(card: Scorecard, ledger: Ledger) -> dict[str, bytes]:
    """The report's charts as PNG bytes, by the names the templates use."""
    charts = {"levels": to_png(level_figure(card)), "losses": to_png(loss_figure(card))}
    if ledger.plan:
        charts["payments"] = to_png(payment_figure(ledger))
    return charts
