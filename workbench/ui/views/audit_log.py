"""审计日志 (审计管理员): the records, filtered by time, user, event, object and result, a page at
a time, newest first; the hash chain verified (the first broken record named); export as CSV or
Excel (the export is itself audited).  Nobody can change or delete a record here or anywhere."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import streamlit as st

from workbench.errors import InvalidInput
from workbench.services import audit
from workbench.services.audit import HEADERS, describe, readable_cells
from workbench.services.ports import AuditFilter
from workbench.ui import backend, session

PAGE_SIZE = 50
FILTER = "audit_filter"
PAGE = "audit_page"
EXPORT = "audit_export"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


FILTER_ERROR = "audit_filter_error"
DAY = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
DAY_HINT = "年-月-日，如 2025-03-01；留空不限"


def _moment(key: str, label: str, end: bool) -> datetime | None:
    """The local calendar day typed under ``key`` — its first (or last) moment, with the local
    time zone; None when blank.  (A text box: Streamlit's date box shows "yyyy/mm/dd" in English.)"""
    typed = str(st.session_state.get(key) or "").strip()
    if not typed:
        return None
    found = DAY.match(typed)
    try:
        day = date(*(int(g) for g in found.groups())) if found else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(f"{label}“{typed}”不是有效的日期，请按{DAY_HINT}")
    return datetime.combine(day, time.max if end else time.min).astimezone()


def _apply() -> None:
    s = st.session_state
    try:
        since, until = _moment("audit_since", "起始日期", False), _moment("audit_until", "截止日期", True)
    except InvalidInput as exc:
        s[FILTER_ERROR] = exc
        return
    s[FILTER] = AuditFilter(
        since=since,
        until=until,
        username=str(s.get("audit_user") or "").strip(),
        event=str(s.get("audit_event") or ""),
        object=str(s.get("audit_object") or "").strip(),
        result=str(s.get("audit_result") or ""),
    )
    s[PAGE] = 1
    s.pop(EXPORT, None)


def filters(events: list[str]) -> None:
    with st.form("audit_filters"):
        a, b, c = st.columns(3)
        a.text_input("起始日期", key="audit_since", placeholder=DAY_HINT)
        b.text_input("截止日期", key="audit_until", placeholder=DAY_HINT)
        c.text_input("用户名", key="audit_user")
        a.selectbox("事件", ["", *events], key="audit_event", format_func=lambda e: e or "（全部）")
        b.text_input("对象（包含）", key="audit_object", placeholder="例如 评价编号、指标 B21、用户 zhang")
        c.selectbox("结果", ["", "成功", "失败"], key="audit_result", format_func=lambda r: r or "（全部）")
        st.form_submit_button("查询", type="primary", on_click=_apply, icon=":material/search:")
    failed = st.session_state.pop(FILTER_ERROR, None)
    if failed is not None:
        backend.show_error(failed)


def records(where: AuditFilter) -> None:
    total_pages = st.session_state.get("audit_pages", 1)
    page = min(int(st.session_state.get(PAGE) or 1), total_pages)
    seen = (where, page)  # each distinct view is audited once, not every rerun of the page
    fresh = st.session_state.get("audit_seen") != seen
    found = backend.call(
        audit.query_audit, where, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, record_view=fresh
    )
    st.session_state["audit_seen"] = seen
    pages = max(1, -(-found.total // PAGE_SIZE))
    st.session_state["audit_pages"] = pages
    st.caption(
        f"筛选：{describe(where)}；共 {found.total} 条，第 {page} / {pages} 页（每页 {PAGE_SIZE} 条，最新在前）。"
    )
    st.dataframe([dict(zip(HEADERS, readable_cells(r), strict=True)) for r in found.records], hide_index=True)
    st.session_state[PAGE] = min(page, pages)
    st.number_input("页码", min_value=1, max_value=pages, step=1, key=PAGE)


def verify() -> None:
    if st.button("校验哈希链", icon=":material/verified:"):
        report = backend.call(audit.verify_audit)
        (st.success if report.ok else st.error)(report.message)


def export(where: AuditFilter) -> None:
    if not session.may("audit.export"):
        return
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    fmt = left.radio(
        "导出格式", ["csv", "xlsx"], format_func={"csv": "CSV", "xlsx": "Excel（.xlsx）"}.get, horizontal=True
    )
    if right.button("按当前筛选导出", icon=":material/file_export:"):
        result = backend.attempt(audit.export_audit, fmt, where)
        if not result.ok:
            backend.show_error(result.error)
            return
        st.session_state[EXPORT] = (fmt, result.value, datetime.now())
    made = st.session_state.get(EXPORT)
    if made:
        fmt, content, at = made
        st.download_button(
            f"下载审计日志（.{fmt}）",
            content,
            f"审计日志-{at:%Y%m%d-%H%M%S}.{fmt}",
            MIME[fmt],
            on_click="ignore",
            type="primary",
            icon=":material/download:",
        )


st.title("审计日志")
st.session_state.setdefault(PAGE, 1)
filters(backend.call(audit.audit_events))
where = st.session_state.get(FILTER) or AuditFilter()
records(where)
verify()
export(where)
