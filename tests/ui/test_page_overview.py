"""项目总览: the Yiyang case opens at once on first start with its facts and ledger."""

from __future__ import annotations

from actors import LEADER, REVIEWER, YIYANG
from screen import metric, shown, texts


def test_first_start_opens_the_yiyang_case_on_the_project_overview(open_page):
    at = open_page("overview")

    assert at.sidebar.selectbox(key="evaluation_picker").value == "yiyang-smart-brain-2018-eval"
    assert texts(at.title) == ["项目总览"]
    assert "益阳智慧大脑+政务服务项目" in texts(at.subheader)
    page = shown(at)
    assert "市电子政务管理办公室" in page and "中国电信集团系统集成有限责任公司" in page


def test_the_ledger_shows_investment_plan_rates_and_the_2018_funds_in_wan_yuan(open_page):
    at = open_page("overview")

    assert metric(at, "总投资") == "14,680.00 万元"
    assert metric(at, "支付计划") == "2018–2025 年"
    assert metric(at, "2018年到位率") == "100.00%"
    assert metric(at, "2018年执行率") == "100.01%"
    assert metric(at, "2018年实际支出") == "1,905.20 万元"
    plan = at.table[1].value
    assert list(plan["年度"]) == [str(y) for y in range(2018, 2026)]
    assert set(plan["计划安排（万元）"]) == {"1,835.00"}
    assert list(plan["预算安排（万元）"]) == [
        "1,905.00",
        *["—"] * 7,
    ]  # later years: nothing recorded, not 0.00
    assert set(plan["已支付（万元）"]) == {"—"}  # the source states what was payable, not what was paid
    assert len(at.get("plotly_chart")) == 2  # the plan against arranged and paid; the 2018 spend


def test_the_air_conditioning_line_in_yuan_is_flagged_as_a_unit_slip_warning(open_page):
    at = open_page("overview")

    slips = [w for w in texts(at.info) if "空调维修费" in w and "单位笔误" in w]
    assert slips and "记为 8.4元，按此合计为 1,896.80 万元" in slips[0]  # the check and its arithmetic stay
    assert "评价人已处理：按笔误更正为 8.4 万元" in slips[0]
    assert not at.error


def test_every_spend_line_shows_in_wan_with_two_decimals_and_the_slip_noted(open_page):
    spend = open_page("overview").table[2].value

    assert list(spend["金额（万元）"]) == ["1,835.00", "38.00", "20.80", "8.40", "3.00"]
    assert list(spend["原始记录"])[3] == "原文记为 8.4元，已按单位笔误更正"


def test_those_who_only_read_a_final_evaluation_are_not_told_that_saving_is_refused(open_page):
    for reader in (LEADER, REVIEWER):
        at = open_page("overview", as_=reader)
        assert "定稿" in at.sidebar.selectbox(key="evaluation_picker").format_func(YIYANG)
        assert "在此保存会被拒绝" not in shown(at), reader.role
    assert "在此保存会被拒绝" in shown(open_page("overview"))  # the evaluator, who edits, is told
