"""A synthetic large evaluation for benchmarks: 4 level-1 × 5 level-2 × 6 leaves = 120 indicators.

Used by bench/storage_load.py; importable by other benchmarks (``from synthetic_case import ...``
with bench/ on sys.path).
"""

from __future__ import annotations

from decimal import Decimal

from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.project import Project

LEAF_WEIGHTS = [Decimal(1)] * 4 + [Decimal("0.5")] * 2  # six leaves making 5


def synthetic_system(system_id: str = "synthetic-120") -> IndicatorSystem:
    tops = []
    for a in range(4):
        middles = []
        for b in range(5):
            leaves = [
                {
                    "code": f"S{a}{b}{c}",
                    "name": f"三级指标{a}{b}{c}",
                    "weight": w,
                    "rule": {"kind": "manual"},
                    "criteria": "每发现一处问题扣相应分值，扣完为止",
                }
                for c, w in enumerate(LEAF_WEIGHTS)
            ]
            middles.append({"code": f"S{a}{b}", "name": f"二级指标{a}{b}", "weight": 5, "children": leaves})
        tops.append({"code": f"S{a}", "name": f"一级指标{a}", "weight": 25, "children": middles})
    return IndicatorSystem.model_validate(
        {"id": system_id, "name": "合成指标体系（120项）", "indicators": tops}
    )


def synthetic_project(project_id: str = "synthetic") -> Project:
    return Project.model_validate(
        {"id": project_id, "name": "合成项目", "year": 2024, "unit": {"name": "合成单位"}}
    )


def synthetic_scores(system: IndicatorSystem) -> dict[str, IndicatorScore]:
    """Every leaf scored; every third one with a deduction of 0.25 and a reason."""
    out = {}
    for i, leaf in enumerate(system.leaves()):
        deductions = [{"reason": f"第{i}项问题", "points": Decimal("0.25")}] if i % 3 == 0 else []
        out[leaf.code] = IndicatorScore.model_validate({"deductions": deductions, "rationale": "依据充分"})
    return out


def synthetic_evaluation(system: IndicatorSystem, bands: str = "excellent-good") -> Evaluation:
    return Evaluation(
        id="synthetic-120-eval",
        project="synthetic",
        system=system.id,
        bands=bands,
        year=2024,
        scores=synthetic_scores(system),
    )
