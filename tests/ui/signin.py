"""Who works on the pages in the UI tests unless a test says otherwise, and the password each
test account changes its initial one to (tests/actors.py's 评价人员 "zhang" is the colleague whose
save gets in the way in the conflict tests)."""

from __future__ import annotations

from workbench.services.actors import Actor

PAGE_USER = Actor("liu", "刘评价", "评价人员")
OWN_PASSWORD = "Own#2024-pass"
