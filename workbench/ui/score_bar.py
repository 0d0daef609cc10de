"""The bar at the top of 评分 that stays in view while the page scrolls: 总分, 等级 with the points
to the next grade, how many leaf indicators are scored, and the Word report in one click.

The report is made when its button is pressed (a deferred download: the page run does not pay
the second it takes), and the button is offered only when the report checks pass; otherwise the
bar says how many problems stop it and links to 报告, where they are listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from workbench.domain.base import fmt2, pct
from workbench.domain.scoring import Scorecard, gap_to_next_grade
from workbench.errors import Problem
from workbench.services import auth, stored_reports
from workbench.services.evaluations import StoredCase
from workbench.ui import backend, navigation, session, widgets

BAR = "score_bar"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Streamlit has no sticky container: the bar is a keyed container (CSS class st-key-<key>); the
# wrapper Streamlit puts around it is kept under the app's header (3.75rem) while the main area
# scrolls (the container itself is only as tall as its wrapper, so it could not stick); the
# header is made opaque so the page does not show through above the bar.  The metrics are compact and
# the page's top padding smaller, so the form starts higher.
STICKY_CSS = f"""<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{BAR}) {{
  position: sticky; top: 3.75rem; z-index: 990;
}}
[data-testid="stHeader"] {{background-color: #ffffff;}}
.st-key-{BAR} {{background-color: #ffffff; padding-top: 0.4rem; padding-bottom: 0.4rem;}}
.st-key-{BAR} [data-testid="stMetricValue"] {{font-size: 1.35rem; line-height: 1.3;}}
.st-key-{BAR} [data-testid="stMetricLabel"] {{min-height: 0;}}
[data-testid="stMainBlockContainer"] {{padding-top: 3.5rem;}}
</style>"""


def file_base(title: str) -> str:
    """A file name from an evaluation's title (characters Windows refuses and spaces become _)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", title)


def draw(stored: StoredCase, report: list[Problem] | None = None) -> None:
    """The bar for ``stored``; ``report`` is what the report checks found (None: no report offered)."""
    card = stored.scorecard
    st.html(STICKY_CSS)
    with st.container(key=BAR, border=True):
        total, grade, done, action = st.columns([1.3, 1.4, 0.9, 1.4], vertical_alignment="center")
        if not widgets.scores_visible(stored.case.evaluation.status):
            total.markdown("评价得分在定稿后显示")
        elif card.unscored:
            total.metric("总分", widgets.UNSCORED, help=f"满分 {fmt2(card.declared_total)}")
            grade.metric("等级", widgets.UNSCORED)
        else:
            total.metric("总分", f"{fmt2(card.total)} / {fmt2(card.declared_total)}", help=rate_text(card))
            grade.metric("等级", card.grade, delta=gap_text(card), delta_color="off", delta_arrow="off")
        leaves = card.leaves()
        done.metric("已评", f"{len(leaves) - len(card.pending())} / {len(leaves)} 项")
        with action:
            if report is not None:
                report_button(stored, report)


def rate_text(card: Scorecard) -> str:
    return f"得分率 {pct(card.rate)}，扣分合计 {fmt2(card.lost_total)}"


def gap_text(card: Scorecard) -> str | None:
    """ "距“优秀”7.00 分" under the grade; None at the top grade."""
    gap = gap_to_next_grade(card)
    return None if gap is None else f"距“{gap.next_grade}”{fmt2(gap.points_needed)} 分"


def report_problems(stored: StoredCase) -> list[Problem] | None:
    """The report checks' errors for the bar (None: this person may not make the report)."""
    if not session.may("evaluation.report") or stored.scorecard.unscored:
        return None
    result = backend.attempt(stored_reports.check_opened, stored)
    if not result.ok:
        return None
    return [p for p in result.value if p.is_error]


def report_button(stored: StoredCase, errors: list[Problem]) -> None:
    ev = stored.case.evaluation
    if errors:
        st.caption(f"报告暂不能生成：{len(errors)} 项须先改正")
        st.page_link(navigation.REPORT, label="到“报告”页查看", icon=":material/description:")
        return
    template = stored_reports.template_names()[0]
    st.download_button(
        "下载 Word 报告",
        _deferred_report(ev.id, template),
        f"{file_base(ev.title or ev.id)}.docx",
        DOCX,
        key=f"{BAR}:report:{ev.id}",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
        help=f"按当前已保存的评分生成（模板 {template}，含图表）；其他模板和评分表在“报告”页",
    )


def _deferred_report(evaluation_id: str, template: str) -> Callable[[], bytes]:
    """The report's bytes, made when the button is pressed (outside the page run: the database and
    the signed-in session are taken now, and the session is checked again then)."""
    db, login = backend.database(), session.current_login()

    def made() -> bytes:
        checked = auth.check_session(db.uow(), login)
        return stored_reports.report(db.uow(), checked.actor, evaluation_id, template).content

    return made
