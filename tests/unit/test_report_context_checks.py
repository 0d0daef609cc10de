"""Report checks on the narrative: figures agree with the ledger, the scorecard and the unit's facts."""

from dataclasses import replace

import pytest

from workbench.caching import IdentityLru
from workbench.domain.checks import narrative_checks, report_checks
from workbench.formats.cases import load_case


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def with_project(case, **update):
    return replace(case, project=case.project.model_copy(update=update))


def with_finding_text(case, text):
    finding = case.evaluation.findings[0].model_copy(update={"text": text})
    findings = [finding, *case.evaluation.findings[1:]]
    return replace(case, evaluation=case.evaluation.model_copy(update={"findings": findings}))


def problems(case):
    return narrative_checks(case, case.scorecard())


def test_the_yiyang_narrative_agrees_with_its_ledger_and_scores(case):
    assert problems(case) == []
    (found,) = report_checks(case, case.scorecard())  # the ledger's three warnings are decided
    assert found.severity == "warning" and "10 分未在“存在的问题”中说明" in found.message


def test_a_mistyped_total_investment_in_the_narrative_stops_the_report(case):
    other = with_project(case, background="该项目总投资14,860万元，用于建设智慧大脑。")
    (problem,) = problems(other)
    assert problem.is_error
    assert "14,860万元" in problem.message and "14,680.00 万元" in problem.message
    assert problem.place == "立项背景"


def test_arranged_funds_in_the_narrative_must_be_that_years_arranged_figure(case):
    other = with_project(case, background="2018年已安排项目资金1905.2万元。")
    (problem,) = problems(other)
    assert problem.is_error and "安排资金" in problem.message and "1,905.00 万元" in problem.message


def test_an_amount_the_ledger_does_not_know_is_a_warning_to_check(case):
    other = with_project(case, background="项目带动社会资金投入300万元。")
    (problem,) = problems(other)
    assert problem.severity == "warning" and "300万元" in problem.message


def test_approximate_amounts_are_not_checked(case):
    assert problems(with_project(case, background="每年节约运维费用约50万元。")) == []


def test_the_corrected_figure_agrees_with_the_decided_ledger(case):
    other = with_project(case, funds_management="其中空调维修费8.4万元，资料打印及其他费3万元。")
    assert problems(other) == []


def test_the_figure_as_the_source_wrote_it_is_a_warning_once_corrected(case):
    other = with_project(case, funds_management="其中空调维修费8.4元。")
    (problem,) = problems(other)
    assert problem.severity == "warning" and "8.4元" in problem.message


def test_an_anchored_amount_the_ledger_does_not_record_is_a_warning_not_an_error(case):
    (problem,) = problems(with_finding_text(case, "项目单位已支付启动资金748,500元。"))
    assert (
        problem.severity == "warning" and "748,500元" in problem.message and "台账未记录" in problem.message
    )


def test_a_copy_rescored_to_85_with_the_old_note_stops_naming_the_field(case):
    scores = dict(case.evaluation.scores)
    scores["C51"] = scores["C51"].model_copy(update={"deductions": [], "inputs": {}})
    evaluation = case.evaluation.model_copy(update={"scores": scores})
    other = replace(case, evaluation=evaluation)
    assert other.scorecard().total == 86
    found = [p for p in problems(other) if p.is_error]
    assert [(p.place, p.field) for p in found] == [("评分表重构说明", "reconstructed")]
    assert "83" in found[0].message and "86.00" in found[0].message


def test_a_stated_total_score_must_be_the_scorecards(case):
    (problem,) = problems(with_finding_text(case, "该项目综合得分82分，扣分主要在后期维护。"))
    assert problem.is_error and "83.00" in problem.message and problem.place.startswith("问题 F1")
    assert problems(with_finding_text(case, "该项目实得83分。")) == []
    assert problems(with_finding_text(case, "该项目总分为83.00分。")) == []


def test_a_grade_named_beside_the_total_must_be_the_scorecards(case):
    (problem,) = problems(with_finding_text(case, "总分与等级（83 分，优秀）与原报告一致。"))
    assert problem.is_error and "“优秀”" in problem.message
    assert problems(with_finding_text(case, "等级划分为优秀[90，100]；良好[80，90)。")) == []


def test_a_grade_word_counts_only_in_its_own_sentence(case):
    assert problems(with_finding_text(case, "服务质量优秀；总分 83 分，等级良好。")) == []
    (problem,) = problems(with_finding_text(case, "服务质量良好。总分 83 分，等级优秀；下年继续。"))
    assert "“优秀”" in problem.message


def test_a_stated_grade_must_be_the_scorecards(case):
    (problem,) = problems(with_finding_text(case, "该项目被评为“优秀”等级。"))
    assert problem.is_error and "“优秀”" in problem.message and "“良好”" in problem.message
    assert problems(with_finding_text(case, "该项目被评为“良好”等级。")) == []


def test_staffing_figures_must_match_the_unit(case):
    unit = case.project.unit.model_copy(update={"description": "现有人员编制13名，实有人数12人。"})
    (problem,) = problems(with_project(case, unit=unit))
    assert problem.is_error and "实有人数12人" in problem.message and "13" in problem.message


def test_the_evaluator_calling_itself_two_names_is_warned(case):
    evaluation = case.evaluation.model_copy(update={"process_intro": "我公司按照下列步骤开展评价："})
    (problem,) = problems(replace(case, evaluation=evaluation))
    assert problem.severity == "warning"
    assert "我公司" in problem.message and "我单位" in problem.message and problem.place == "评价过程"


def test_a_title_carrying_its_own_number_is_warned(case):
    first = case.project.implementation[0].model_copy(update={"title": "（1）明确工作职责"})
    other = with_project(case, implementation=[first, *case.project.implementation[1:]])
    (problem,) = problems(other)
    assert problem.severity == "warning" and "（1）" in problem.message
    assert problem.place == "项目实施情况第 1 项"


def test_passages_remembered_between_checks_give_the_same_findings_and_an_edited_one_is_read_again(case):
    memo = IdentityLru(8192)
    wrong = with_finding_text(case, "该项目总投资14,860万元。")
    first = narrative_checks(wrong, wrong.scorecard(), memo)
    assert first == problems(wrong) and any(p.is_error for p in first) and len(memo) > 0
    assert narrative_checks(wrong, wrong.scorecard(), memo) == first  # from the memo
    # the same parts with the finding corrected (a new text): its error is gone, the rest stays
    fixed = with_finding_text(wrong, "该项目总投资14,680万元。")
    fixed = replace(
        fixed, evaluation=fixed.evaluation.model_copy(update={"evaluator": wrong.evaluation.evaluator})
    )
    assert narrative_checks(fixed, fixed.scorecard(), memo) == problems(fixed) == []
