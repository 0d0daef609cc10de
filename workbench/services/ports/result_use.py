"""结果应用 overrides: a person's decision replacing the suggested advice, one per evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from workbench.domain.result_use import AdviceRule
from workbench.services.actors import Actor
from workbench.services.ports.stamps import Stamp


@dataclass(frozen=True)
class StoredOverride:
    advice: AdviceRule
    reason: str
    stamp: Stamp


class ResultUseRepository(Protocol):
    def get(self, evaluation_id: str) -> StoredOverride | None: ...

    def save(
        self, evaluation_id: str, advice: AdviceRule, reason: str, expected_version: int, actor: Actor
    ) -> Stamp:
        """Insert (expected 0) or replace the override; ``Conflict`` when the version moved on."""
