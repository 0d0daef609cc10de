"""A case: one project, its ledger, one evaluation, and the indicator system and bands it uses."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from workbench.domain.evaluation import Evaluation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.ledger_decisions import decided
from workbench.domain.project import Project
from workbench.domain.scoring import Scorecard, score_evaluation
from workbench.errors import InvalidInput, Problem


@dataclass(frozen=True)
class Case:
    project: Project
    ledger: Ledger
    evaluation: Evaluation
    system: IndicatorSystem
    bands: BandSet

    def __post_init__(self) -> None:
        problems = []
        if self.evaluation.project != self.project.id:
            problems.append(
                Problem(
                    f"评价记录的项目为“{self.evaluation.project}”，与项目文件的 id“{self.project.id}”不一致"
                )
            )
        if self.evaluation.system != self.system.id:
            problems.append(
                Problem(f"评价记录使用指标体系“{self.evaluation.system}”，实际载入的是“{self.system.id}”")
            )
        if self.evaluation.bands != self.bands.id:
            problems.append(
                Problem(f"评价记录使用等级划分“{self.evaluation.bands}”，实际载入的是“{self.bands.id}”")
            )
        if problems:
            raise InvalidInput(problems)

    def scorecard(self) -> Scorecard:
        """The scorecard, computed once per case (a case's parts are never changed in place)."""
        return self._scorecard

    @functools.cached_property
    def _scorecard(self) -> Scorecard:
        return score_evaluation(self.system, self.evaluation, self.bands)

    def keep_scorecard(self, card: Scorecard) -> None:
        """Take ``card`` as this case's scorecard: it was computed from these very parts (a save
        scores the evaluation to check it before storing it)."""
        self.__dict__["_scorecard"] = card  # functools.cached_property keeps its value here

    @functools.cached_property
    def decided_ledger(self) -> Ledger:
        """The ledger with the evaluator's corrections applied: the figures a report prints."""
        return decided(self.ledger, self.evaluation.ledger_decisions)
