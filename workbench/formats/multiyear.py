"""Files of a project across years: the parameters (indicators/multiyear.yaml) and, in a case
folder, the prior year a report looks back on (``rectification.yaml``: last year's evaluation
and the 整改 items carried into this one).  Both are read under the bounds of ``yamlio``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.formats.cases import indicators_dir
from workbench.formats.yamlio import build, dump_yaml, read_yaml

if TYPE_CHECKING:  # loaded when a file is read: a case folder without one never needs them
    from workbench.domain.multiyear import MultiyearRules, PriorYear

RULES_FILE = "multiyear.yaml"
PRIOR_FILE = "rectification.yaml"


def load_multiyear_rules(folder: Path | None = None) -> MultiyearRules:
    from workbench.domain.multiyear import MultiyearRules

    path = (folder or indicators_dir()) / RULES_FILE
    if not path.exists():
        return MultiyearRules()
    return build(MultiyearRules, read_yaml(path))


def load_prior(folder: Path) -> PriorYear | None:
    """The prior year of the case in ``folder`` (None when it has no ``rectification.yaml``);
    a bad file is one Chinese problem per field, naming the file and line."""
    path = Path(folder) / PRIOR_FILE
    if not path.exists():
        return None
    from workbench.domain.multiyear import PriorYear

    return build(PriorYear, read_yaml(path))


def write_prior(prior: PriorYear, folder: Path) -> Path:
    path = Path(folder) / PRIOR_FILE
    header = f"上年度评价（{prior.year}年，{prior.evaluation}）发现问题的整改事项"
    path.write_text(dump_yaml(prior.model_dump(mode="python", exclude_defaults=True), header), "utf-8")
    return path
