"""Versions of stored things: every editable record carries a ``Stamp``; a write names the version
it was based on (0 for "not there yet") and a changed version raises ``Conflict`` (``stale``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workbench.errors import Conflict


@dataclass(frozen=True)
class Stamp:
    """The version of one stored thing, and who changed it last, when."""

    version: int
    updated_at: datetime
    updated_by: str


def stale(what: str) -> Conflict:
    """The conflict raised when a conditional write finds the version changed underneath."""
    return Conflict(f"{what}刚被其他人修改，本次修改未保存；请刷新页面查看最新内容后再修改")
