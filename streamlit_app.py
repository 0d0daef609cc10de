"""财政绩效评价工作台 — the app's entry: page config, session defaults, navigation.  No logic here:
the pages are in workbench/ui/views/ (listed in workbench/ui/navigation.py), shared widgets in
workbench/ui/widgets.py, the current user and session keys in workbench/ui/session.py.
Start it with scripts/run."""

import streamlit as st

from workbench.ui import navigation, session, widgets

st.set_page_config(page_title="财政绩效评价工作台", page_icon="📊", layout="wide")
session.init_state()
page = st.navigation(navigation.pages())
widgets.evaluation_picker(widgets.evaluation_list())
widgets.run_page(page)
