"""财政绩效评价工作台 — the app's entry: page config, session defaults, navigation.  No logic here:
the pages are in workbench/ui/views/ (listed in workbench/ui/navigation.py), shared widgets in
workbench/ui/widgets.py, the current user and session keys in workbench/ui/session.py, the
login in workbench/ui/gate.py (nothing but 登录 until someone is signed in; the menu follows the
role, and 待办 is the first page of those who work from it; each run's permission checks share
the role table it read first).  Start it with
scripts/run."""

import streamlit as st

from workbench.services.access import one_request
from workbench.ui import backend, chrome, gate, landing, navigation, session, widgets

st.set_page_config(page_title="财政绩效评价工作台", page_icon="📊", layout="wide")
session.init_state()
chrome.chinese_chrome()  # Streamlit's own English hints replaced (before the login page too)
# One role table for the whole run, as read by the login check; one database session for its reads.
with one_request(), backend.page_run():
    login = gate.require_login()
    page = st.navigation(
        navigation.pages(session.permissions(), todo_first=landing.todo_first()), expanded=True
    )
    if session.may("evaluation.view"):
        widgets.evaluation_picker()
    gate.account_sidebar(login)
    widgets.run_page(page)
