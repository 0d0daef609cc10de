"""Two evaluators at once: nobody's save silently overwrites another's (SQLite and PostgreSQL)."""

from decimal import Decimal as D

import pytest
from actors import SECADMIN

from workbench.domain.evaluation import IndicatorScore
from workbench.errors import Conflict
from workbench.services import admin, evaluations, stored_totals
from workbench.services.actors import Actor

YIYANG = "yiyang-smart-brain-2018-eval"
ZHANG = Actor("zhang", "张评价", "评价人员")
LI = Actor("li", "李评价", "评价人员")


def deduction(points, reason):
    return {"deductions": [{"reason": reason, "points": points}]}


def test_second_evaluator_saving_the_same_indicator_gets_a_conflict_not_an_overwrite(editable_db):
    zhang_page = evaluations.get_case(editable_db.uow(), ZHANG, YIYANG)
    li_page = evaluations.get_case(editable_db.uow(), LI, YIYANG)

    evaluations.save_score(editable_db.uow(), ZHANG, YIYANG, "B21", deduction(1, "张：人员不足"), 1)
    with pytest.raises(Conflict) as err:
        evaluations.save_score(
            editable_db.uow(),
            LI,
            YIYANG,
            "B21",
            deduction(3, "李：人员不足"),
            li_page.versions.of_score("B21"),
        )

    assert "指标 B21 的评分已被 zhang 于" in str(err.value)
    now = evaluations.get_case(editable_db.uow(), ZHANG, YIYANG)
    assert now.case.evaluation.scores["B21"].deductions[0].reason == "张：人员不足"
    assert now.scorecard.total == zhang_page.scorecard.total + 1 == D("84.00")


def test_a_save_that_races_past_the_version_check_is_still_refused(editable_db):
    li_entry = evaluations.get_case(editable_db.uow(), LI, YIYANG).case.evaluation.scores["B21"]
    with editable_db.uow() as slow:
        seen = slow.evaluations.get(YIYANG).versions.of_score("B21")
        # ...while this unit of work is open, someone else saves and commits the same indicator
        evaluations.save_score(editable_db.uow(), ZHANG, YIYANG, "B21", deduction(1, "张：人员不足"), seen)
        with pytest.raises(Conflict, match="指标 B21 的评分刚被其他人修改"):
            slow.evaluations.save_score(YIYANG, "B21", li_entry, seen, LI)

    scores = evaluations.get_case(editable_db.uow(), LI, YIYANG).case.evaluation.scores
    assert scores["B21"].deductions[0].reason == "张：人员不足"


def test_a_save_racing_past_someone_elses_save_of_another_indicator_keeps_both_and_true_totals(editable_db):
    li_entry = IndicatorScore.model_validate(deduction(1, "李"))
    with editable_db.uow() as slow:
        seen = slow.evaluations.get(YIYANG).versions.of_score("A22")
        # ...while this unit of work is open, someone else saves another indicator (a new etag)
        evaluations.save_score(editable_db.uow(), ZHANG, YIYANG, "B21", deduction(1, "张"), 1)
        slow.evaluations.save_score(YIYANG, "A22", li_entry, seen, LI)
        slow.commit()

    now = evaluations.get_case(editable_db.uow(), ZHANG, YIYANG)
    assert now.versions.scores["B21"].updated_by == "zhang" and now.versions.scores["A22"].updated_by == "li"
    assert now.scorecard.total == D("85.00")
    assert stored_totals.check_totals(editable_db.uow()) == []  # the stored totals count both saves


def test_two_first_scores_racing_on_an_unscored_indicator_keep_only_the_first(editable_db):
    evaluations.clear_score(editable_db.uow(), ZHANG, YIYANG, "B21", 1)
    with editable_db.uow() as slow:
        assert slow.evaluations.get(YIYANG).versions.of_score("B21") == 0
        evaluations.save_score(editable_db.uow(), ZHANG, YIYANG, "B21", deduction(1, "张"), 0)
        li_entry = IndicatorScore.model_validate(deduction(3, "李"))
        with pytest.raises(Conflict, match="指标 B21 的评分刚被其他人修改"):
            slow.evaluations.save_score(YIYANG, "B21", li_entry, 0, LI)

    assert evaluations.scorecard(editable_db.uow(), ZHANG, YIYANG).find("B21").lost == D("1.00")


def test_two_evaluators_saving_different_indicators_both_keep_their_work(editable_db):
    page = evaluations.get_case(editable_db.uow(), ZHANG, YIYANG).versions

    evaluations.save_score(editable_db.uow(), ZHANG, YIYANG, "B21", deduction(1, "张"), page.of_score("B21"))
    evaluations.save_score(editable_db.uow(), LI, YIYANG, "A22", deduction(1, "李"), page.of_score("A22"))

    now = evaluations.get_case(editable_db.uow(), ZHANG, YIYANG)
    assert now.versions.scores["B21"].updated_by == "zhang"
    assert now.versions.scores["A22"].updated_by == "li"
    assert now.scorecard.total == D("85.00")


def test_a_role_changed_by_someone_else_meanwhile_is_neither_overwritten_nor_deleted(seeded_db):
    with seeded_db.uow() as slow:
        seen = slow.roles.with_versions()
        expert, version = seen.table.role("专家"), seen.versions["专家"]
        # ...while this unit of work is open, another security administrator changes the role
        admin.save_role(
            seeded_db.uow(), SECADMIN, {"name": "专家", "permissions": ["evaluation.view"]}, version
        )
        with pytest.raises(Conflict, match="角色“专家”刚被其他人修改"):
            slow.roles.save(expert, 0, version, SECADMIN)
        with pytest.raises(Conflict, match="角色“专家”刚被其他人修改"):
            slow.roles.delete("专家", version)
        with pytest.raises(Conflict, match="角色“专家”刚被其他人修改"):
            slow.roles.save(expert, 0, 0, SECADMIN)  # added as new, but it exists

    kept = admin.role_table(seeded_db.uow(), SECADMIN).table.role("专家")
    assert kept is not None and kept.permissions == ["evaluation.view"]


def test_security_settings_changed_by_someone_else_meanwhile_are_not_overwritten(seeded_db):
    with seeded_db.uow() as slow:
        seen = slow.settings.get()
        admin.save_security_settings(seeded_db.uow(), SECADMIN, {"min_length": 12}, seen.version)
        with pytest.raises(Conflict, match="安全设置刚被其他人修改"):
            slow.settings.save(seen.policy, seen.version, SECADMIN)
        with pytest.raises(Conflict, match="安全设置刚被其他人修改"):
            slow.settings.save(seen.policy, 0, SECADMIN)  # saved as the first settings, but they exist

    assert admin.security_settings(seeded_db.uow(), SECADMIN).policy.min_length == 12
