"""Expert panels: independent scores, mean or trimmed mean, spread, outliers, and the record kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workbench.domain.panel import ExpertSheet, Panel, PanelRules, panel_score
from workbench.errors import Conflict, InvalidInput

D = Decimal
RULES = PanelRules(trim_min_experts=5, outlier_percent_of_weight=D(20))


def given(*scores: str) -> list[tuple[str, Decimal]]:
    return [(f"专家{chr(65 + i)}", D(s)) for i, s in enumerate(scores)]


@pytest.mark.parametrize(
    ("method", "scores", "expected", "used", "counted"),
    [
        ("mean", ("8", "7", "9"), "8.00", "mean", 3),
        ("mean", ("6", "7", "8", "9", "10"), "8.00", "mean", 5),
        ("trimmed_mean", ("6", "7", "8", "9", "10"), "8.00", "trimmed_mean", 3),
        ("trimmed_mean", ("6", "8", "8", "8", "10"), "8.00", "trimmed_mean", 3),
        ("trimmed_mean", ("7", "7", "7", "9", "9"), "7.67", "trimmed_mean", 3),
        ("trimmed_mean", ("2", "9", "9", "9", "9", "9"), "9.00", "trimmed_mean", 4),
        ("trimmed_mean", ("6", "7", "9", "10"), "8.00", "mean", 4),  # four experts: not enough to trim
    ],
)
def test_panel_score_is_the_mean_or_the_trimmed_mean(method, scores, expected, used, counted):
    got = panel_score("A11", D(10), given(*scores), method, RULES)
    assert got.score == D(expected)
    assert got.method == used
    assert got.counted == counted


def test_trimmed_record_names_the_dropped_experts_and_values():
    got = panel_score("A11", D(10), given("6", "7", "8", "9", "10"), "trimmed_mean", RULES)
    assert [(m.expert, m.score, m.dropped) for m in got.dropped] == [
        ("专家A", 6, "最低分"),
        ("专家E", 10, "最高分"),
    ]
    assert (
        got.describe()
        == "5 位专家评分，去掉最高分 10.00（专家E）和最低分 6.00（专家A），取其余 3 位的平均：8.00"
    )


def test_too_few_experts_for_trimming_is_said_in_the_record():
    got = panel_score("A11", D(10), given("6", "7", "9", "10"), "trimmed_mean", RULES)
    assert got.describe() == "4 位专家评分的算术平均：8.00（评分专家不足 5 人，未去掉最高分和最低分）"


def test_mean_is_rounded_half_up_once_at_the_end():
    # Rounding each expert first would give 7.33, 7.33, 7.34 -> 7.33; the exact mean 7.335 rounds to 7.34.
    got = panel_score("A11", D(10), given("7.333", "7.333", "7.339"), "mean", RULES)
    assert got.exact_mean == D("7.335")
    assert got.score == D("7.34")
    assert panel_score("A11", D(10), given("8.12", "8.13"), "mean", RULES).score == D("8.13")  # not 8.12


def test_spread_and_outliers_against_the_median():
    got = panel_score("B21", D(10), given("8", "8.5", "8", "3"), "mean", RULES)
    assert got.spread == D("5.5")
    assert got.median == D("8")
    assert [m.expert for m in got.outliers] == ["专家D"]  # 5 points from the median, limit 20 % of 10 = 2
    assert got.marks[3].deviation == D("-5")


def test_two_experts_who_disagree_are_not_called_outliers():
    got = panel_score("B21", D(10), given("9", "3"), "mean", RULES)
    assert got.outliers == []
    assert got.spread == D(6)


def _panel(method: str = "mean", *, submitted: bool = True) -> Panel:
    return Panel(
        method=method,
        sheets=[
            ExpertSheet(expert="张专家", scores={"A11": D(4), "A12": D(3)}, submitted=True),
            ExpertSheet(expert="李专家", scores={"A11": D(3), "A12": D("2.5")}, submitted=submitted),
        ],
    )


def test_panel_result_covers_every_scored_leaf_from_submitted_sheets_only():
    weights = {"A11": D(4), "A12": D(4), "A13": D(2)}
    result = _panel(submitted=False).result(weights, RULES)
    assert set(result) == {"A11", "A12"}  # nobody scored A13
    assert result["A11"].score == D(4)  # 李专家 has not submitted: not counted
    both = _panel().result(weights, RULES)
    assert both["A11"].score == D("3.50")
    assert both["A12"].score == D("2.75")


def test_a_score_above_the_weight_is_refused_naming_expert_and_indicator():
    panel = Panel(sheets=[ExpertSheet(expert="张专家", scores={"A11": D(5)}, submitted=True)])
    with pytest.raises(InvalidInput) as err:
        panel.result({"A11": D(4)}, RULES)
    assert err.value.messages == ["专家“张专家”，指标 A11，字段「得分」：评分 5.00 高于该指标分值 4.00"]


def test_panel_with_no_submitted_sheet_has_no_score_yet():
    with pytest.raises(Conflict, match="还没有专家提交评分"):
        _panel(submitted=False).model_copy(update={"sheets": []}).result({"A11": D(4)}, RULES)


def test_panel_score_becomes_a_manual_score_carrying_its_record():
    got = panel_score("A11", D(10), given("6", "7", "8", "9", "10"), "trimmed_mean", RULES)
    entry = got.as_indicator_score()
    assert entry.deductions[0].points == 2
    assert entry.deductions[0].reason.startswith("专家组评分 8.00 分：5 位专家评分，去掉最高分 10.00")
