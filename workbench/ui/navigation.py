"""The app's pages, in the order of the sidebar menu (used by streamlit_app.py and the page
benchmark, so both draw the same navigation)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# Absolute paths: Streamlit resolves relative ones against the main script, which is the repo
# root for the app but not for the benchmark's floor app.
VIEWS = Path(__file__).resolve().parent / "views"
START = VIEWS / "start.py"
SCORING = VIEWS / "scoring.py"


def pages() -> dict[str, list[st.Page]]:
    return {
        "评价": [
            st.Page(VIEWS / "overview.py", title="项目总览", icon=":material/home:", default=True),
            st.Page(VIEWS / "indicators.py", title="指标体系", icon=":material/account_tree:"),
            st.Page(SCORING, title="评分", icon=":material/edit_note:"),
            st.Page(VIEWS / "findings.py", title="问题与建议", icon=":material/report:"),
            st.Page(VIEWS / "report.py", title="报告", icon=":material/description:"),
            st.Page(VIEWS / "dashboard.py", title="领导看板", icon=":material/dashboard:"),
        ],
        "开始": [st.Page(START, title="新建评价", icon=":material/add_circle:")],
    }
