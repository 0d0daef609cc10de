"""The evaluator's score beside the unit's self-score: 自评虚高 flags and the notes they need before 定稿."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from selfeval_forms import BANDS, standard_form

from workbench.domain.evaluation import IndicatorScore
from workbench.domain.indicators import Indicator, IndicatorSystem
from workbench.domain.rules import Deduction, ManualRule
from workbench.domain.scoring import NodeScore, score_evaluation
from workbench.domain.selfeval_review import InflationRule, compare_scorecards
from workbench.errors import Conflict

D = Decimal
RULE = InflationRule(inflated_gap_points=D(1), inflated_gap_percent_of_weight=D(10))


def manual_on(system: IndicatorSystem, codes: set[str]) -> IndicatorSystem:
    """The system with a manual rule on ``codes`` (indicators are immutable: rebuilt, not edited)."""

    def swap(node: Indicator) -> Indicator:
        if node.code in codes:
            return node.model_copy(update={"rule": ManualRule()})
        return node.model_copy(update={"children": [swap(c) for c in node.children]})

    return system.model_copy(update={"indicators": [swap(n) for n in system.indicators]})


def cards(evaluator_deductions: dict[str, str]):
    """The unit's own scorecard, and an evaluator's on the same indicators with manual deductions."""
    form = standard_form()
    system = form.to_system()
    own = form.to_evaluation(system, bands=BANDS.id)
    reviewed = manual_on(form.to_system(), set(evaluator_deductions))
    scores = dict(own.scores)
    for code, points in evaluator_deductions.items():
        scores[code] = IndicatorScore(deductions=[Deduction(reason="评价组核减", points=D(points))])
    theirs = own.model_copy(update={"scores": scores})
    return score_evaluation(system, own, BANDS), score_evaluation(reviewed, theirs, BANDS)


def recode(node: NodeScore) -> NodeScore:
    return dataclasses.replace(node, code="X" + node.code, children=[recode(c) for c in node.children])


@pytest.mark.parametrize(
    ("code", "points", "inflated"),
    [
        ("2.1.1", "2", True),  # 2 points on a 20-point indicator: above 1 point
        ("2.1.1", "1", False),  # exactly 1 point and 5 %: within both limits
        ("2.4.1", "0.8", True),  # 0.8 of 5 points is 16 % of the weight
        ("2.4.1", "0.5", False),  # 10 % of the weight exactly: not above
    ],
)
def test_gap_above_points_or_share_of_weight_is_flagged_inflated(code, points, inflated):
    mine, theirs = cards({code: points})
    comparison = compare_scorecards(mine, theirs, RULE)
    row = next(r for r in comparison.rows if r.code == code)
    assert row.gap == D(points)
    assert row.inflated is inflated
    assert row.flag == ("自评虚高" if inflated else "")


def test_self_score_below_the_evaluators_is_never_inflated():
    mine, theirs = cards({"2.1.1": "5"})
    comparison = compare_scorecards(theirs, mine, RULE)  # roles swapped: the unit scored lower
    assert comparison.flagged == []


def test_inflated_indicator_needs_a_reconciliation_note_before_finalising():
    mine, theirs = cards({"2.1.1": "3", "2.2.1": "0.5"})
    comparison = compare_scorecards(mine, theirs, RULE)

    assert [str(p) for p in comparison.finalization_problems()] == [
        "指标 2.1.1（新建虚拟机），字段「核对说明」：自评虚高：自评 20.00 分，评价 17.00 分，相差 3.00 分"
        "（自评得分高于评价得分超过 1.00 分或超过该指标分值的 10.00%）；定稿前须填写核对说明"
    ]
    with pytest.raises(Conflict):
        comparison.require_reconciled()

    noted = compare_scorecards(mine, theirs, RULE, notes={"2.1.1": "单位将计划外虚拟机计入，已核减"})
    noted.require_reconciled()  # does not raise
    assert noted.rows[1].note == "单位将计划外虚拟机计入，已核减"


def test_indicators_not_applicable_on_either_side_are_shown_without_a_gap():
    mine, theirs = cards({})
    comparison = compare_scorecards(mine, theirs, RULE)
    na = next(r for r in comparison.rows if r.name == "生态效益指标")
    assert na.self_score is None and na.gap is None and not na.inflated
    assert comparison.self_total == comparison.evaluator_total


def test_leaves_match_by_names_when_codes_differ():
    mine, theirs = cards({"2.1.1": "4"})
    renumbered = dataclasses.replace(theirs, nodes=[recode(n) for n in theirs.nodes])
    assert renumbered.find("2.1.1") is None
    comparison = compare_scorecards(mine, renumbered, RULE)
    assert next(r for r in comparison.rows if r.code == "2.1.1").gap == D(4)
