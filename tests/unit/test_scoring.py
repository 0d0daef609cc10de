"""Scorecards: leaves roll up to subtotals and a total, with 得分率 and a grade."""

from decimal import Decimal as D

import pytest
from factories import deduction, evaluation, leaf, national_bands, node, system, two_level_system
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.caching import IdentityLru
from workbench.domain.scoring import gap_to_next_grade, score_evaluation
from workbench.errors import InvalidInput

FULL = {
    "A1": {},
    "A2": {"inputs": {"actual": 100}},
    "B1": {},
    "C1": {"inputs": {"tier": "达成"}},
}


def test_full_marks_everywhere_total_one_hundred_and_excellent():
    card = score_evaluation(two_level_system(), evaluation(FULL), national_bands())
    assert (card.total, card.grade, card.complete) == (D("100.00"), "优", True)


def test_subtotals_and_rates_follow_the_leaves():
    scores = {**FULL, "A1": {"deductions": [deduction(3)]}, "B1": {"deductions": [{"reason": "x"}] * 2}}
    card = score_evaluation(two_level_system(), evaluation(scores), national_bands())
    a, b, c = card.nodes
    assert (a.score, a.rate) == (D("17.00"), D("0.85"))
    assert b.score == D("26.00")
    assert card.total == a.score + b.score + c.score == D("93.00")


def test_total_prints_with_two_decimals():
    scores = {**FULL, "C1": {"inputs": {"tier": "部分达成", "score": 33}}}
    card = score_evaluation(two_level_system(), evaluation(scores), national_bands())
    assert f"{card.total}" == "83.00"
    assert card.grade == "良"


def test_unscored_leaves_are_pending_and_the_card_incomplete():
    card = score_evaluation(two_level_system(), evaluation({"A1": {}}), national_bands())
    assert card.complete is False
    assert card.find("B1").status == "pending"
    assert card.find("A").status == "pending"


def test_bad_inputs_are_all_reported_naming_each_indicator():
    scores = {**FULL, "A1": {"deductions": [deduction(11)]}, "C1": {"inputs": {"tier": "极好"}}}
    with pytest.raises(InvalidInput) as err:
        score_evaluation(two_level_system(), evaluation(scores), national_bands())
    text = str(err.value)
    assert "指标 A1" in text and "超过该指标分值" in text
    assert "指标 C1" in text and "档位“极好”不存在" in text


def test_a_score_for_an_indicator_not_in_the_system_is_reported():
    with pytest.raises(InvalidInput, match="指标 Z9"):
        score_evaluation(two_level_system(), evaluation({**FULL, "Z9": {}}), national_bands())


def test_scoring_again_after_one_change_rescores_that_leaf_and_reuses_the_rest():
    sys_, bands = two_level_system(), national_bands()
    first = evaluation(FULL)
    leaves = IdentityLru(64)  # the caller's memo (a database handle's, in the services)
    before = score_evaluation(sys_, first, bands, leaves=leaves)
    changed = first.model_copy(
        update={
            "scores": {**first.scores, "A1": evaluation({"A1": {"deductions": [deduction(4)]}}).scores["A1"]}
        }
    )

    after = score_evaluation(sys_, changed, bands, leaves=leaves)

    assert (before.total, after.total) == (D("100.00"), D("96.00"))
    assert after.find("A1").lost == D("4.00") and after.find("A").score == D("16.00")
    assert after.find("B1") is before.find("B1")  # unchanged leaves: the same result, not scored again
    assert score_evaluation(sys_, first, bands, leaves=leaves).total == D(
        "100.00"
    )  # the earlier entry still scores as it did


def test_a_bad_entry_is_reported_every_time_it_is_scored():
    sys_, bad = two_level_system(), evaluation({**FULL, "A1": {"deductions": [deduction(11)]}})
    for _ in range(2):
        with pytest.raises(InvalidInput, match="指标 A1"):
            score_evaluation(sys_, bad, national_bands())


def test_not_applicable_rescales_the_rest_to_the_declared_total():
    scores = {
        **FULL,
        "A2": {"not_applicable": True, "na_reason": "本年度无此产出"},
        "A1": {"deductions": [deduction(9)]},
    }
    card = score_evaluation(two_level_system(), evaluation(scores, na_policy="rescale"), national_bands())
    # 81 of the 90 applicable points -> 90.00 of 100
    assert (card.applicable_total, card.raw_total, card.total, card.grade) == (D(90), D(81), D("90.00"), "优")


def test_not_applicable_excluded_reports_the_score_rate_instead():
    scores = {
        **FULL,
        "A2": {"not_applicable": True, "na_reason": "本年度无此产出"},
        "A1": {"deductions": [deduction(9)]},
    }
    card = score_evaluation(two_level_system(), evaluation(scores, na_policy="exclude"), national_bands())
    assert (card.total, card.score100, card.grade) == (D("81.00"), D("90.00"), "优")
    assert card.find("A2").status == "na"


def test_not_applicable_needs_a_reason():
    with pytest.raises(ValueError, match="须说明理由"):
        evaluation({"A2": {"not_applicable": True}})


def test_gap_to_next_grade_names_the_fewest_indicators_to_recover():
    scores = {
        **FULL,
        "A1": {"deductions": [deduction(5)]},
        "C1": {"inputs": {"tier": "部分达成", "score": 38}},
    }
    card = score_evaluation(two_level_system(), evaluation(scores), national_bands())
    assert card.total == D("83.00")
    gap = gap_to_next_grade(card)
    assert (gap.next_grade, gap.points_needed, gap.reachable) == ("优", D("7.00"), True)
    assert [n.code for n in gap.where] == ["C1"]


# --- property: any valid tree, any in-range leaf scores ----------------------------------


@st.composite
def trees_with_scores(draw):
    n_top = draw(st.integers(1, 4))
    total = D(draw(st.sampled_from([100, 50, 120])))
    top_weights = _split(draw, total, n_top)
    tops, scores = [], {}
    for i, tw in enumerate(top_weights):
        kids = []
        for j, kw in enumerate(_split(draw, tw, draw(st.integers(1, 4)))):
            code = f"L{i}_{j}"
            kids.append(leaf(code, kw))
            lost = D(draw(st.integers(0, int(kw * 100)))) / 100
            scores[code] = {"deductions": [deduction(lost)]} if lost else {}
        tops.append(node(f"T{i}", tw, *kids))
    return system(*tops, total=total), scores


def _split(draw, amount: D, parts: int) -> list[D]:
    cents = int(amount * 100)
    cuts = sorted(draw(st.lists(st.integers(0, cents), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, cents]
    return [D(bounds[k + 1] - bounds[k]) / 100 for k in range(parts)]


@settings(max_examples=150, deadline=None)
@given(trees_with_scores())
def test_total_lies_within_bounds_and_equals_the_sum_of_level_one_subtotals(tree_and_scores):
    tree, scores = tree_and_scores
    assert tree.problems() == []
    card = score_evaluation(tree, evaluation(scores), national_bands())
    assert D(0) <= card.total <= tree.total
    assert card.total == sum(n.score for n in card.nodes)
