"""The report's 自评与评价得分对比: the unit's self-score beside the evaluator's score, as plain data.

Present only when the unit submitted a self-evaluation (``present`` False otherwise, with the same
keys, so a template can test it and never meets a missing name).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.domain.base import fmt_score as fmt2

if TYPE_CHECKING:  # a report without a self-evaluation never loads its models
    from workbench.domain.selfeval_review import SelfEvalComparison


def _gap(value: Decimal | None) -> str:
    return f"+{fmt2(value)}" if value is not None and value > 0 else fmt2(value)


def selfeval_part(comparison: SelfEvalComparison | None) -> dict[str, Any]:
    if comparison is None:
        return {
            "present": False,
            "rows": [],
            "self_total": "",
            "evaluator_total": "",
            "gap": "",
            "flagged_count": 0,
            "rule_text": "",
        }
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "weight": fmt2(r.weight),
            "self": fmt2(r.self_score),
            "evaluator": fmt2(r.evaluator_score),
            "gap": _gap(r.gap),
            "inflated": r.inflated,
            "flag": r.flag,
            "note": r.note,
        }
        for r in comparison.rows
    ]
    return {
        "present": True,
        "rows": rows,
        "self_total": fmt2(comparison.self_total),
        "evaluator_total": fmt2(comparison.evaluator_total),
        "gap": _gap(comparison.self_total - comparison.evaluator_total),
        "flagged_count": len(comparison.flagged),
        "rule_text": comparison.rule.describe(),
    }
