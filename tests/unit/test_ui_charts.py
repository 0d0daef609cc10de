"""The pages' plotly figures carry the figures a user reads off them."""

import pytest

from workbench.formats.cases import load_case
from workbench.ui import charts


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def test_level_one_chart_shows_weight_beside_score(case):
    fig = charts.score_by_level_one(case.scorecard())
    weight, score = fig.data
    assert list(weight.x) == ["项目决策", "项目管理", "项目绩效"]
    assert (list(weight.y), list(score.y)) == ([20, 40, 40], [16, 31, 36])


def test_points_lost_chart_lists_the_largest_first_and_leaves_room_for_its_labels(case):
    fig = charts.points_lost(case.scorecard())
    (bars,) = fig.data
    assert bars.y[-1] == "B25 后期运行维护管理"  # drawn bottom-up: the top bar is the largest
    assert bars.text[-1] == "−3.00"
    assert fig.layout.xaxis.range[1] > max(bars.x)


def test_payment_chart_accumulates_the_plan_to_the_total_investment(case):
    fig = charts.payment_plan(case.ledger)
    cumulative_plan = next(t for t in fig.data if t.name == "累计计划")
    cumulative_paid = next(t for t in fig.data if t.name == "累计支付")
    assert (cumulative_plan.x[-1], cumulative_plan.y[-1]) == ("2025", 14680)
    assert set(cumulative_paid.y) == {None}  # the source states what was payable (应支付), not what was paid
    arranged = next(t for t in fig.data if t.name == "预算安排")
    assert list(arranged.y) == [1905, *[None] * 7]  # later plan years: no bar, not 0
    assert (fig.layout.yaxis.tickformat, fig.layout.yaxis.title.text) == (
        ",~f",
        "当年（万元）",
    )  # 1,835 not 1.8k
    assert fig.layout.legend.y < 0  # below the plot: never over the title
    assert fig.layout.xaxis.type == "category"  # a three-year plan reads 2018 2019 2020, never 2,017.5


def test_spend_chart_draws_bars_in_wan_largest_on_top_with_shares_to_one_decimal(case):
    fig = charts.spend_breakdown(case.decided_ledger, 2018)
    (bars,) = fig.data
    assert bars.y[-1] == "软硬件建设费"  # drawn bottom-up: the top bar is the largest
    assert bars.text[-1] == "1,835.00（96.3%）"
    assert "8.40（0.4%）" in bars.text  # the 8.4元 slip as the evaluator corrected it
    assert (fig.layout.xaxis.tickformat, fig.layout.xaxis.title.text) == (",~f", "万元")


def test_plan_and_spend_chart_shows_the_years_spend_and_no_bar_for_later_years(case):
    fig = charts.plan_and_spend(case.decided_ledger)
    spend = next(t for t in fig.data if t.name == "支出")
    assert list(spend.y) == [1905.2, *[None] * 7]
    assert fig.layout.yaxis.title.text == "万元"
