"""待办 on a real SQLite file: what each role finds waiting, with the reason, the evaluation and the
page to open; the project scope and the panel's names decide who sees what."""

from __future__ import annotations

from pathlib import Path

import pytest
from actors import (
    BY_ROLE,
    CLI,
    EVALUATOR,
    EXPERT,
    LEADER,
    REVIEWER,
    SYSADMIN,
    UNIT,
    YIYANG,
    add_accounts,
    reopen,
)
from review_helpers import EXPERT_B, expert_scores, name_panel, submit_sheet, submitted_selfeval

from workbench.bootstrap import ensure_database
from workbench.errors import Forbidden
from workbench.services import cases, evaluations, review, selfeval, stored_reports, worklist
from workbench.storage.uow import Database

OTHER = "other-eval"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database, every role's account, the Yiyang case reopened (a 重新打开 with its
    reason) and a second project's evaluation the Yiyang unit may not reach."""
    folder = tmp_path_factory.mktemp("worklist")
    db = ensure_database(f"sqlite:///{folder / 'workbench.db'}")
    add_accounts(db, *(a for a in BY_ROLE.values() if a.role != "系统"), EXPERT_B)
    reopen(db, reason="需补充人员配备佐证")
    other = {"id": "other-project", "name": "河道整治项目", "year": 2024, "unit": {"name": "市水利局"}}
    cases.new_evaluation(db.uow(), CLI, other, "yiyang-2018", "excellent-good", evaluation_id=OTHER)
    db.dispose()
    return folder


def items(db: Database, actor, evaluation_id: str = YIYANG) -> list[worklist.TodoItem]:
    return [i for i in worklist.todo(db.uow(), actor) if i.evaluation_id == evaluation_id]


def kinds(db: Database, actor, evaluation_id: str = YIYANG) -> list[str]:
    return [i.kind for i in items(db, actor, evaluation_id)]


def version(db: Database, evaluation_id: str = YIYANG) -> int:
    return evaluations.get_case(db.uow(), EVALUATOR, evaluation_id).versions.evaluation.version


def test_a_reopened_evaluation_waits_for_the_evaluator_with_who_reopened_it_and_why(fresh):
    (item,) = items(fresh, EVALUATOR)

    assert (item.kind, item.page, item.action) == ("重新打开", "scoring", "去修改评分")
    assert item.evaluation == "2018年度益阳智慧大脑+政务服务项目资金绩效评价报告"  # named once, year and all
    assert "wang（复核人）" in item.detail and "理由：需补充人员配备佐证" in item.detail


def test_a_submitted_evaluation_waits_for_the_reviewer_and_a_returned_one_goes_back_with_the_reason(fresh):
    review.advance(fresh.uow(), EVALUATOR, YIYANG, "workflow.submit")

    (waiting,) = items(fresh, REVIEWER)
    assert (waiting.kind, waiting.page) == ("待复核", "scoring")
    assert "zhang（评价人员）" in waiting.detail
    assert items(fresh, EVALUATOR) == []  # nothing for the evaluator while it is under review

    review.advance(fresh.uow(), REVIEWER, YIYANG, "workflow.return", reason="B21 扣分缺少依据")

    (returned,) = items(fresh, EVALUATOR)
    assert returned.kind == "退回修改" and "理由：B21 扣分缺少依据" in returned.detail
    assert items(fresh, REVIEWER) == []


def test_a_reviewed_evaluation_waits_for_finalising_on_the_report_page(fresh):
    review.advance(fresh.uow(), EVALUATOR, YIYANG, "workflow.submit")
    review.advance(fresh.uow(), REVIEWER, YIYANG, "workflow.review")

    (item,) = items(fresh, REVIEWER)

    assert (item.kind, item.page, item.action) == ("待定稿", "report", "去定稿")


def test_the_unit_sees_its_own_self_evaluation_to_submit_and_never_another_units_project(fresh):
    (item,) = items(fresh, UNIT)

    assert (item.kind, item.page) == ("自评表待提交", "selfeval")
    assert "尚未填报" in item.detail
    assert all(i.evaluation_id != OTHER for i in worklist.todo(fresh.uow(), UNIT))
    assert "自评表待提交" not in kinds(fresh, EVALUATOR, OTHER)  # the unit's work, not the evaluator's


def test_a_submitted_self_evaluation_waits_for_the_evaluator_and_a_returned_one_for_the_unit(fresh):
    submitted_selfeval(fresh)

    assert items(fresh, UNIT) == []
    found = next(i for i in items(fresh, EVALUATOR) if i.kind == "自评表已提交")
    assert found.page == "selfeval" and "项自评虚高待填写核对说明" in found.detail

    shown = selfeval.get_selfeval(fresh.uow(), EVALUATOR, YIYANG)
    selfeval.return_selfeval(fresh.uow(), EVALUATOR, YIYANG, shown.version, "预算执行数与台账不符")

    (back,) = items(fresh, UNIT)
    assert back.kind == "自评表被退回" and "理由：预算执行数与台账不符" in back.detail
    assert "自评表已提交" not in kinds(fresh, EVALUATOR)


def test_a_panel_waits_only_for_the_experts_it_names_until_they_submit(fresh):
    name_panel(fresh, [EXPERT])

    (item,) = items(fresh, EXPERT)
    assert (item.kind, item.page) == ("待专家评分", "panel") and "尚未评分" in item.detail
    assert items(fresh, EXPERT_B) == []  # an expert not on the panel has nothing to do here

    submit_sheet(fresh, EXPERT, expert_scores(fresh, EXPERT))

    assert items(fresh, EXPERT) == []


def test_a_report_generated_before_a_score_changed_is_listed_until_it_is_generated_again(fresh):
    stored_reports.report(fresh.uow(), EVALUATOR, YIYANG, charts=False)
    assert "报告须重新生成" not in kinds(fresh, EVALUATOR)

    before = evaluations.get_case(fresh.uow(), EVALUATOR, YIYANG)
    original = before.case.evaluation.scores["B21"]
    saved = evaluations.save_score(
        fresh.uow(), EVALUATOR, YIYANG, "B21", {"deductions": []}, before.versions.of_score("B21")
    )

    stale = next(i for i in items(fresh, EVALUATOR) if i.kind == "报告须重新生成")
    assert stale.page == "report" and "之后评分又有 1 处修改" in stale.detail
    assert "报告须重新生成" not in kinds(fresh, LEADER)  # the leader did not generate that report

    evaluations.save_score(fresh.uow(), EVALUATOR, YIYANG, "B21", original, saved.version)
    stored_reports.report(fresh.uow(), EVALUATOR, YIYANG, charts=False)
    assert "报告须重新生成" not in kinds(fresh, EVALUATOR)


def test_the_leader_lands_on_todo_only_when_something_waits_while_working_roles_always_do(fresh):
    assert not worklist.lands_on_todo(fresh.uow(), LEADER)
    assert all(worklist.lands_on_todo(fresh.uow(), a) for a in (EVALUATOR, REVIEWER, EXPERT, UNIT))
    assert not worklist.lands_on_todo(fresh.uow(), SYSADMIN)

    stored_reports.report(fresh.uow(), LEADER, YIYANG, charts=False)
    scores = evaluations.get_case(fresh.uow(), EVALUATOR, YIYANG).versions
    evaluations.clear_score(fresh.uow(), EVALUATOR, YIYANG, "B21", scores.of_score("B21"))

    assert kinds(fresh, LEADER) == ["报告须重新生成"]
    assert worklist.lands_on_todo(fresh.uow(), LEADER)


def test_an_administrator_has_no_todo_list(fresh):
    with pytest.raises(Forbidden, match="无权查看评价"):
        worklist.todo(fresh.uow(), SYSADMIN)
