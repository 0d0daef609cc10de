"""User text shown as text: every character that Streamlit's Markdown would act on is escaped.

A deduction reason, a finding title or a file name is written by a user; passed to
``st.markdown``, ``st.caption``, ``st.error`` or a widget label as it is, ``![](http://host/x)``
makes every reader's browser fetch a remote image, ``[x](javascript:...)`` and ``data:`` links
become live, ``<img ...>`` may be parsed, ``:red[...]``, ``$...$`` and ``:material/...:`` change
how it looks.  ``plain_text`` backslash-escapes every ASCII punctuation character Markdown,
GitHub-flavoured autolinks and Streamlit's own directives use (CommonMark lets any ASCII
punctuation be escaped and shows it as itself), so the text reads exactly as typed and nothing
in it is a link, an image, HTML or a style.  Escaping does not stop GitHub-flavoured autolinks
(``http://…``, ``www.…``, ``a@b.cn`` are found in the parsed text, after escapes are undone), so an
invisible WORD JOINER (U+2060) is put after ``http``/``https``/``ftp``/``www`` and after ``@``:
the text looks the same and no bare address becomes a live link (looked at in Chromium).  ``md`` builds a Markdown line from a template of
the page's own and user values, escaping only the values.
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'@/^%])")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www|@)")
JOINER = "\u2060"


def plain_text(value: Any) -> str:
    """``value`` as Markdown that renders as exactly its text (None as empty)."""
    if value is None:
        return ""
    escaped = _SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub("\n", str(value)))
    return _AUTOLINK.sub(lambda m: m.group(1) + JOINER, escaped)


def md(template: str, *values: Any, **named: Any) -> str:
    """``template.format`` with every value escaped by ``plain_text``: the template's own
    Markdown (``**{}**``) stays, the user's text inside it is shown as text."""
    return template.format(*(plain_text(v) for v in values), **{k: plain_text(v) for k, v in named.items()})
