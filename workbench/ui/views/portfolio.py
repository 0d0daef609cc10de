"""绩效评价总览: every evaluation of a year (or a department) on one page — filter by 年度, 主管部门,
等级 and 状态, sort, the grade distribution and the comparison by department; export the list to
Excel, or make every report of the list at once (one .docx each and 报告清单.xlsx, in a .zip)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.portfolio import SORTS, BatchLine, sorted_rows
from workbench.errors import WorkbenchError
from workbench.services import batch_reports, portfolio
from workbench.services.portfolio import Portfolio
from workbench.ui import backend, charts, session
from workbench.ui.safe_text import plain_text

ALL_YEARS, ALL_DEPARTMENTS = "全部年度", "全部主管部门"
EXPORT, BATCH = "portfolio_export", "portfolio_batch"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filters(whole: Portfolio) -> Portfolio:
    a, b, c, d, e = st.columns([0.9, 1.4, 1.2, 1.2, 1])
    years = [ALL_YEARS, *map(str, whole.years)]
    year = a.selectbox("年度", years, index=1 if len(years) > 1 else 0, key="portfolio_year")
    chosen_year = None if year == ALL_YEARS else int(year)
    names = whole.narrowed(year=chosen_year).department_names
    department = b.selectbox("主管部门", [ALL_DEPARTMENTS, *names], key="portfolio_department")
    in_scope = whole.narrowed(year=chosen_year)
    e.selectbox("排序", list(SORTS), key="portfolio_sort", help="得分、评价资金从高到低")
    grades = c.multiselect("等级", list(in_scope.grades), key="portfolio_grades", placeholder="全部等级")
    statuses = d.multiselect(
        "状态", sorted({r.status for r in in_scope.rows}), key="portfolio_statuses", placeholder="全部状态"
    )
    return whole.narrowed(
        year=chosen_year,
        department=None if department == ALL_DEPARTMENTS else department,
        grades=grades,
        statuses=statuses,
    )


def figures(view: Portfolio) -> None:
    scores = [r.score for r in view.rows if r.score is not None]
    mean = sum(scores, Decimal(0)) / len(scores) if scores else None
    money = sum((r.arranged for r in view.rows if r.arranged is not None), Decimal(0))
    known = [r.overdue for r in view.rows if r.overdue is not None]
    a, b, c, d = st.columns(4)
    a.metric("评价数", f"{len(view.rows)} 项", help=f"已评分 {len(scores)} 项")
    b.metric("平均得分", fmt2(mean))
    c.metric("评价资金（万元）", fmt2(money), help="评价年度的预算安排；台账未载明的不计")
    d.metric("逾期整改", f"{sum(known)} 项" if known else "—")


def table(view: Portfolio) -> None:
    by = st.session_state.get("portfolio_sort", "得分")
    rows = [
        {
            "评价编号": r.evaluation_id,
            "项目": r.project_name,
            "主管部门": r.department,
            "年度": str(r.year),
            "得分": fmt2(r.score),
            "等级": r.grade,
            "状态": r.status,
            "评价资金（万元）": fmt2(r.arranged),
            "逾期整改": "—" if r.overdue is None else str(r.overdue),
        }
        for r in sorted_rows(view.rows, by)
    ]
    st.dataframe(rows, hide_index=True, height=min(420, 38 + 35 * len(rows)))


def comparison(view: Portfolio) -> None:
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.grade_distribution(view.grades), config=charts.PLOTLY_CONFIG)
    with right:
        st.plotly_chart(charts.department_scores(view.departments), config=charts.PLOTLY_CONFIG)
    lines = [
        {
            "主管部门": d.department,
            "评价数": str(d.count),
            "已评分": str(d.scored),
            "平均得分": fmt2(d.mean_score),
            "评价资金（万元）": fmt2(d.arranged),
            "实际支出（万元）": fmt2(d.spent),
            "逾期整改": "—" if d.overdue is None else str(d.overdue),
        }
        for d in view.departments
    ]
    st.table(lines, hide_index=True)


def progress_bar():  # type: ignore[no-untyped-def]
    bar = st.progress(0.0, text="正在生成报告…")

    def step(done: int, total: int, line: BatchLine) -> None:
        mark = "成功" if line.ok else "失败"
        bar.progress(done / total, text=f"{done} / {total}：{line.row.evaluation_id} {mark}")

    return step


def exports(view: Portfolio) -> None:
    st.subheader("导出")
    a, b = st.columns(2)
    if a.button("生成 Excel 总览", icon=":material/table:"):
        made = backend.attempt(
            portfolio.export_workbook, view, st.session_state.get("portfolio_sort", "得分")
        )
        if made.error:
            backend.show_error(made.error)
        else:
            st.session_state[EXPORT] = (view.title, made.value)
    if session.may("evaluation.report") and b.button(
        f"批量生成报告（{len(view.rows)} 份）", type="primary", icon=":material/description:"
    ):
        made = backend.attempt(
            batch_reports.zip_archive, view.rows, title=view.title, progress=progress_bar()
        )
        if made.error:
            backend.show_error(made.error)
        else:
            st.session_state[BATCH] = (view.title, *made.value, datetime.now())
    downloads()


def downloads() -> None:
    a, b = st.columns(2)
    if EXPORT in st.session_state:
        title, content = st.session_state[EXPORT]
        a.download_button(
            "下载 Excel 总览", content, f"{title}.xlsx", XLSX, on_click="ignore", icon=":material/download:"
        )
    if BATCH in st.session_state:
        title, archive, result, at = st.session_state[BATCH]
        failed = result.failed
        b.download_button(
            "下载报告（.zip）",
            archive,
            f"{title}-报告.zip",
            "application/zip",
            on_click="ignore",
            icon=":material/download:",
        )
        b.caption(
            f"{at:%H:%M:%S} 生成 {len(result.lines)} 项：成功 {len(result.lines) - len(failed)} 项，失败 {len(failed)} 项"
        )
        for line in failed:
            b.warning(plain_text(f"{line.row.evaluation_id}（{line.row.project_name}）：{line.reason}"))


def draw() -> None:
    # Less of Streamlit's empty space above the title (as on 领导看板): the list starts higher.
    st.html("<style>[data-testid=stMainBlockContainer] {padding-top: 2rem}</style>")
    st.title("绩效评价总览")
    try:
        whole = backend.call(portfolio.portfolio)
    except WorkbenchError as exc:
        backend.show_error(exc)
        return
    if not whole.rows:
        st.info("还没有可查看的评价。可到“新建评价”创建，或用 workbench import-case 导入案例。")
        return
    view = filters(whole)
    st.caption(
        plain_text(
            f"{view.title}：评价资金为评价年度的预算安排（万元），逾期整改为本评价发现、已过整改期限仍未完成的问题数。"
        )
    )
    if not view.rows:
        st.info("没有符合筛选条件的评价。")
        return
    figures(view)
    table(view)
    comparison(view)
    exports(view)


draw()
