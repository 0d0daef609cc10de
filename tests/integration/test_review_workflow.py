"""The review workflow on SQLite and PostgreSQL: who moves which step, reasons, and the 定稿 lock."""

from __future__ import annotations

import pytest
from actors import EVALUATOR, REVIEWER, UNIT, YIYANG, add_accounts, audit_rows, reopen

from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import evaluations, evidence, findings, review

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def status(db) -> str:
    return evaluations.get_case(db.uow(), EVALUATOR, YIYANG).case.evaluation.status


def header_version(db) -> int:
    return evaluations.get_case(db.uow(), EVALUATOR, YIYANG).versions.evaluation.version


def test_the_yiyang_case_goes_round_the_whole_workflow_with_reasons_kept(seeded_db):
    reopen(seeded_db, reason="需补充人员配备佐证")
    review.advance(seeded_db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.return", reason="B21 扣分缺少依据")
    review.advance(seeded_db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.review")
    review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.finalize")

    steps = review.history(seeded_db.uow(), EVALUATOR, YIYANG)
    assert [(s.action, s.before, s.after, s.username) for s in steps] == [
        ("重新打开", "定稿", "重新打开", "wang"),
        ("提交复核", "重新打开", "已提交", "zhang"),
        ("退回修改", "已提交", "退回修改", "wang"),
        ("提交复核", "退回修改", "已提交", "zhang"),
        ("复核通过", "已提交", "已复核", "wang"),
        ("定稿", "已复核", "定稿", "wang"),
    ]
    assert steps[0].reason == "需补充人员配备佐证" and steps[2].reason == "B21 扣分缺少依据"
    assert status(seeded_db) == "定稿"


@pytest.mark.parametrize("action", ["workflow.return", "workflow.reopen"])
def test_returning_or_reopening_without_a_reason_is_refused_and_nothing_moves(seeded_db, action):
    if action == "workflow.return":
        reopen(seeded_db)
        review.advance(seeded_db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    before = status(seeded_db)

    with pytest.raises(InvalidInput, match="须填写理由"):
        review.advance(seeded_db.uow(), REVIEWER, YIYANG, action, reason="   ")

    assert status(seeded_db) == before


def test_an_evaluator_cannot_finalise_and_a_reviewer_cannot_submit(seeded_db):
    reopen(seeded_db)
    with pytest.raises(Forbidden, match="角色“复核人”无权提交复核"):
        review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.submit")
    review.advance(seeded_db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    with pytest.raises(Forbidden, match="角色“评价人员”无权复核通过"):
        review.advance(seeded_db.uow(), EVALUATOR, YIYANG, "workflow.review")
    assert status(seeded_db) == "已提交"


def test_a_step_from_the_wrong_status_names_the_status_it_needs(seeded_db):
    with pytest.raises(Conflict, match="当前状态为“定稿”，不能执行“复核通过”（仅在已提交状态下可以）"):
        review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.review")


def test_the_buttons_offered_are_the_steps_the_role_may_take_now(seeded_db):
    assert [t.label for t in review.actions(seeded_db.uow(), REVIEWER, YIYANG)] == ["重新打开"]
    assert review.actions(seeded_db.uow(), EVALUATOR, YIYANG) == []
    reopen(seeded_db)
    assert [t.label for t in review.actions(seeded_db.uow(), EVALUATOR, YIYANG)] == ["提交复核"]


def test_a_finalised_evaluation_refuses_every_edit_with_a_chinese_conflict(seeded_db):
    versions = evaluations.get_case(seeded_db.uow(), EVALUATOR, YIYANG).versions
    edits = [
        lambda: evaluations.save_score(
            seeded_db.uow(), EVALUATOR, YIYANG, "B21", {}, versions.of_score("B21")
        ),
        lambda: evaluations.clear_score(seeded_db.uow(), EVALUATOR, YIYANG, "B21", versions.of_score("B21")),
        lambda: evaluations.update_header(
            seeded_db.uow(), EVALUATOR, YIYANG, {"title": "改"}, versions.evaluation.version
        ),
        lambda: findings.add_finding(seeded_db.uow(), EVALUATOR, YIYANG, {"title": "新问题"}),
        lambda: findings.update_finding(
            seeded_db.uow(),
            EVALUATOR,
            YIYANG,
            {"id": "F1", "title": "改"},
            versions.of_item("findings", "F1"),
        ),
        lambda: findings.delete_recommendation(
            seeded_db.uow(), EVALUATOR, YIYANG, "R1", versions.of_item("recommendations", "R1")
        ),
        lambda: findings.move_recommendation(seeded_db.uow(), EVALUATOR, YIYANG, "R2", 0),
    ]
    for edit in edits:
        with pytest.raises(Conflict, match="评价已定稿，不能修改评分、问题或建议"):
            edit()
    after = evaluations.get_case(seeded_db.uow(), EVALUATOR, YIYANG)
    assert after.versions == versions
    assert f"{after.scorecard.total}" == "83.00"


def test_under_review_the_scores_are_locked_too(seeded_db):
    reopen(seeded_db)
    review.advance(seeded_db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    with pytest.raises(Conflict, match="评价处于“已提交”状态，不能修改"):
        evaluations.save_score(seeded_db.uow(), EVALUATOR, YIYANG, "B21", {}, 1)


def test_the_status_no_longer_changes_through_the_header(seeded_db):
    reopen(seeded_db)
    with pytest.raises(InvalidInput, match="不能在此修改：status；状态请通过复核流程变更"):
        evaluations.update_header(
            seeded_db.uow(), EVALUATOR, YIYANG, {"status": "定稿"}, header_version(seeded_db)
        )
    assert status(seeded_db) == "重新打开"


def test_after_a_reopen_the_evaluator_edits_again_and_every_step_is_audited(seeded_db):
    reopen(seeded_db, reason="补充")
    page = evaluations.get_case(seeded_db.uow(), EVALUATOR, YIYANG)
    evaluations.save_score(
        seeded_db.uow(), EVALUATOR, YIYANG, "B21", {"deductions": []}, page.versions.of_score("B21")
    )

    records = audit_rows(seeded_db)
    reopened = next(r for r in records if r.event == "重新打开")
    saved = records[-1]
    assert (reopened.username, reopened.role, reopened.before, reopened.after, reopened.detail) == (
        "wang",
        "复核人",
        {"status": "定稿"},
        {"status": "重新打开"},
        "补充",
    )
    assert (saved.event, saved.object, saved.username) == ("保存评分", f"评价 {YIYANG} / 指标 B21", "zhang")
    assert saved.before["deductions"][0]["reason"] and saved.after["deductions"] == []
    assert f"{evaluations.scorecard(seeded_db.uow(), EVALUATOR, YIYANG).total}" != "83.00"


def test_moving_to_a_status_walks_the_workflow_and_refuses_a_jump(seeded_db):
    with pytest.raises(InvalidInput, match="状态“已删除”无效"):
        review.move_to(seeded_db.uow(), REVIEWER, YIYANG, "已删除", header_version(seeded_db))
    with pytest.raises(InvalidInput, match="评价当前为“定稿”，不能直接改为“草稿”：可执行 “重新打开”"):
        review.move_to(seeded_db.uow(), REVIEWER, YIYANG, "草稿", header_version(seeded_db))
    review.move_to(seeded_db.uow(), REVIEWER, YIYANG, "重新打开", header_version(seeded_db), reason="补充")
    assert status(seeded_db) == "重新打开"


def test_no_evidence_is_uploaded_to_a_finalised_evaluation(seeded_db):
    add_accounts(seeded_db, UNIT)
    with pytest.raises(Conflict, match="评价已定稿，不能再上传佐证材料"):
        evidence.upload_evidence(seeded_db.uow(), UNIT, YIYANG, "B21", "a.pdf", PDF)
