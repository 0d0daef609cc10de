"""The deadline types of the 整改台账, read from indicators/rectification.yaml (bounded like every
YAML file: ``formats.yamlio``)."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.rectification import RectificationRules
from workbench.formats.cases import indicators_dir
from workbench.formats.yamlio import build, read_yaml

RULES_FILE = "rectification.yaml"


def load_rectification_rules(folder: Path | None = None) -> RectificationRules:
    located = read_yaml((folder or indicators_dir()) / RULES_FILE)
    return build(RectificationRules, located, located.data)
