"""Who is acting.  Every service takes an ``Actor`` so that permissions can be enforced inside
the services (not only hidden in the UI) and every change records who made it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    username: str  # unique login name, recorded in updated_by / created_by
    display_name: str  # shown to people, e.g. in a conflict message
    role: str  # e.g. 评价人员, 复核人, 领导 (the role table comes with user management)


# The workbench itself: first-start import, migrations, command-line use before users exist.
SYSTEM = Actor(username="system", display_name="系统", role="系统")
