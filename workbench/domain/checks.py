"""Consistency checks run before a report is final.

Each check yields problems: errors stop a final report, warnings are shown and kept in its log.
"""

from __future__ import annotations

from decimal import Decimal

from workbench.domain import narrative, review_checks
from workbench.domain.base import fmt2
from workbench.domain.case import Case
from workbench.domain.scoring import Scorecard
from workbench.errors import Problem

NEAR_BOUNDARY = Decimal(1)


def evaluation_checks(case: Case, card: Scorecard) -> list[Problem]:
    """Every check on scores, findings and recommendations (ledger checks are separate)."""
    return [
        *_all_scored(card),
        *_deductions_have_reasons(card),
        *_findings_linked(case, card),
        *_recommendations_linked(case),
        *_near_boundary(card),
    ]


def _all_scored(card: Scorecard) -> list[Problem]:
    pending = [n for n in card.leaves() if n.status == "pending"]
    if not pending:
        return []
    codes = "、".join(f"{n.code}（{n.name}）" for n in pending[:10])
    more = f"等 {len(pending)} 项" if len(pending) > 10 else ""
    return [Problem(f"尚有末级指标未评分：{codes}{more}")]


def _deductions_have_reasons(card: Scorecard) -> list[Problem]:
    out = []
    for leaf in card.leaves():
        if leaf.lost > 0 and not (any(d.reason.strip() for d in leaf.deductions) or leaf.rationale.strip()):
            out.append(
                Problem(f"扣 {fmt2(leaf.lost)} 分但未说明扣分理由", place=f"指标 {leaf.code}（{leaf.name}）")
            )
    return out


def _findings_linked(case: Case, card: Scorecard) -> list[Problem]:
    out = []
    for finding in case.evaluation.findings:
        place = f"问题 {finding.id}（{finding.title}）"
        if not case.evaluation.recommendations_for(finding.id):
            out.append(Problem("没有对应的建议", place=place))
        if not finding.indicators:
            out.append(Problem("未关联任何扣分指标", place=place))
        for code in finding.indicators:
            node = card.find(code)
            if node is None:
                out.append(Problem(f"关联的指标 {code} 不存在", place=place))
            elif node.lost <= 0:
                out.append(
                    Problem(f"关联的指标 {code}（{node.name}）未扣分", place=place, severity="warning")
                )
    return out


def _recommendations_linked(case: Case) -> list[Problem]:
    ids = {f.id for f in case.evaluation.findings}
    out = []
    for rec in case.evaluation.recommendations:
        place = f"建议 {rec.id}（{rec.title}）"
        if not rec.findings:
            out.append(Problem("未关联任何问题", place=place, severity="warning"))
        for fid in rec.findings:
            if fid not in ids:
                out.append(Problem(f"关联的问题 {fid} 不存在", place=place))
    return out


def _near_boundary(card: Scorecard) -> list[Problem]:
    cut = card.band_set.nearest_boundary(card.score100)
    if cut is None or abs(card.score100 - cut) >= NEAR_BOUNDARY:
        return []
    side = "低于" if card.score100 < cut else "高于"
    return [
        Problem(
            f"总分 {fmt2(card.score100)} 距等级分界 {fmt2(cut)} 不足 1 分（{side}分界），请复核临界指标的评分",
            severity="warning",
        )
    ]


# --- before a report is written --------------------------------------------------------------


def narrative_checks(case: Case, card: Scorecard, memo: narrative.PassageMemo | None = None) -> list[Problem]:
    """Figures in the narrative against the ledger, the scorecard and the project facts (each
    passage's own findings kept in ``memo`` when given: ``narrative.passage_problems``)."""
    texts = narrative.passages(case)
    amounts, staffing, self_reference, numbering = narrative.passage_problems(case, texts, memo)
    return [*amounts, *narrative.score_problems(card, texts), *staffing, *self_reference, *numbering]


def report_checks(case: Case, card: Scorecard, memo: narrative.PassageMemo | None = None) -> list[Problem]:
    """Everything checked before a report is written: ledger errors (warnings need the evaluator's
    decision: see ``review_checks``), scores and links, narrative figures, what a reviewer checks."""
    ledger = [Problem(c.message, place="项目资金台账") for c in case.decided_ledger.checks() if c.is_error]
    return [
        *ledger,
        *evaluation_checks(case, card),
        *narrative_checks(case, card, memo),
        *review_checks.reviewer_checks(case, card),
    ]
