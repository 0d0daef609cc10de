"""结果应用: a person's override of the suggested advice (one per evaluation) and the project's
recorded 运维考评得分 by year (what the contract pays by)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from workbench.domain.result_use import AdviceRule, OmScore
from workbench.services.actors import Actor
from workbench.services.ports.stamps import Stamp


@dataclass(frozen=True)
class StoredOverride:
    advice: AdviceRule
    reason: str
    stamp: Stamp


@dataclass(frozen=True)
class StoredOmScore:
    entry: OmScore
    stamp: Stamp


class ResultUseRepository(Protocol):
    def get(self, evaluation_id: str) -> StoredOverride | None: ...

    def save(
        self, evaluation_id: str, advice: AdviceRule, reason: str, expected_version: int, actor: Actor
    ) -> Stamp:
        """Insert (expected 0) or replace the override; ``Conflict`` when the version moved on."""

    def om_scores(self, project_id: str) -> dict[int, StoredOmScore]:
        """The project's recorded 运维考评得分 by year."""

    def save_om_score(self, project_id: str, entry: OmScore, expected_version: int, actor: Actor) -> Stamp:
        """Insert (expected 0) or replace the year's score; ``Conflict`` when the version moved on."""
