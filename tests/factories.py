"""Small factory functions for test data (plain domain objects, no IO)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.grading import Band, BandSet
from workbench.domain.indicators import IndicatorSystem

D = Decimal


def national_bands() -> BandSet:
    return BandSet(
        id="mof-2020",
        name="优/良/中/差",
        bands=[
            Band(label="优", min=D(90)),
            Band(label="良", min=D(80)),
            Band(label="中", min=D(60)),
            Band(label="差", min=D(0)),
        ],
    )


def leaf(code: str, weight: Any, kind: str = "manual", **rule: Any) -> dict[str, Any]:
    return {"code": code, "name": f"指标{code}", "weight": weight, "rule": {"kind": kind, **rule}}


def node(code: str, weight: Any, *children: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name": f"指标{code}", "weight": weight, "children": list(children)}


def system(*tops: dict[str, Any], total: Any = 100, **extra: Any) -> IndicatorSystem:
    return IndicatorSystem.model_validate(
        {"id": "t", "name": "测试体系", "total": total, "indicators": list(tops), **extra}
    )


def two_level_system() -> IndicatorSystem:
    """决策 20 (A1 10 manual, A2 10 ratio) / 过程 30 (B1 30 per_item 2) / 产出 50 (C1 50 tiers)."""
    return system(
        node("A", 20, leaf("A1", 10), leaf("A2", 10, "ratio", target=100)),
        node("B", 30, leaf("B1", 30, "per_item", points_per_item=2)),
        node("C", 50, leaf("C1", 50, "tiers")),
    )


def evaluation(scores: dict[str, dict[str, Any]] | None = None, **extra: Any) -> Evaluation:
    return Evaluation(
        id="e",
        project="p",
        system="t",
        bands="mof-2020",
        year=2024,
        scores={code: IndicatorScore.model_validate(raw) for code, raw in (scores or {}).items()},
        **extra,
    )


def deduction(points: Any, reason: str = "发现问题") -> dict[str, Any]:
    return {"reason": reason, "points": points}
