"""Stored values outside ``limits``: found in a raw stored document, and what a repair puts instead.

A value stored before the limits existed (``total_investment: 1e999999``, a 30,000-character
扣分理由) keeps its evaluation from opening.  ``scan`` walks a document as it was stored (plain
JSON: mappings, lists, numbers, text) and lists each value a domain model would refuse for its
size: a number that is not finite or reaches 10^15 (cleared to 0), a text over ``MAX_TEXT``
characters, or a 扣分理由 over ``MAX_REASON`` (cut to the limit).  ``repaired`` returns the document
with those replacements.  Pure: the storage layer reads and writes the documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workbench.domain.limits import MAX_DIGITS, MAX_REASON, MAX_TEXT, check_number, shown
from workbench.domain.messages import field_label

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class OutOfLimit:
    """One stored value outside the limits: where, what (abbreviated), why, and its replacement."""

    path: Path
    value: str
    problem: str
    replacement: Any

    @property
    def field(self) -> str:
        """The field in the trade's words, e.g. "扣分事项·第1项·扣分理由"."""
        return (
            "·".join(field_label(p) if isinstance(p, str) else f"第{p + 1}项" for p in self.path)
            or "（整体）"
        )


def scan(doc: Any, path: Path = ()) -> list[OutOfLimit]:
    """Every value of ``doc`` outside the limits, in document order."""
    if isinstance(doc, dict):
        return [found for key, item in doc.items() for found in scan(item, (*path, str(key)))]
    if isinstance(doc, list | tuple):
        return [found for n, item in enumerate(doc) for found in scan(item, (*path, n))]
    if isinstance(doc, bool) or doc is None:
        return []
    if isinstance(doc, Decimal | int | float):
        try:
            check_number(doc)
        except ValueError:
            finite = isinstance(doc, int) or Decimal(doc).is_finite()
            problem = f"数字过大（达到 10 的 {MAX_DIGITS} 次方）" if finite else "不是有限的数字"
            return [OutOfLimit(path, _number(doc), problem, 0)]
        return []
    if isinstance(doc, str):
        limit = MAX_REASON if path and path[-1] == "reason" else MAX_TEXT
        if len(doc) > limit:
            problem = f"过长（{len(doc):,} 个字符，最多 {limit:,} 个字符）"
            return [OutOfLimit(path, shown(doc, 20), problem, doc[:limit])]
    return []


def repaired(doc: Any, found: list[OutOfLimit]) -> Any:
    """``doc`` with each value of ``found`` replaced (a copy; ``doc`` is left as it was)."""
    replacements = {f.path: f.replacement for f in found}
    return _replace(doc, (), replacements)


def _replace(doc: Any, path: Path, replacements: dict[Path, Any]) -> Any:
    if path in replacements:
        return replacements[path]
    if isinstance(doc, dict):
        return {key: _replace(item, (*path, str(key)), replacements) for key, item in doc.items()}
    if isinstance(doc, list | tuple):
        return [_replace(item, (*path, n), replacements) for n, item in enumerate(doc)]
    return doc


def _number(value: Decimal | int | float) -> str:
    """A number abbreviated: ``1E+999999`` stays short; a long integer is named by its size (Python
    refuses to write one of over 4,300 digits as text)."""
    if isinstance(value, int) and value.bit_length() > 200:
        return f"约 {int(value.bit_length() * 0.30103):,} 位的整数"
    text = str(value)
    return text if len(text) <= 40 else f"{text[:12]}…（共 {len(text):,} 位）"
