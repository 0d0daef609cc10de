"""报告质量自检: the items bureaus grade third-party reports by (中介机构绩效评价报告质量考核:
报告格式, 报告内容, 绩效反映), each passed or failed with where.  Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workbench.domain.case import Case
from workbench.domain.review_checks import ledger_decision_problems, signature_problems
from workbench.domain.scoring import NodeScore, Scorecard
from workbench.errors import Problem


@dataclass(frozen=True)
class QualityItem:
    group: str  # 报告格式 / 报告内容 / 绩效反映
    name: str
    passed: bool
    where: str = ""

    def line(self) -> str:
        mark = "通过" if self.passed else "未通过"
        return f"{self.group}·{self.name}：{mark}" + (f"（{self.where}）" if self.where else "")


def _sum_mismatch(node: NodeScore) -> list[str]:
    out = []
    if node.children:
        weights = sum((c.weight for c in node.children), Decimal(0))
        scores = sum((c.score for c in node.children), Decimal(0))
        if weights != node.weight:
            out.append(f"{node.name}分值{node.weight}≠下级合计{weights}")
        if node.status == "scored" and scores != node.score:
            out.append(f"{node.name}得分{node.score}≠下级合计{scores}")
        for c in node.children:
            out.extend(_sum_mismatch(c))
    return out


def _based(case: Case, node: NodeScore) -> bool:
    """A deduction rests on a source or evidence, or the score was computed from measured inputs."""
    entry = case.evaluation.scores.get(node.code)
    if entry is not None and entry.inputs and not entry.deductions:
        return True
    return any(d.reason.strip() and (d.source or d.evidence) for d in node.deductions)


def _unnamed(case: Case) -> str:
    why = case.evaluation.evaluator.unnamed.strip()
    return f"{why}，报告不印落款" if why else ""


def _sections(case: Case) -> list[str]:
    ev, p = case.evaluation, case.project
    required = {
        "项目基本情况": p.unit.description or p.background,
        "评价目的": ev.purpose,
        "评价过程": ev.process,
        "存在的问题": ev.findings,
        "建议": ev.recommendations,
    }
    return [name for name, value in required.items() if not value]


def _where(problems: list[Problem]) -> str:
    return "；".join(f"{p.place or ''}{'：' if p.place else ''}{p.message}" for p in problems[:3])


def quality_items(case: Case, card: Scorecard, problems: list[Problem]) -> list[QualityItem]:
    """Each checklist item with where it fails; ``problems`` are the report checks already run."""
    leaves = card.leaves()
    wrong = [n.name for n in leaves if n.status == "pending" or n.score > n.weight or n.score < 0]
    sums = [m for top in card.nodes for m in _sum_mismatch(top)]
    total = sum((n.score for n in card.nodes), Decimal(0))
    if total != card.raw_total:
        sums.append(f"总分{card.raw_total}≠一级指标合计{total}")
    grade = card.band_set.grade(card.score100)
    unbased = [n.name for n in leaves if n.lost > 0 and not _based(case, n)]
    narrative = [p for p in problems if p.is_error and p.message.startswith("叙述中")]
    sign = signature_problems(case)
    open_ledger = ledger_decision_problems(case)
    return [
        QualityItem("报告格式", "落款齐全", not sign, _where(sign) or _unnamed(case)),
        QualityItem("报告格式", "金额经台账核对并已处理", not open_ledger, _where(open_ledger)),
        QualityItem("报告内容", "必备章节齐全", not _sections(case), "、".join(_sections(case))),
        QualityItem("报告内容", "每项扣分有依据", not unbased, "、".join(unbased)),
        QualityItem("绩效反映", "计分正确", not wrong, "、".join(wrong)),
        QualityItem("绩效反映", "分值散总一致", not sums, "；".join(sums)),
        QualityItem(
            "绩效反映", "评分与评级相符", grade == card.grade, "" if grade == card.grade else f"应为{grade}"
        ),
        QualityItem("绩效反映", "叙述数字与表格一致", not narrative, _where(narrative)),
    ]
