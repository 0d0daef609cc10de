"""Each scoring-rule kind, table-driven over its boundaries."""

from decimal import Decimal as D

import pytest

from workbench.domain.rules import RULE_KINDS, Deduction, Rule, parse_rule, register
from workbench.errors import InvalidInput


def score(rule: dict, weight, **inputs):
    r = parse_rule(rule)
    return r.score(D(weight), r.parse_inputs(inputs))


@pytest.mark.parametrize(
    ("deductions", "expected"),
    [
        ([], "10.00"),
        ([{"reason": "手续不全", "points": 2}], "8.00"),
        ([{"reason": "a", "points": "2.5"}, {"reason": "b", "points": "0.25"}], "7.25"),
        ([{"reason": "全部不合规", "points": 10}], "0.00"),
    ],
)
def test_manual_score_is_weight_less_deductions(deductions, expected):
    assert score({"kind": "manual"}, 10, deductions=deductions).score == D(expected)


def test_manual_deductions_above_weight_are_refused_with_the_figures():
    with pytest.raises(InvalidInput, match=r"扣分合计 10\.50 分超过该指标分值 10\.00 分"):
        score({"kind": "manual"}, 10, deductions=[{"reason": "a", "points": "10.5"}])


def test_manual_deduction_without_points_is_refused():
    with pytest.raises(InvalidInput, match="未填写扣分分值"):
        score({"kind": "manual"}, 10, deductions=[{"reason": "a"}])


def test_negative_deduction_is_refused():
    with pytest.raises(InvalidInput, match="不能为负数"):
        score({"kind": "manual"}, 10, deductions=[{"reason": "a", "points": -1}])


@pytest.mark.parametrize(
    ("items", "expected"), [(0, "10.00"), (1, "8.00"), (4, "2.00"), (5, "0.00"), (9, "0.00")]
)
def test_per_item_deduction_stops_at_zero(items, expected):
    deductions = [{"reason": f"问题{i}"} for i in range(items)]
    outcome = score({"kind": "per_item", "points_per_item": 2}, 10, deductions=deductions)
    assert outcome.score == D(expected)
    assert all(d.points == D(2) for d in outcome.deductions)


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("120", "100", "10.00"),
        ("100", "100", "10.00"),
        ("80", "100", "8.00"),
        ("0", "100", "0.00"),
        ("1", "3", "3.33"),
        ("2", "3", "6.67"),
    ],
)
def test_higher_is_better_ratio_caps_at_full_marks(actual, target, expected):
    assert score({"kind": "ratio"}, 10, actual=actual, target=target).score == D(expected)


def test_ratio_uses_the_systems_target_when_the_evaluation_gives_none():
    assert score({"kind": "ratio", "target": 50}, 10, actual=25).score == D("5.00")


def test_ratio_without_any_target_says_so():
    with pytest.raises(InvalidInput, match="未设定目标值"):
        score({"kind": "ratio"}, 10, actual=5)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("80", "10.00"),
        ("100", "10.00"),
        ("125", "7.50"),
        ("150", "5.00"),
        ("199", "0.10"),
        ("200", "0.00"),
        ("300", "0.00"),
    ],
)
def test_lower_is_better_is_linear_to_zero_at_twice_the_target(actual, expected):
    assert score({"kind": "reverse_ratio", "target": 100}, 10, actual=actual).score == D(expected)


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"numerator": 1905, "denominator": 1905}, "3.00"),
        ({"numerator": "1905.2", "denominator": 1905}, "3.00"),
        ({"numerator": 900, "denominator": 1000}, "2.70"),
        ({"value": 50}, "1.50"),
    ],
)
def test_rate_times_weight_is_capped_at_one_hundred_percent(inputs, expected):
    assert score({"kind": "rate"}, 3, **inputs).score == D(expected)


def test_rate_needs_a_value_or_both_parts():
    with pytest.raises(InvalidInput, match="二者选一"):
        score({"kind": "rate"}, 3, numerator=5)


STEPS = {
    "kind": "bands",
    "steps": [{"min": 95, "share": 100}, {"min": 90, "share": 80}, {"min": 80, "share": 60}],
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", "5.00"),
        ("95", "5.00"),
        ("94.99", "4.00"),
        ("90", "4.00"),
        ("89.99", "3.00"),
        ("80", "3.00"),
        ("79.99", "0.00"),
    ],
)
def test_bands_lower_bound_is_inclusive(value, expected):
    assert score(STEPS, 5, value=value).score == D(expected)


def test_bands_must_be_listed_from_high_to_low():
    with pytest.raises(ValueError, match="从高到低"):
        parse_rule({"kind": "bands", "steps": [{"min": 80, "share": 60}, {"min": 95, "share": 100}]})


@pytest.mark.parametrize(
    ("tier", "given", "expected"),
    [
        ("达成", None, "10.00"),
        ("达成", "8", "8.00"),
        ("部分达成", None, "7.00"),
        ("部分达成", "6", "6.00"),
        ("部分达成", "8", "8.00"),
        ("未达成", None, "3.00"),
        ("未达成", "0", "0.00"),
    ],
)
def test_qualitative_tiers_score_within_their_range(tier, given, expected):
    inputs = {"tier": tier} if given is None else {"tier": tier, "score": given}
    assert score({"kind": "tiers"}, 10, **inputs).score == D(expected)


def test_a_tier_score_outside_its_range_names_the_range():
    with pytest.raises(InvalidInput, match=r"“部分达成”的得分应在 6\.00–8\.00 分之间，填写的是 9\.00 分"):
        score({"kind": "tiers"}, 10, tier="部分达成", score=9)


def test_an_unknown_tier_lists_the_known_ones():
    with pytest.raises(InvalidInput, match="可选：达成、部分达成、未达成"):
        score({"kind": "tiers"}, 10, tier="基本达成")


def test_a_formula_deduction_carries_the_evaluators_reason():
    outcome = score({"kind": "tiers"}, 5, tier="部分达成", score=4, deductions=[{"reason": "共享仍在建设中"}])
    assert [(d.reason, d.points) for d in outcome.deductions] == [("共享仍在建设中", D("1.00"))]


def test_formula_reasons_whose_points_do_not_add_up_are_refused():
    with pytest.raises(InvalidInput, match="不一致"):
        score({"kind": "ratio"}, 10, actual=50, target=100, deductions=[{"reason": "a", "points": 1}])


def test_unknown_rule_kind_names_the_known_kinds():
    with pytest.raises(ValueError, match=r"未知的规则类型 “magic”.*manual（人工评分"):
        parse_rule({"kind": "magic"})


def test_a_new_rule_kind_is_one_class_and_one_registration():
    @register
    class Fixed(Rule):
        kind: str = "fixed_half"
        label = "固定一半"

        def score(self, weight, inputs):
            from workbench.domain.rules import Outcome

            return Outcome(score=weight / 2)

    try:
        assert score({"kind": "fixed_half"}, 8).score == D(4)
    finally:
        RULE_KINDS.pop("fixed_half")


def test_deduction_reason_cannot_be_empty():
    with pytest.raises(ValueError):
        Deduction(reason="", points=D(1))
