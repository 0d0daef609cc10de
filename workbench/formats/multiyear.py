"""Files of a project across years: the parameters (indicators/multiyear.yaml) and, in a case
folder, the prior year a report looks back on (``rectification.yaml``: last year's evaluation
and the 整改 items carried into this one) and the project's indicator targets of every year
(``periods.yaml``).  All are read under the bounds of ``yamlio``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.formats.cases import indicators_dir
from workbench.formats.yamlio import build, read_optional, read_yaml, write_model

if TYPE_CHECKING:  # loaded when a file is read: a case folder without one never needs them
    from workbench.domain.multiyear import MultiyearRules, PriorYear, ProjectPeriods

RULES_FILE = "multiyear.yaml"
PRIOR_FILE = "rectification.yaml"
PERIODS_FILE = "periods.yaml"


def load_multiyear_rules(folder: Path | None = None) -> MultiyearRules:
    from workbench.domain.multiyear import MultiyearRules

    path = (folder or indicators_dir()) / RULES_FILE
    if not path.exists():
        return MultiyearRules()
    return build(MultiyearRules, read_yaml(path))


def load_prior(folder: Path) -> PriorYear | None:
    """The prior year of the case in ``folder`` (None when it has no ``rectification.yaml``)."""
    from workbench.domain.multiyear import PriorYear

    return read_optional(PriorYear, Path(folder) / PRIOR_FILE)


def write_prior(prior: PriorYear, folder: Path) -> Path:
    header = f"上年度评价（{prior.year}年，{prior.evaluation}）发现问题的整改事项"
    return write_model(prior, Path(folder) / PRIOR_FILE, header)


def load_periods(folder: Path) -> ProjectPeriods | None:
    """The per-year indicator targets in ``folder`` (None when it has no ``periods.yaml``)."""
    from workbench.domain.multiyear import ProjectPeriods

    return read_optional(ProjectPeriods, Path(folder) / PERIODS_FILE)


def write_periods(periods: ProjectPeriods, folder: Path) -> Path:
    header = "项目分年度绩效指标（基期值、年度目标值、实际完成值、偏差说明）"
    return write_model(periods, Path(folder) / PERIODS_FILE, header)
