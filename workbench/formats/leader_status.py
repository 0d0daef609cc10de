"""The thresholds of the 领导看板's red/amber/green lights, read from indicators/leader-status.yaml."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.dashboard import StatusRules
from workbench.formats.cases import indicators_dir
from workbench.formats.yamlio import build, read_yaml

STATUS_FILE = "leader-status.yaml"


def load_status_rules(folder: Path | None = None) -> StatusRules:
    located = read_yaml((folder or indicators_dir()) / STATUS_FILE)
    return build(StatusRules, located, located.data)
