"""What a 复核 reviewer checks before signing: 落款, ledger decisions, what findings cost,
unexplained points, 重复扣分, deductions against their own 评分标准, the quality self-check."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from workbench.domain.quality import quality_items
from workbench.domain.review_checks import (
    criteria_problems,
    duplicate_problems,
    finalize_problems,
    shared_indicator_problems,
    signature_problems,
)
from workbench.domain.rules import Deduction
from workbench.formats.cases import load_case


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def with_evaluation(case, **update):
    return replace(case, evaluation=case.evaluation.model_copy(update=update))


def with_deductions(case, code, *deductions):
    scores = dict(case.evaluation.scores)
    scores[code] = scores[code].model_copy(update={"deductions": list(deductions)})
    return with_evaluation(case, scores=scores)


def test_a_missing_signature_is_a_warning_and_blocks_finalising(case):
    evaluator = case.evaluation.evaluator.model_copy(update={"unnamed": "", "organization": "某评价公司"})
    other = with_evaluation(case, evaluator=evaluator, written="")
    (problem,) = signature_problems(other)
    assert (
        problem.severity == "warning"
        and "报告日期" in problem.message
        and "评价机构名称" not in problem.message
    )
    assert finalize_problems(other) == [problem]


def test_a_source_that_names_no_one_needs_no_signature(case):
    assert signature_problems(case) == [] and finalize_problems(case) == []


def test_an_undecided_ledger_warning_blocks_finalising(case):
    rest = case.evaluation.ledger_decisions[1:]
    (problem,) = finalize_problems(with_evaluation(case, ledger_decisions=rest))
    assert (
        problem.severity == "warning"
        and "空调维修费" in problem.message
        and "定稿前必须处理" in problem.message
    )


def test_the_old_c43_attributed_to_both_problems_is_flagged(case):
    f1, f2 = case.evaluation.findings
    findings = [
        f1.model_copy(update={"indicators": ["B25", "C51"]}),
        f2.model_copy(update={"indicators": ["C51"]}),
    ]
    other = with_evaluation(case, findings=findings)
    (problem,) = shared_indicator_problems(other, other.scorecard())
    assert "服务对象满意度" in problem.message and "同时归入" in problem.message


def test_one_fact_deducted_under_two_indicators_is_flagged_as_possible_double_deduction(case):
    again = Deduction(reason="运维依赖施工方，人员保障不足。", points=D(1), source="六、（一）（二）")
    other = with_deductions(case, "C43", again)
    found = duplicate_problems(other.scorecard())
    assert {p.place for p in found} == {"指标 B21、C43", "指标 B25、C43"}
    assert all("可能重复扣分" in p.message for p in found)


def test_deducting_one_point_for_three_missing_kinds_of_rule_contradicts_the_criterion(case):
    old = Deduction(
        reason="后期维护仅制定了考评制度，项目维护、使用、管理等制度尚不健全。",
        points=D(1),
        source="七、（一）",
    )
    (problem,) = criteria_problems(with_deductions(case, "B22", old).scorecard())
    assert "涉及 3 类制度" in problem.message and "应扣 3 分，实扣 1 分" in problem.message


def test_the_quality_self_check_passes_yiyang_and_names_what_fails(case):
    card = case.scorecard()
    items = quality_items(case, card, [])
    assert all(item.passed for item in items)
    assert items[0].where == "原报告未具名，未留存落款单位和日期，报告不印落款"
    evaluator = case.evaluation.evaluator.model_copy(update={"unnamed": ""})
    items = {
        i.name: i for i in quality_items(with_evaluation(case, evaluator=evaluator, findings=[]), card, [])
    }
    assert not items["落款齐全"].passed and "落款" in items["落款齐全"].where
    assert not items["必备章节齐全"].passed and items["必备章节齐全"].where == "存在的问题"
