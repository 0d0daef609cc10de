"""The 领导看板 of a loaded evaluation: the domain's summary with the lights' thresholds read
from indicators/leader-status.yaml (data a user may correct)."""

from __future__ import annotations

from workbench.domain.dashboard import Dashboard, build_dashboard
from workbench.domain.scoring import Scorecard
from workbench.formats.leader_status import load_status_rules
from workbench.services.evaluations import StoredCase


def summary(stored: StoredCase) -> Dashboard:
    """The summary of an evaluation the caller has already loaded for its actor."""
    case = stored.case
    card: Scorecard = stored.scorecard
    ledger = case.decided_ledger
    return build_dashboard(
        case.project.name, case.project.targets, case.evaluation, card, ledger, load_status_rules()
    )
