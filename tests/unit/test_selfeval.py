"""The 自评表 model: budget block, rows scored by the rule kinds, stated scores checked."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from selfeval_forms import BANDS, SELF_RULES, form, funds, row, standard_form

from workbench.domain.funds import Funds, FundsLine
from workbench.domain.selfeval import read_measure
from workbench.errors import InvalidInput

D = Decimal


@pytest.mark.parametrize(
    ("text", "direction", "value", "unit"),
    [
        ("≥160台", "higher", "160", "台"),
        (">=95%", "higher", "95", "%"),
        ("不低于90%", "higher", "90", "%"),
        ("100%", "higher", "100", "%"),
        ("≤1,835万元", "lower", "1835", "万元"),
        ("不超过30天", "lower", "30", "天"),
        ("按期完成", "qualitative", None, ""),
        ("有效提升", "qualitative", None, ""),
    ],
)
def test_annual_target_text_says_which_rule_kind_scores_the_row(text, direction, value, unit):
    got = read_measure(text)
    assert got.direction == direction
    assert got.value == (None if value is None else D(value))
    assert got.unit == unit


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (row("数量指标", "新建虚拟机", "≥160台", "160台", 20), "20.00"),
        (row("数量指标", "新建虚拟机", "≥160台", "120台", 20), "15.00"),  # 120/160 × 20
        (row("成本指标", "建设成本", "≤100万元", "100万元", 10), "10.00"),
        (row("成本指标", "建设成本", "≤100万元", "125万元", 10), "7.50"),  # (1 − 25/100) × 10
        (row("成本指标", "建设成本", "≤100万元", "230万元", 10), "0.00"),
        (row("时效指标", "按期完成", "按期完成", "达成", 10), "10.00"),
        (row("时效指标", "按期完成", "按期完成", "部分达成", 10, "7.5"), "7.50"),
        (
            row("时效指标", "按期完成", "按期完成", "延期一个月", 10, "5"),
            "5.00",
        ),  # tier from the score: 未达成
        (row("满意度", "群众满意度", "≥90%", "未调查", 10, "6"), "6.00"),  # no figure: the stated 得分 stands
        (row("安全指标", "安全事故", "≤0起", "0起", 5, "5"), "5.00"),
    ],
)
def test_each_row_is_scored_by_its_rule_kind(item, expected):
    card = form(item).scorecard(BANDS)
    assert card.find("2.1.1").score == D(expected)


def test_qualitative_score_outside_its_tier_is_refused():
    with pytest.raises(InvalidInput, match=re.escape("档位“达成”的得分应在 8.00–10.00 分之间")):
        form(row("时效指标", "按期完成", "按期完成", "达成", 10, "5")).scorecard(BANDS)


def test_budget_execution_rate_and_its_ten_points_are_computed():
    assert funds("100", "95").rate() == D(95)
    assert funds("100", "95").outcome().score == D("9.50")
    assert funds("1905", "1905.2").outcome().score == D("10.00")  # capped at 100 %
    assert Funds(weight=D(10)).rate() is None


def test_budget_sub_lines_that_do_not_add_up_are_a_warning():
    money = funds()
    money = money.model_copy(update={"carryover": FundsLine(initial=D(5), budget=D(5), executed=D(5))})
    found = money.problems()
    assert [p.severity for p in found] == ["warning"] * 3
    assert (
        "年初预算数：当年财政拨款、上年结转资金、其他资金合计 105.00 万元，与年度资金总额 100.00 万元不一致"
        in str(found[0])
    )


def test_stated_execution_score_that_the_figures_contradict_is_reported():
    money = funds("100", "80").model_copy(update={"stated_score": D(10), "stated_rate": D(100)})
    found = [p.message for p in money.problems()]
    assert found == [
        "执行率填写为 100.00%，按全年执行数 80 ÷ 全年预算数 100 计算应为 80.00%（金额按填写值计算，执行率四舍五入保留两位小数显示）",
        "执行率得分填写为 10.00 分，与预算数据不符：执行率 80.00%，按“全年执行数/全年预算数×分值（上限 100.00%）”应得 8.00 分",
    ]


def test_standard_form_totals_100_points_with_the_10_50_30_10_split():
    the_form = standard_form()
    system = the_form.to_system(composition=SELF_RULES)
    card = the_form.scorecard(BANDS)

    assert system.problems() == []
    assert [n.name for n in card.nodes] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert [n.weight for n in card.nodes] == [10, 50, 30, 10]
    assert card.find("3.2").status == "na"
    assert card.find("3.3.1").deductions[0].reason == "运维无专人"
    assert card.total == D("9.50") + 50 + 27 + D("9.44")  # 85/90 × 10 = 9.44
    assert card.grade == "优"


def test_level_one_weights_off_the_rule_are_reported_from_the_composition_rules():
    the_form = standard_form()
    the_form.rows[0] = the_form.rows[0].model_copy(update={"weight": D(25)})
    found = [p.message for p in the_form.to_system(composition=SELF_RULES).problems()]
    assert "产出指标 分值为 55.00，要求等于 50.00" in found
    assert any("一级指标分值合计 105.00，应等于总分 100.00" in m for m in found)


def test_stated_scores_and_total_the_rules_contradict_are_reported():
    the_form = standard_form()
    the_form.rows[0] = the_form.rows[0].model_copy(update={"actual": "120台", "score": D(20)})
    the_form.stated_total = D(100)
    card = the_form.scorecard(BANDS)
    found = [str(p) for p in the_form.problems(card)]
    assert found == [
        "指标 2.1.1（新建虚拟机），字段「得分」：自评得分填写为 20.00，按年度指标值与实际完成值计算应为 15.00",
        f"字段「总分」：总分填写为 100.00，按各项计算为 {card.total}",
    ]


def test_a_form_without_a_year_scores_but_cannot_become_a_saved_evaluation():
    the_form = standard_form().model_copy(update={"year": None})
    assert the_form.scorecard(BANDS).total > 0
    with pytest.raises(InvalidInput, match="自评表没有写明年度"):
        the_form.to_evaluation(the_form.to_system())
    assert the_form.to_evaluation(the_form.to_system(), year=2024).year == 2024
