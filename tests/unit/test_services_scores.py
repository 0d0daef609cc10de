"""Scoring through the services, on a hand-written in-memory unit of work."""

from decimal import Decimal as D

import pytest
from factories import deduction, evaluation
from service_fakes import COLLEAGUE, EVALUATOR, FULL, stocked_uow

from workbench.errors import Conflict, InvalidInput, NotFound
from workbench.services import evaluations as svc
from workbench.services import review


def test_saving_a_deduction_lowers_the_total_and_records_who_saved_it():
    uow = stocked_uow(FULL)
    opened = svc.get_case(uow, EVALUATOR, "e")
    assert opened.scorecard.total == D("100.00")

    stamp = svc.save_score(
        uow, EVALUATOR, "e", "A1", {"deductions": [deduction(3)]}, opened.versions.of_score("A1")
    )

    reopened = svc.get_case(uow, EVALUATOR, "e")
    assert reopened.scorecard.total == D("97.00")
    assert reopened.versions.scores["A1"] == stamp
    assert (stamp.version, stamp.updated_by) == (2, "zhang")


def test_second_evaluator_saving_the_same_indicator_from_an_old_page_gets_a_conflict():
    uow = stocked_uow(FULL)
    seen_by_li = svc.get_case(uow, COLLEAGUE, "e").versions.of_score("A1")
    svc.save_score(uow, EVALUATOR, "e", "A1", {"deductions": [deduction(3)]}, seen_by_li)

    with pytest.raises(Conflict) as err:
        svc.save_score(uow, COLLEAGUE, "e", "A1", {"deductions": [deduction(5)]}, seen_by_li)

    assert "指标 A1 的评分已被 zhang 于" in str(err.value)
    assert "当前为第 2 版，您看到的是第 1 版" in str(err.value)
    assert svc.scorecard(uow, EVALUATOR, "e").total == D("97.00")  # zhang's save stands


def test_deduction_larger_than_the_weight_is_refused_in_chinese_and_nothing_is_saved():
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput) as err:
        svc.save_score(uow, EVALUATOR, "e", "A1", {"deductions": [deduction(11)]}, 1)
    assert "指标 A1" in str(err.value) and "超过该指标分值" in str(err.value)
    assert uow.commits == 0
    assert svc.get_case(uow, EVALUATOR, "e").versions.of_score("A1") == 1


def test_a_form_value_of_the_wrong_type_names_the_field():
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput, match="指标 A1，字段「扣分事项」：应为列表"):
        svc.save_score(uow, EVALUATOR, "e", "A1", {"deductions": "扣了很多"}, 1)


@pytest.mark.parametrize("code", ["Z9", "A"])
def test_a_score_for_something_that_is_not_a_leaf_of_the_system_is_refused(code):
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput, match=f"指标 {code}：指标体系中没有这个末级指标"):
        svc.save_score(uow, EVALUATOR, "e", code, {}, 0)


def test_first_score_of_an_indicator_uses_version_zero_and_a_second_first_score_conflicts():
    uow = stocked_uow({"A1": {}})
    assert svc.get_case(uow, EVALUATOR, "e").versions.of_score("C1") == 0

    svc.save_score(uow, EVALUATOR, "e", "C1", {"inputs": {"tier": "达成"}}, 0)

    with pytest.raises(Conflict, match=r"指标 C1 的评分已被 zhang 于 .* 录入"):
        svc.save_score(uow, COLLEAGUE, "e", "C1", {"inputs": {"tier": "未达成"}}, 0)
    assert svc.scorecard(uow, EVALUATOR, "e").find("C1").score == D("50.00")


def test_clearing_a_score_shows_the_indicator_as_unscored_again():
    uow = stocked_uow(FULL)
    svc.clear_score(uow, EVALUATOR, "e", "B1", 1)
    card = svc.scorecard(uow, EVALUATOR, "e")
    assert card.find("B1").status == "pending"
    assert card.complete is False


def test_unknown_status_is_refused_with_the_choices_and_a_known_one_is_recorded():
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput, match="状态“完成”无效，可选：草稿、已提交"):
        review.move_to(uow, EVALUATOR, "e", "完成", 1)

    stamp = review.move_to(uow, EVALUATOR, "e", "已提交", 1)

    opened = svc.get_case(uow, EVALUATOR, "e")
    assert opened.case.evaluation.status == "已提交"
    assert opened.versions.evaluation == stamp
    assert opened.scorecard.total == D("100.00")  # the header save kept the scores


def test_status_change_from_an_old_page_conflicts():
    uow = stocked_uow(FULL)
    review.move_to(uow, EVALUATOR, "e", "已提交", 1)
    with pytest.raises(Conflict, match="评价记录已被 zhang"):
        review.move_to(uow, COLLEAGUE, "e", "草稿", 1)


def test_header_update_cannot_switch_the_indicator_system():
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput, match="不能在此修改：system"):
        svc.update_header(uow, EVALUATOR, "e", {"system": "other"}, 1)
    svc.update_header(uow, EVALUATOR, "e", {"title": "2024年度测试项目绩效评价报告"}, 1)
    assert svc.get_case(uow, EVALUATOR, "e").case.evaluation.title == "2024年度测试项目绩效评价报告"


def test_list_shows_total_and_grade_newest_year_first():
    uow = stocked_uow(FULL)
    with uow:
        uow.evaluations.add(
            evaluation({"A1": {}}).model_copy(update={"id": "e2025", "year": 2025}), EVALUATOR
        )
        uow.commit()

    rows = svc.list_evaluations(uow, EVALUATOR)

    assert [(r.id, r.year, r.project_name, r.complete) for r in rows] == [
        ("e2025", 2025, "测试项目", False),
        ("e", 2024, "测试项目", True),
    ]
    assert (rows[1].total, rows[1].grade) == (D("100.00"), "优")


def test_opening_a_missing_evaluation_says_so_in_chinese():
    with pytest.raises(NotFound, match="找不到评价记录“nope”"):
        svc.get_case(stocked_uow(FULL), EVALUATOR, "nope")
