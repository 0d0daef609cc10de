"""Streamlit's own English words on the page, replaced by Chinese where Streamlit offers no
setting: the typing hints under text boxes ("Press Enter to apply", "Press Ctrl+Enter to submit
form") are hidden, and the file uploader's "Upload" button and "200MB per file • XLSX" line say
"选择文件" and "或将文件拖放到此处" (each uploader states its real limit in Chinese: ``uploader``).
The menu is always shown whole (no English "View 5 more"), in a box of its own that scrolls, so
the evaluation picker under it stays on a laptop's screen.

One style block, drawn once per run by the entry script before anything else (a style-only
``st.html`` takes no room on the page).  Everything else Streamlit lets us set is set where the
widget is made: ``placeholder="请选择"`` on multiselects, ``enter_to_submit=False`` on forms with
a reason box, the uploader's ``max_upload_size``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

MB = 1024 * 1024

STYLE = """
<style>
[data-testid="InputInstructions"] { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "或将文件拖放到此处"; font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem;
}
[data-testid="stSidebarNavItems"] { max-height: 45vh; overflow-y: auto; }
</style>
"""


def chinese_chrome() -> None:
    st.html(STYLE)


def uploader(label: str, limit_bytes: int | None, **options: Any) -> Any:
    """``st.file_uploader`` that refuses a file over ``limit_bytes`` (None: the server's
    ``server.maxUploadSize``) in the browser already and states the limit in Chinese."""
    mb = max(1, limit_bytes // MB) if limit_bytes else int(st.get_option("server.maxUploadSize"))
    note = f"单个文件不超过 {mb} MB"
    found = options.pop("help", None)
    return st.file_uploader(label, max_upload_size=mb, help=f"{found}；{note}" if found else note, **options)
