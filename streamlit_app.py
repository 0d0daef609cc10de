"""财政绩效评价工作台 — the app's entry: page config, session defaults, navigation.  No logic here:
the pages are in workbench/ui/views/ (listed in workbench/ui/navigation.py), shared widgets in
workbench/ui/widgets.py, the current user and session keys in workbench/ui/session.py, the
login in workbench/ui/gate.py (nothing but 登录 until someone is signed in; the menu follows the
role; each run's permission checks share the role table it read first).  Start it with
scripts/run."""

import streamlit as st

from workbench.services.access import one_request
from workbench.ui import gate, navigation, session, widgets

st.set_page_config(page_title="财政绩效评价工作台", page_icon="📊", layout="wide")
session.init_state()
with one_request():  # one role table for the whole run, as read by the login check
    login = gate.require_login()
    # every page listed: 新建评价 must not hide behind “View more”
    page = st.navigation(navigation.pages(session.permissions()), expanded=True)
    if session.may("evaluation.view"):
        widgets.evaluation_picker(widgets.evaluation_list())
    gate.account_sidebar(login)
    widgets.run_page(page)
