"""A synthetic case of any size, for benchmarks and tests of large reports (not a real project).

``synthetic_case(tops=4, groups=5, leaves=6)`` makes 4 × 5 × 6 = 120 leaf indicators under level-1
weights that sum to 100; every third leaf loses points with a reason, and each level-1 indicator
has one finding and one recommendation linked to the leaves that lost points.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workbench.domain.case import Case
from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger, YearFunds
from workbench.domain.project import Project

LEVEL1 = ("决策", "过程", "产出", "效益", "管理", "满意度")


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` two-decimal shares that add up exactly."""
    base = (total / parts).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def _system(tops: int, groups: int, leaves: int) -> IndicatorSystem:
    top_nodes = []
    for t, top_weight in enumerate(_split(Decimal(100), tops)):
        children = []
        for g, group_weight in enumerate(_split(top_weight, groups)):
            code = f"{chr(65 + t)}{g + 1}"
            kids = [
                {
                    "code": f"{code}{i + 1:02d}",
                    "name": f"{LEVEL1[t % len(LEVEL1)]}第{g + 1}组指标{i + 1}",
                    "weight": w,
                    "criteria": "符合要求的得满分；每发现一处问题按分值扣减，扣完为止。",
                    "rule": {"kind": "manual"},
                }
                for i, w in enumerate(_split(group_weight, leaves))
            ]
            children.append(
                {
                    "code": code,
                    "name": f"{LEVEL1[t % len(LEVEL1)]}第{g + 1}组",
                    "weight": group_weight,
                    "children": kids,
                }
            )
        top_nodes.append(
            {
                "code": chr(65 + t),
                "name": f"项目{LEVEL1[t % len(LEVEL1)]}",
                "weight": top_weight,
                "children": children,
            }
        )
    return IndicatorSystem.model_validate(
        {"id": "synthetic", "name": "合成测试指标体系", "indicators": top_nodes}
    )


def _scores(system: IndicatorSystem) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for i, leaf in enumerate(system.leaves()):
        lost = (leaf.weight or Decimal(0)) / 2 if i % 3 == 0 else Decimal(0)
        if lost:
            reason = f"第{i + 1}项抽查发现资料不完整，相关记录缺少审批签字，按评分标准扣减分值的一半"
            scores[leaf.code] = {"deductions": [{"reason": reason, "points": lost}]}
        else:
            scores[leaf.code] = {"rationale": f"第{i + 1}项资料齐全，符合要求。"}
    return scores


def _findings(system: IndicatorSystem, scores: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    findings, recs = [], []
    for t, top in enumerate(system.indicators):
        lost = [n.code for _, n in top.walk() if n.is_leaf and scores[n.code].get("deductions")]
        findings.append(
            {
                "id": f"F{t + 1}",
                "title": f"{top.name}方面资料不够完整",
                "text": "部分事项审批记录缺失。",
                "indicators": lost,
            }
        )
        recs.append(
            {
                "id": f"R{t + 1}",
                "title": f"完善{top.name}资料管理",
                "text": "建立资料归档和审批签字制度。",
                "findings": [f"F{t + 1}"],
            }
        )
    return findings, recs


def _project() -> Project:
    contents = [
        {"title": f"建设内容{i}", "text": f"完成第{i}项建设任务，按计划交付使用。"} for i in range(1, 10)
    ]
    return Project.model_validate(
        {
            "id": "synthetic",
            "name": "合成测试项目",
            "year": 2024,
            "unit": {"name": "测试单位", "description": "测试单位负责项目建设和运行管理。"},
            "background": "为提升公共服务水平，实施本项目。",
            "contents": contents,
            "goals": [{"title": f"目标{i}", "text": "目标基本实现。"} for i in range(1, 4)],
            "targets": [{"name": f"产出指标{i}", "target": "100%", "actual": "100%"} for i in range(1, 11)],
            "implementation": [{"title": f"实施环节{i}", "text": "按程序实施。"} for i in range(1, 7)],
            "performance": [{"title": f"绩效{i}", "text": "效果良好。"} for i in range(1, 5)],
            "funds_management": "资金支付程序合规。",
        }
    )


def _ledger() -> Ledger:
    plan = [{"year": 2024 + i, "amount": 500} for i in range(5)]
    lines = [{"year": 2024, "category": f"支出事项{i}", "amount": 50} for i in range(1, 11)]
    years = [{"year": 2024, "arranged": 500, "received": 500, "paid": 500, "stated_spend": 500}]
    return Ledger.model_validate(
        {"total_investment": 2500, "plan": plan, "years": years, "spend_lines": lines}
    )


def synthetic_case(tops: int = 4, groups: int = 5, leaves: int = 6) -> Case:
    system = _system(tops, groups, leaves)
    scores = _scores(system)
    findings, recs = _findings(system, scores)
    bands = BandSet.model_validate(
        {
            "id": "b",
            "name": "优/良/中/差",
            "bands": [{"label": lb, "min": m} for lb, m in (("优", 90), ("良", 80), ("中", 60), ("差", 0))],
        }
    )
    evaluation = Evaluation.model_validate(
        {
            "id": "synthetic-eval",
            "project": "synthetic",
            "system": "synthetic",
            "bands": "b",
            "year": 2024,
            "title": "合成测试项目绩效评价报告",
            "intro": "为检验报告生成能力，对合成测试项目开展绩效评价。",
            "purpose": "检验报告生成的速度与版式。",
            "process": [{"title": "评价实施", "steps": ["收集资料。", "现场核查。", "撰写报告。"]}],
            "scores": scores,
            "findings": findings,
            "recommendations": recs,
        }
    )
    return Case(_project(), _ledger(), evaluation, system, bands)


def synthetic_variant(
    case: Case,
    number: int,
    *,
    department: str = "合成主管部门",
    year: int = 2024,
    arranged: Decimal | None = Decimal(500),
    extra_loss: Decimal = Decimal(0),
) -> Case:
    """``case`` as another project and evaluation (ids ``synthetic-<number>`` and
    ``synthetic-<number>-eval``) of ``department`` and ``year``, with ``arranged`` 万元 arranged
    that year and ``extra_loss`` more points lost on the leaves that lost none (for portfolios
    and batch reports of many evaluations)."""
    project = case.project.model_copy(
        update={
            "id": f"synthetic-{number}",
            "name": f"合成测试项目{number}",
            "department": department,
            "year": year,
        }
    )
    years = [{"year": year, "arranged": arranged, "received": arranged, "paid": arranged}]
    lines = [line.model_copy(update={"year": year}) for line in case.ledger.spend_lines]
    ledger = case.ledger.model_copy(
        update={"years": [YearFunds.model_validate(y) for y in years], "spend_lines": lines}
    )
    scores = dict(case.evaluation.scores)
    weights = {leaf.code: leaf.weight or Decimal(0) for leaf in case.system.leaves()}
    for code in [c for c, s in scores.items() if not s.deductions]:
        points = min(extra_loss, weights[code])
        if points <= 0:
            break
        reason = "抽查发现部分资料缺少审批签字，按评分标准扣减相应分值"
        scores[code] = IndicatorScore.model_validate({"deductions": [{"reason": reason, "points": points}]})
        extra_loss -= points
    evaluation = case.evaluation.model_copy(
        update={"id": f"synthetic-{number}-eval", "project": project.id, "year": year, "scores": scores}
    )
    return Case(project, ledger, evaluation, case.system, case.bands)
