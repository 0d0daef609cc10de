"""项目总览: the Yiyang case opens at once on first start with its facts and ledger."""

from __future__ import annotations

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
    plan = at.dataframe[1].value
    assert list(plan["年度"]) == [str(y) for y in range(2018, 2026)]
    assert set(plan["计划安排（万元）"]) == {"1,835.00"}
    assert len(at.get("plotly_chart")) == 2  # the plan against arranged and paid; the 2018 spend


def test_the_air_conditioning_line_in_yuan_is_flagged_as_a_unit_slip_warning(open_page):
    at = open_page("overview")

    slips = [w for w in texts(at.warning) if "空调维修费" in w and "单位笔误" in w]
    assert slips and "记为 8.4元" in slips[0]
    assert not at.error
    spend = at.dataframe[2].value
    assert "8.4元" in list(spend["记录金额"])
