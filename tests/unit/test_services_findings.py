"""Findings and recommendations through the services: links checked, order kept, no overwrite."""

import pytest
from service_fakes import COLLEAGUE, EVALUATOR, FULL, stocked_uow

from workbench.errors import Conflict, InvalidInput, NotFound
from workbench.services import evaluations, findings

F1 = {"id": "F1", "title": "运维外包给建设方", "indicators": ["A1"]}
F2 = {"id": "F2", "title": "技术人员不足", "indicators": ["B1"]}
R1 = {"id": "R1", "title": "加强运维管理", "findings": ["F1"]}


def scored(**extra):
    return stocked_uow({**FULL, "A1": {"deductions": [{"reason": "外包", "points": 2}]}}, **extra)


def ids(uow, kind):
    return [i.id for i in getattr(evaluations.get_case(uow, EVALUATOR, "e").case.evaluation, kind)]


def test_finding_linked_to_an_indicator_the_system_lacks_is_refused_naming_the_code():
    uow = scored()
    with pytest.raises(
        InvalidInput, match="问题 F1（运维外包给建设方），字段「关联指标」：关联的指标 Z9 在指标体系"
    ):
        findings.add_finding(uow, EVALUATOR, "e", {**F1, "indicators": ["A1", "Z9"]})
    assert ids(uow, "findings") == []


def test_a_level_one_indicator_is_a_valid_link():
    uow = scored()
    findings.add_finding(uow, EVALUATOR, "e", {**F1, "indicators": ["A"]})
    assert ids(uow, "findings") == ["F1"]


def test_new_finding_without_an_id_gets_the_next_free_number_and_goes_last():
    uow = scored(findings=[F1])
    findings.add_finding(uow, EVALUATOR, "e", {"title": "满意度未调查", "indicators": []})
    assert ids(uow, "findings") == ["F1", "F2"]


def test_a_second_finding_with_the_same_number_is_refused():
    uow = scored(findings=[F1])
    with pytest.raises(InvalidInput, match="问题编号“F1”已存在"):
        findings.add_finding(uow, EVALUATOR, "e", {**F1, "title": "另一个问题"})


def test_recommendation_must_answer_findings_that_exist():
    uow = scored(findings=[F1])
    with pytest.raises(InvalidInput, match="建议 R1（加强运维管理），字段「关联问题」：关联的问题 F7 不存在"):
        findings.add_recommendation(uow, EVALUATOR, "e", {**R1, "findings": ["F1", "F7"]})
    findings.add_recommendation(uow, EVALUATOR, "e", R1)
    assert ids(uow, "recommendations") == ["R1"]


def test_finding_still_answered_by_a_recommendation_cannot_be_deleted_until_unlinked():
    uow = scored(findings=[F1, F2], recommendations=[R1])
    with pytest.raises(InvalidInput, match="问题“F1”仍被建议 R1 引用"):
        findings.delete_finding(uow, EVALUATOR, "e", "F1", 1)

    findings.update_recommendation(uow, EVALUATOR, "e", {**R1, "findings": ["F2"]}, 1)
    findings.delete_finding(uow, EVALUATOR, "e", "F1", 1)

    assert ids(uow, "findings") == ["F2"]


def test_moving_a_finding_to_the_top_and_past_the_end():
    uow = scored(findings=[F1, F2, {"id": "F3", "title": "第三个"}])
    findings.move_finding(uow, EVALUATOR, "e", "F3", 0)
    assert ids(uow, "findings") == ["F3", "F1", "F2"]
    findings.move_finding(uow, EVALUATOR, "e", "F3", 99)
    assert ids(uow, "findings") == ["F1", "F2", "F3"]


def test_moving_does_not_make_someone_elses_edit_conflict():
    uow = scored(findings=[F1, F2])
    findings.move_finding(uow, COLLEAGUE, "e", "F2", 0)
    findings.update_finding(uow, EVALUATOR, "e", {**F1, "text": "补充说明"}, 1)
    assert ids(uow, "findings") == ["F2", "F1"]


def test_editing_a_finding_someone_changed_meanwhile_conflicts():
    uow = scored(findings=[F1])
    findings.update_finding(uow, COLLEAGUE, "e", {**F1, "title": "运维外包，无专人跟踪"}, 1)
    with pytest.raises(Conflict, match="问题“F1”已被 li"):
        findings.update_finding(uow, EVALUATOR, "e", {**F1, "text": "旧页面上的修改"}, 1)


def test_a_finding_number_cannot_be_changed_by_an_edit():
    uow = scored(findings=[F1])
    with pytest.raises(NotFound, match="找不到问题“F9”（编号不能修改"):
        findings.update_finding(uow, EVALUATOR, "e", {**F1, "id": "F9"}, 0)


def test_deleting_a_finding_someone_already_deleted_says_so():
    uow = scored(findings=[F1])
    findings.delete_finding(uow, COLLEAGUE, "e", "F1", 1)
    with pytest.raises(Conflict, match="问题“F1”已被其他人删除"):
        findings.delete_finding(uow, EVALUATOR, "e", "F1", 1)
