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
    assert set(cumulative_paid.y) == {0}  # the source states what was payable (应支付), not what was paid


def test_spend_chart_keeps_each_line_as_recorded(case):
    (pie,) = charts.spend_breakdown(case.ledger, 2018).data
    assert "空调维修费（8.4元）" in pie.labels
