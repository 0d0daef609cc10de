"""Parameters of expert panels and self-evaluation review, read from indicators/review-rules.yaml."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.panel import PanelRules
from workbench.domain.selfeval_review import InflationRule
from workbench.errors import InvalidInput
from workbench.formats.cases import indicators_dir
from workbench.formats.yamlio import build, read_yaml

RULES_FILE = "review-rules.yaml"


def load_review_rules(folder: Path | None = None) -> tuple[PanelRules, InflationRule]:
    located = read_yaml((folder or indicators_dir()) / RULES_FILE)
    data = located.data if isinstance(located.data, dict) else {}
    for key in ("panel", "self_evaluation"):
        if not isinstance(data.get(key), dict):
            raise InvalidInput([located.problem(f"应包含 {key} 一节", (key,), field=key)])
    panel = build(PanelRules, located, data["panel"], ("panel",))
    inflation = build(InflationRule, located, data["self_evaluation"], ("self_evaluation",))
    return panel, inflation
