"""Text helpers shared by the Word report and the Excel score table.

User text may hold anything.  XML 1.0 (inside .docx and .xlsx alike) cannot carry most control
characters even escaped, so they are dropped; everything else (markup characters, emoji, very
long text) is kept and escaped by the writers.
"""

from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 forbids: C0 controls except tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DIGITS = "零一二三四五六七八九"


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _ILLEGAL_XML.sub("", text)


def clean_tree(value: Any) -> Any:
    """Every string inside nested dicts and lists made XML-safe (other values kept)."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {k: clean_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v) for v in value]
    return value


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (heading numbers 一、（一）)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"
