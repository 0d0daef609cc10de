"""领导看板: a conclusion sentence composed from the evaluation, score and grade, the targets
achieved, the year's budget execution, the problems with their recommendations — each with a
red/amber/green light — and the plan against the spend in 万元; nothing that says saving is refused."""

from __future__ import annotations

import json

from actors import LEADER
from screen import read, shown, texts
from signin import PAGE_USER

from workbench.services import findings


def test_the_leader_dashboard_leads_with_a_conclusion_composed_from_the_evaluation(open_page):
    at = open_page("dashboard", as_=LEADER)

    (conclusion,) = texts(at.warning)  # amber: 良好 is not 优
    assert conclusion == (
        "益阳智慧大脑+政务服务项目2018年度绩效评价得分 83.00 分，等级“良好”；"
        "失分主要在项目管理（扣 9.00 分），主要问题是该项目后期维护与管理有待加强。"
    )
    assert "扣分合计" not in [m.label for m in at.metric]


def test_the_leader_dashboard_shows_each_figure_with_its_light(open_page):
    page = shown(open_page("dashboard", as_=LEADER))

    assert "总分与等级 :orange-badge[● 关注]  \n**83.00 分 · 良好**" in page
    assert "绩效目标 :orange-badge[● 关注]  \n**1 / 13 项达成**" in page
    assert "2018年预算执行率 :orange-badge[● 关注]  \n**100.01%**" in page  # 1,905.20 of 1,905.00 arranged
    assert ":red-badge[● 预警] 项目管理 31.00（77.50%）" in page
    assert ":green-badge[● 正常] 项目绩效 36.00（90.00%）" in page
    assert ":green-badge[● 正常] 建设内容完成数：达成" in page
    assert ":orange-badge[● 关注] 网络安全等级保护：待核实" in page  # words, not numbers: a person checks
    assert ":red-badge[● 预警] 1. 该项目后期维护与管理有待加强（扣 5.00 分）" in page
    assert "→ 建议：加强项目后期维护与管理" in page
    assert "2018年：分年计划 1,835.00，当年安排 1,905.00，实际支出 1,905.20（万元）" in page
    assert "在此保存会被拒绝" not in page


def test_the_leader_dashboard_draws_money_in_wan_with_no_bar_for_years_not_yet_spent(open_page):
    at = open_page("dashboard", as_=LEADER)

    (chart,) = at.get("plotly_chart")
    figure = json.loads(chart.proto.spec)
    assert figure["layout"]["yaxis"]["tickformat"] == ",~f"  # 1,835 — never 1.8k
    assert figure["layout"]["yaxis"]["title"]["text"] == "万元"
    assert json.loads(chart.proto.config)["locale"] == "zh-CN"
    spend = next(t for t in figure["data"] if t["name"] == "支出")
    assert spend["y"][:3] == [1905.2, None, None]  # 2019–2025: no bar, not 0


def test_an_evaluator_sees_the_same_dashboard(open_page):
    at = open_page("dashboard")

    assert "主要问题是该项目后期维护与管理有待加强" in texts(at.warning)[0]


def test_a_long_list_of_problems_shows_three_on_the_screen_and_all_in_the_pop_over(open_page, draft, app_db):
    for n in range(3, 6):
        findings.add_finding(app_db.uow(), PAGE_USER, draft, {"title": f"第{n}个问题", "indicators": ["A21"]})

    at = open_page("dashboard", draft, as_=LEADER)

    screen = [m for m in texts(at.markdown) if m.startswith("**存在的问题与建议**")]
    assert len(screen) == 1 and "另有 2 项，见下" in screen[0] and "第4个问题" not in screen[0]
    assert any("5. 第5个问题" in m for m in texts(at.markdown))  # in the pop-over


def test_the_leader_dashboard_shows_the_projects_years_with_the_table_in_a_pop_over(open_page):
    at = open_page("dashboard", as_=LEADER)

    labels = [read(p.proto.popover.label) for p in at.get("popover")]
    assert "项目历年（2018—2025年）：2018年 83.00 分" in labels
    (years,) = [t for t in at.table if "累计支付（万元）" in t.value.columns]
    assert list(years.value["年度"]) == [str(y) for y in range(2018, 2026)]
