"""The workbench's server: Streamlit's ASGI app (``st.App``) running the pages of streamlit_app.py, plus
the route that sets the HttpOnly login cookie (workbench/ui/cookie_route.py).  Start it with
scripts/run (``streamlit run serve.py``, which finds ``app`` and serves it with uvicorn); every
``--server.*`` option and .streamlit/config.toml apply as before."""

import streamlit as st

from workbench.ui import cookie_route

app = st.App("streamlit_app.py", routes=cookie_route.routes())
