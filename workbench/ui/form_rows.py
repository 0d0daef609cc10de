"""Rows of inputs for a table inside a form (AppTest can fill text inputs; a data editor it cannot).

``table`` draws the stored rows and one empty row to add; a row left blank is dropped by the
service.  Widget keys are ``<prefix>:<row>:<field>``; ``forget(prefix)`` resets them after a save.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import streamlit as st

from workbench.ui import backend, session

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


def shared_notice(shared_with: tuple[str, ...], what: str) -> None:
    """Before the form: saving will give this evaluation a project of its own."""
    if shared_with:
        st.info(
            f"该项目也用于已定稿或复核中的评价“{'、'.join(shared_with)}”。保存{what}时，"
            "本评价将改用一份自己的项目副本，修改只保存在副本中，那些评价保持不变。",
            icon="ℹ️",
        )


def kept_notice(note: str) -> None:
    """Before the form: a 定稿 evaluation of another year keeps what its report printed."""
    if note:
        st.info(note, icon="ℹ️")


def forget(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


@dataclass(frozen=True)
class VersionedForm:
    """A form over one stored thing: its widgets' key prefix and the version it was opened on
    (kept across reruns, so a save on top of someone else's is refused as on 评分)."""

    prefix: str
    version_key: str

    @classmethod
    def opened(cls, name: str, evaluation_id: str, version: int) -> VersionedForm:
        form = cls(f"{name}:{evaluation_id}", f"{name}_version:{evaluation_id}")
        st.session_state.setdefault(form.version_key, version)
        return form

    @property
    def version(self) -> int:
        return st.session_state[self.version_key]

    def reload(self) -> None:
        forget(self.prefix)
        st.session_state.pop(self.version_key, None)

    def after_save(self, result: backend.Result, done: str, what: str) -> None:
        """Saved: new version, fresh widgets, a note.  Refused: the problem, and after a conflict
        the way to drop one's changes and load what is stored."""
        if result.ok:
            st.session_state[self.version_key] = result.value.version
            forget(self.prefix)
            note = getattr(result.value, "note", "")  # a copy of its own: say so
            session.flash(f"{done}。{note}。" if note else done)
            st.rerun()
        backend.show_error(result.error)
        if "本次修改未保存" in " ".join(result.error.messages):
            st.button(f"放弃我的修改，载入最新{what}", on_click=self.reload)
