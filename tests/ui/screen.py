"""Reading an AppTest screen the way a user reads it: metrics by label, messages, buttons."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
VIEWS = "workbench/ui/views"
TIMEOUT = 60  # seconds for one run: the first imports Streamlit, plotly and pandas


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[0]


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def read(markdown: object) -> str:
    """Markdown as the user reads it: a backslash-escaped character (how pages show user text,
    ``ui.safe_text``) is the character itself, and the invisible word joiner that keeps a bare
    address from becoming a link is not seen."""
    return _ESCAPED.sub(r"\1", str(markdown)).replace("\u2060", "")  # the invisible word joiner


def texts(elements: object) -> list[str]:
    return [read(e.value) for e in elements]  # type: ignore[attr-defined]


def button(at: AppTest, label: str, key_part: str = "") -> object:
    found = [b for b in at.button if b.label == label and key_part in str(b.key or "")]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def shown(at: AppTest) -> str:
    """Every text on the screen joined, for "does the page say X" checks."""
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "success", "warning", "error", "text"):
        parts.extend(read(e.value) for e in getattr(at, kind))
    return "\n".join(parts)


def fill(at: AppTest, prefix: str, values: dict[str, str]) -> AppTest:
    """Type into the text inputs keyed ``<prefix>:<name>``."""
    for key, value in values.items():
        at.text_input(key=f"{prefix}:{key}").set_value(value)
    return at
