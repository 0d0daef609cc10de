"""The report context: every figure and sentence comes from the case data (no Word involved)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from workbench.formats.cases import load_case
from workbench.reports.context import build_context
from workbench.reports.score_table import score_rows, table_title
from workbench.reports.text import cn_number, xml_safe


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


@pytest.fixture(scope="module")
def ctx(case):
    return build_context(case, case.scorecard())


def test_money_sentence_figures_come_from_the_ledger(ctx):
    money = ctx["money"]
    assert (money["total_investment"], money["plan_years"], money["plan_first"], money["plan_last"]) == (
        "14,680.00",
        8,
        2018,
        2025,
    )
    assert (money["plan_uniform"], money["plan_yearly"]) == (True, "1,835.00")
    assert (money["arranged"], money["arranged_scope"], money["spend"]) == (
        "1,905.00",
        "含项目监理等费用",
        "1,905.20",
    )


def test_changing_the_ledger_changes_every_figure_the_report_prints(case):
    plan = [p.model_copy(update={"amount": D(2000)}) for p in case.ledger.plan]
    ledger = case.ledger.model_copy(update={"total_investment": D(16000), "plan": plan})
    other = replace(case, ledger=ledger)
    money = build_context(other, other.scorecard())["money"]
    assert (money["total_investment"], money["plan_yearly"], money["plan_total"]) == (
        "16,000.00",
        "2,000.00",
        "16,000.00",
    )


def test_spend_table_totals_1905_20_with_the_yuan_slip_corrected_as_the_evaluator_decided(ctx):
    spend = ctx["spend"]
    assert [r["category"] for r in spend["rows"]] == [
        "软硬件建设费",
        "监理费",
        "新增软硬件设备",
        "空调维修费",
        "资料打印及其他费",
    ]
    air = spend["rows"][3]
    assert (air["amount"], air["amount_text"], air["planned"], air["note"]) == ("8.40", "8.40万元", "否", "")
    assert (spend["total"], spend["line_total"], spend["differs"]) == ("1,905.20", "1,905.20", False)
    assert "checks" not in spend  # check results never reach the document


def test_payment_plan_runs_2018_to_2025_at_1835_and_adds_up_to_14680(ctx):
    plan = ctx["plan"]
    assert [r["year"] for r in plan["rows"]] == list(range(2018, 2026))
    assert {r["planned"] for r in plan["rows"]} == {"1,835.00"}
    assert (plan["total_planned"], plan["rows"][-1]["cumulative_planned"]) == ("14,680.00", "14,680.00")
    # the source says 应支付 (payable), never what was paid: the plan shows no payment
    assert {r["paid"] for r in plan["rows"]} == {"—"}


def test_targets_put_each_target_beside_what_was_achieved(ctx, case):
    rows = ctx["targets"]["rows"]
    assert len(rows) == len(case.project.targets)
    first = rows[0]
    assert (first["name"], first["target"], first["actual"], first["indicator"]) == (
        "建设内容完成数",
        "9项",
        "9项",
        "建设内容完成率",
    )
    assert [r["name"] for r in ctx["targets"]["set_rows"]] == ["建设内容完成数", "网络安全等级保护"]
    assert ctx["targets"]["unset_count"] == sum(1 for t in case.project.targets if t.target == "未设定")


def test_score_part_gives_83_00_good_and_level_one_rates(ctx):
    score = ctx["score"]
    assert (score["total"], score["declared"], score["grade"], score["lost_total"], score["rate"]) == (
        "83",
        "100",
        "良好",
        "17",
        "83.00%",
    )
    assert [(lv["name"], lv["score"], lv["rate"]) for lv in score["levels"]] == [
        ("项目决策", "16", "80.00%"),
        ("项目管理", "31", "77.50%"),
        ("项目绩效", "36", "90.00%"),
    ]


def test_score_rows_have_every_leaf_a_subtotal_per_level_one_and_a_total(case):
    card = case.scorecard()
    rows = score_rows(card)
    assert [r.kind for r in rows].count("leaf") == len(card.leaves())
    subtotals = [(r.l1, r.score) for r in rows if r.kind == "subtotal"]
    assert subtotals == [(n.name, n.score) for n in card.nodes]
    total = rows[-1]
    assert (total.kind, total.score, total.reason) == ("total", D("83.00"), "等级：良好")


def test_a_deduction_reason_carries_the_points_it_cost(ctx):
    b25 = next(r for r in ctx["score_rows"] if r["code"] == "B25")
    assert (b25["score"], b25["lost"]) == ("1", "3")
    assert b25["reason"].startswith("后期维护与管理委托施工方实施") and b25["reason"].endswith("（扣3分）")
    assert b25["criteria"].startswith("运维责任落实")


def test_findings_name_the_indicators_where_points_were_lost_by_name_not_code(ctx):
    f1, f2 = ctx["evaluation"]["findings"]
    assert f1["indicators_text"] == "后期运行维护管理（扣3分）、管理制度健全性（扣2分）"
    assert f1["lost"] == "5" and f1["recommendations"] == ["加强项目后期维护与管理"]
    assert (f2["indicators_text"], f2["lost"]) == ("组织机构与人员保障（扣2分）", "2")


def test_an_indicator_listed_under_two_findings_counts_toward_the_first_only(case):
    f1, f2 = case.evaluation.findings
    both = [
        f1.model_copy(update={"indicators": ["B25", "C51"]}),
        f2.model_copy(update={"indicators": ["B21", "C51"]}),
    ]
    other = replace(case, evaluation=case.evaluation.model_copy(update={"findings": both}))
    got = build_context(other, other.scorecard())["evaluation"]["findings"]
    assert [(f["indicators_text"], f["lost"]) for f in got] == [
        ("后期运行维护管理（扣3分）、服务对象满意度（扣3分）", "6"),
        ("组织机构与人员保障（扣2分）", "2"),
    ]


def test_indicator_analysis_has_one_entry_per_level_one_with_its_groups(ctx, case):
    analysis = ctx["analysis"]
    assert [a["name"] for a in analysis] == [n.name for n in case.system.indicators]
    decision = analysis[0]
    assert (decision["weight"], decision["score"], decision["full"]) == ("20", "16", False)
    assert [g["name"] for g in decision["groups"]] == ["项目立项", "绩效目标", "资金投入"]
    assert "绩效指标明确性（扣2分）" in decision["lost_text"]


def test_notes_carry_no_reconstruction_or_ledger_check_text(ctx):
    assert set(ctx["notes"]) == {"not_applicable", "panel", "any"} and not ctx["notes"]["any"]
    assert "reconstructed" not in ctx["evaluation"]


def test_an_unnamed_source_leaves_the_signature_out(ctx):
    assert ctx["signature"] == {"organization": "", "date": "", "show": False}


def test_context_strings_lose_characters_xml_cannot_hold_and_keep_the_rest(case):
    text = "A&B <b> \x00\x0b\x1f 😀 =SUM(A1) \u201c引号\u201d"
    finding = case.evaluation.findings[0].model_copy(update={"text": text})
    evaluation = case.evaluation.model_copy(update={"findings": [finding, *case.evaluation.findings[1:]]})
    other = replace(case, evaluation=evaluation)
    printed = build_context(other, other.scorecard())["evaluation"]["findings"][0]["text"]
    assert printed == "A&B <b>  😀 =SUM(A1) \u201c引号\u201d"


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (8, "八"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九")]
)
def test_heading_numbers_in_chinese(n, text):
    assert cn_number(n) == text


def test_xml_safe_keeps_tabs_and_newlines():
    assert xml_safe("a\tb\nc\rd\x07") == "a\tb\nc\rd"


def test_attachment_title_is_the_system_name_as_a_score_table():
    assert table_title("2018年度某项目资金绩效评价指标体系") == "2018年度某项目资金绩效评价指标评分表"
    assert table_title("县级项目自评表") == "县级项目自评表"
    assert table_title("合成测试体系") == "合成测试体系评分表"


def test_a_project_entered_in_forms_has_its_unit_and_procurement_told_from_the_fields():
    from workbench.domain.project import Procurement, ProjectUnit
    from workbench.reports.context import procurement_sentence, unit_sentence

    unit = ProjectUnit(
        name="某市城市管理局", nature="行政单位", parent="市政府", staffing={"authorized": 13, "technical": 8}
    )
    bought = Procurement(method="公开招标", contractor="某信息技术有限公司")

    assert unit_sentence(unit) == "某市城市管理局为行政单位，隶属市政府；编制13人，其中专业技术人员8人。"
    assert procurement_sentence(bought) == "项目采用公开招标方式，由某信息技术有限公司承建。"
    assert unit_sentence(ProjectUnit(name="某局")) == "" and procurement_sentence(Procurement()) == ""


def test_a_unit_description_written_by_hand_is_kept_as_written(ctx, case):
    assert ctx["project"]["unit"]["description"] == case.project.unit.description
    assert ctx["project"]["procurement"]["text"] == case.project.procurement.text
