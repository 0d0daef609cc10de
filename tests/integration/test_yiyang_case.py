"""The reference case reproduces the 2019 report: 83.00, 良好, from data alone."""

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.domain.checks import evaluation_checks
from workbench.domain.ledger_decisions import unresolved
from workbench.domain.review_checks import (
    criteria_problems,
    duplicate_problems,
    finding_costs,
    shared_indicator_problems,
)
from workbench.errors import InvalidInput
from workbench.formats.cases import load_case
from workbench.services.casefiles import validate_path

SEED = Path("/work/shared/seed/2018-yiyang-smart-brain-evaluation-report.txt")


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


@pytest.fixture(scope="module")
def card(case):
    return case.scorecard()


def test_total_is_83_and_grade_good(card):
    assert (str(card.total), card.grade, card.complete) == ("83.00", "良好", True)


def test_level_one_subtotals_and_score_rates(card):
    got = [(n.name, n.weight, n.score, round(n.rate * 100, 2)) for n in card.nodes]
    assert got == [
        ("项目决策", D(20), D(16), D("80.00")),
        ("项目管理", D(40), D(31), D("77.50")),
        ("项目绩效", D(40), D(36), D("90.00")),
    ]


def test_seventeen_points_are_lost_and_every_loss_has_a_reason_and_a_source(card, case):
    assert card.lost_total == D(17)
    for leaf in card.leaves():
        if leaf.lost:
            assert leaf.deductions, leaf.code
            assert all(d.reason for d in leaf.deductions), leaf.code
            entry = case.evaluation.scores[leaf.code]
            assert all(d.source for d in entry.deductions), f"{leaf.code} deduction has no source"


def test_things_the_report_shows_as_done_keep_their_points(card):
    for code in ["A11", "A12", "B23", "B24", "B26", "C11", "C21", "C31"]:  # 立项, 采购, 监理验收, 归档, 产出
        assert card.find(code).lost == 0, code


def test_each_problem_names_indicators_that_lost_points_and_has_a_recommendation(case, card):
    for finding in case.evaluation.findings:
        assert finding.indicators
        assert all(card.find(code).lost > 0 for code in finding.indicators)
        assert case.evaluation.recommendations_for(finding.id)
    assert evaluation_checks(case, card) == []


def test_a_reviewer_finds_no_double_deduction_no_rule_broken_and_no_shared_finding(case, card):
    assert duplicate_problems(card) == []
    assert criteria_problems(card) == []
    assert shared_indicator_problems(case, card) == []
    costs = finding_costs(case, card)
    assert sum(n.lost for nodes in costs.values() for n in nodes) == 7  # what the two problems cost


def test_b22_deducts_one_point_for_each_missing_kind_of_rule(card):
    (d,) = card.find("B22").deductions
    assert (d.items, d.points) == (2, D(2)) and "每缺少一类制度扣 1 分" in card.find("B22").criteria


def test_full_marks_resting_on_an_assumption_say_so(card):
    assert "假设" in card.find("A32").rationale
    assert "不属本年度" in card.find("B13").rationale and "服务费" in card.find("B13").rationale
    assert "未载明" in card.find("C31").rationale
    assert "不重复扣分" in card.find("C43").rationale and card.find("C43").lost == 0


def test_no_invented_targets_and_no_payment_the_source_does_not_state(case):
    targets = {t.name: t.target for t in case.project.targets}
    assert targets["建成验收时间"] == targets["部门间数据共享衔接"] == "未设定"
    assert case.ledger.funds(2018).paid is None  # the source says 应支付
    terms = case.ledger.payment_terms
    assert (terms.payee, terms.advance_item, terms.settlement_item) == ("中国电信", "建设费", "服务费")
    assert [o.name for o in case.system.omitted] == ["产出成本"]
    assert "公众评判法" not in case.evaluation.methods


def test_every_ledger_warning_has_the_evaluators_decision(case):
    assert unresolved(case.ledger, case.evaluation.ledger_decisions) == []
    line = next(x for x in case.decided_ledger.spend_lines if x.category == "空调维修费")
    assert (line.amount, line.unit, line.written) == (D("8.4"), "万元", "8.4元")
    assert case.decided_ledger.line_total(2018) == D("1905.2")


def test_the_two_problems_and_two_recommendations_are_the_reports(case):
    assert [f.title for f in case.evaluation.findings] == ["该项目后期维护与管理有待加强", "专业技术人才不足"]
    assert [r.title for r in case.evaluation.recommendations] == [
        "加强项目后期维护与管理",
        "引进必要的专业技术人才",
    ]


@pytest.mark.skipif(not SEED.exists(), reason="the seed report is not on this machine")
def test_every_quoted_source_sentence_is_in_the_seed_report(case):
    seed = "".join(SEED.read_text(encoding="utf-8").split())
    for code, entry in case.evaluation.scores.items():
        for d in entry.deductions:
            for quote in _quotes(d.source):
                assert "".join(quote.split()) in seed, f"{code}: {quote}"


def _quotes(text: str) -> list[str]:
    out, rest = [], text
    while "“" in rest and "”" in rest:
        start = rest.index("“") + 1
        end = rest.index("”", start)
        out.extend(part for part in rest[start:end].split("……") if part)
        rest = rest[end + 1 :]
    return out


def test_ledger_figures_match_the_report(case):
    led = case.ledger
    assert (led.total_investment, led.plan_total(), len(led.plan)) == (D(14680), D(14680), 8)
    assert {p.amount for p in led.plan} == {D(1835)}
    assert led.spend(2018) == D("1905.2") and led.funds(2018).arranged == D(1905)
    assert [c.code for c in led.checks()] == ["unit_slip", "over_arranged", "unplanned"]


def test_score_command_prints_the_table_total_grade_and_ledger_checks(yiyang_dir):
    result = CliRunner().invoke(app, ["score", str(yiyang_dir)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "总分 83.00 / 100.00    等级：良好" in out
    assert "项目决策：分值 20.00，得分 16.00，得分率 80.00%" in out
    assert "B25" in out and "未明确专门人员进行跟踪、监督和管理" in out
    assert "空调维修费" in out and "疑为单位笔误" in out


def test_payment_command_splits_the_year_by_the_contract_terms(yiyang_dir):
    result = CliRunner().invoke(app, ["payment", str(yiyang_dir), "--year", "2019", "--om-score", "92"])
    assert result.exit_code == 0, result.output
    assert "年初预付（50.00%）：917.50" in result.output
    assert "全年应付合计：1,835.00" in result.output


def test_payment_command_with_text_for_a_score_says_so(yiyang_dir):
    result = CliRunner().invoke(app, ["payment", str(yiyang_dir), "--year", "2019", "--om-score", "优"])
    assert result.exit_code == 1
    assert "运维考评得分应为数字，填写的是“优”" in result.output


def test_whole_case_folder_validates_with_only_the_ledger_warnings(yiyang_dir):
    problems = validate_path(yiyang_dir)
    assert [p.severity for p in problems] == ["warning"] * 3


@pytest.fixture
def case_copy(tmp_path, yiyang_dir):
    target = tmp_path / "case"
    shutil.copytree(yiyang_dir, target)
    return target


def test_negative_money_in_the_ledger_names_file_line_and_field(case_copy):
    path = case_copy / "ledger.yaml"
    path.write_text(path.read_text("utf-8").replace("amount: 38,", "amount: -38,"), "utf-8")
    with pytest.raises(InvalidInput) as err:
        load_case(case_copy)
    (line,) = err.value.messages
    assert "ledger.yaml" in line and "第 26 行" in line and "字段「金额」" in line and "不能为负数" in line


def test_a_score_above_its_weight_is_named_in_the_evaluation_file(case_copy):
    path = case_copy / "evaluation.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "        points: 3\n        source: 六、（一）", "        points: 5\n        source: 六、（一）"
        ),
        "utf-8",
    )
    problems = validate_path(path)
    assert len(problems) == 1
    assert "指标 B25" in str(problems[0]) and "扣分合计 5.00 分超过该指标分值 4.00 分" in str(problems[0])


def test_score_command_on_a_broken_case_prints_chinese_not_a_traceback(case_copy):
    (case_copy / "evaluation.yaml").write_text("id: [unclosed\n", "utf-8")
    result = CliRunner().invoke(app, ["score", str(case_copy)])
    assert result.exit_code == 1
    assert "YAML 格式错误" in result.output
    assert "Traceback" not in result.output
