"""Rows of inputs for a table inside a form (AppTest can fill text inputs; a data editor it cannot).

``table`` draws the stored rows and one empty row to add; a row left blank is dropped by the
service.  Widget keys are ``<prefix>:<row>:<field>``; ``forget(prefix)`` resets them after a save.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

CHOICES = {"unit": ("万元", "元"), "planned": ("是", "否")}


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def table(
    prefix: str,
    title: str,
    columns: tuple,
    rows: list[dict[str, Any]],
    locked: bool,
    choices: dict | None = None,
) -> list[dict]:
    """One table as rows of inputs (plus an empty row); returns what the inputs hold."""
    st.markdown(f"**{title}**")
    widths = [w for _, _, w in columns]
    for col, (_, label, _) in zip(st.columns(widths), columns, strict=True):
        col.caption(label)
    out = []
    for i, row in enumerate([*rows, {}]):
        values = {}
        for col, (key, label, _) in zip(st.columns(widths), columns, strict=True):
            wkey = f"{prefix}:{i}:{key}"
            shown = dict(
                label=f"{title}第{i + 1}行{label}", key=wkey, disabled=locked, label_visibility="collapsed"
            )
            options = (CHOICES if choices is None else choices).get(key)
            if options:
                current = text(row.get(key)) or options[0]
                values[key] = col.selectbox(**shown, options=options, index=options.index(current))
            else:
                values[key] = col.text_input(**shown, value=text(row.get(key)))
        out.append(values)
    return out


def forget(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
