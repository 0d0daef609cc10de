"""The checks a workflow step must pass before it is taken, as a registry (like the scoring
rules' registry in ``domain.rules``).

A guard is ``check(uow, stored, step)``: it raises ``Conflict`` with the problems when the step
may not be taken yet, inside the step's own transaction.  The module that owns the rule registers
it with ``@guard("workflow.finalize", ...)``; ``services.review`` walks ``guards_for(action)``.  The
modules holding guards are named in ``GUARD_MODULES`` and imported on first use, so review imports
none of them: a new guard (say, "last year's evaluation must be 定稿") adds a decorator and, for a
new module, one line here — no import edge and no circle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from workbench.domain.workflow import Transition
from workbench.services.ports import StoredEvaluation, UnitOfWork

Guard = Callable[[UnitOfWork, StoredEvaluation, Transition], None]

GUARD_MODULES = (
    "workbench.services.reconciliation",  # a 自评虚高 gap needs its 核对说明 (复核通过, 定稿)
    "workbench.services.signing",  # 落款 and a decision on every ledger warning (定稿)
)

_GUARDS: dict[str, list[Guard]] = {}
_loaded = False


def guard(*actions: str) -> Callable[[Guard], Guard]:
    """Register the decorated check for each workflow action (e.g. "workflow.finalize")."""

    def register(check: Guard) -> Guard:
        for action in actions:
            if check not in _GUARDS.setdefault(action, []):
                _GUARDS[action].append(check)
        return check

    return register


def guards_for(action: str) -> list[Guard]:
    """Every check registered for ``action``, in the order of ``GUARD_MODULES``."""
    global _loaded
    if not _loaded:
        for name in GUARD_MODULES:
            importlib.import_module(name)
        _loaded = True
    return list(_GUARDS.get(action, ()))
