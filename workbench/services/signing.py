"""The 定稿 guard on what the report's author signs: the 落款 and a decision on every ledger
warning (the problems themselves are the domain's, ``domain.review_checks.finalize_problems``)."""

from __future__ import annotations

from workbench.domain.review_checks import finalize_problems
from workbench.domain.workflow import Transition
from workbench.errors import Conflict, Problem
from workbench.services.guards import guard
from workbench.services.kernel import case_of
from workbench.services.ports import StoredEvaluation, UnitOfWork


@guard("workflow.finalize")
def require_signable(uow: UnitOfWork, stored: StoredEvaluation, step: Transition) -> None:
    """Refuse 定稿 while the 落款 is missing or a ledger warning is undecided."""
    problems = finalize_problems(case_of(uow, stored))
    if problems:
        summary = f"不能{step.label}：{len(problems)} 项须先处理（在“报告”页的报告核对清单中处理）"
        raise Conflict([Problem(summary), *problems])
