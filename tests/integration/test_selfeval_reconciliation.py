"""The evaluator's comparison of the unit's self-score with their own: 自评虚高 flags from the
thresholds in indicators/review-rules.yaml, reconciliation notes, and the 定稿 step refused while
a flagged gap has no note."""

from __future__ import annotations

from decimal import Decimal

import pytest
from actors import EVALUATOR, REVIEWER, UNIT, YIYANG, audit_rows
from review_helpers import saved_selfeval, submitted_selfeval, to_reviewed

from workbench.errors import Conflict, InvalidInput
from workbench.services import evaluations, reconciliation, review
from workbench.storage.uow import Database

D = Decimal


def status(unit_db: Database) -> str:
    return evaluations.get_case(unit_db.uow(), EVALUATOR, YIYANG).case.evaluation.status


def test_the_evaluator_sees_each_self_score_beside_their_own_with_inflated_gaps_flagged(unit_db):
    submitted_selfeval(unit_db)

    view = reconciliation.compare(unit_db.uow(), EVALUATOR, YIYANG)
    shown = view.comparison

    assert shown is not None
    assert (shown.self_total, shown.evaluator_total) == (D("100.00"), D("83.00"))
    assert view.selfeval.submitted and view.selfeval.card.total == shown.self_total  # the form it compared
    rows = {r.name: r for r in shown.rows}
    upkeep = rows["后期运行维护管理"]  # the unit claims 4, the evaluator gave 1
    assert (upkeep.self_score, upkeep.evaluator_score, upkeep.gap, upkeep.flag) == (
        D("4.00"),
        D("1.00"),
        D("3.00"),
        "自评虚高",
    )
    basis = rows["立项依据充分性"]
    assert (basis.gap, basis.flag) == (D("0.00"), "")
    assert {r.name for r in shown.flagged} == {
        "绩效目标合理性",
        "绩效指标明确性",
        "预算编制科学性",
        "资金使用合规性",
        "组织机构与人员保障",
        "管理制度健全性",
        "后期运行维护管理",
        "信息资源整合共享",
        "服务对象满意度",
    }


def test_a_draft_is_not_compared_until_the_unit_submits_it(unit_db):
    saved_selfeval(unit_db)

    shown = reconciliation.compare(unit_db.uow(), EVALUATOR, YIYANG)

    assert shown.comparison is None and shown.draft_exists


def test_review_is_refused_while_an_inflated_gap_has_no_note_and_allowed_once_all_have_one(unit_db):
    submitted_selfeval(unit_db)
    review.advance(unit_db.uow(), EVALUATOR, YIYANG, "workflow.submit")

    with pytest.raises(Conflict) as refused:
        review.advance(unit_db.uow(), REVIEWER, YIYANG, "workflow.review")

    messages = refused.value.messages
    assert messages[0] == "不能复核通过：9 项指标自评虚高，尚未填写核对说明（在“自评表”页填写）"
    assert any(
        m.startswith(
            "指标 3.2.5（后期运行维护管理），字段「核对说明」：自评虚高：自评 4.00 分，评价 1.00 分，相差 3.00 分"
        )
        for m in messages
    )
    assert status(unit_db) == "已提交"

    shown = reconciliation.compare(unit_db.uow(), EVALUATOR, YIYANG)
    for row in shown.comparison.flagged[:-1]:
        reconciliation.save_note(
            unit_db.uow(), EVALUATOR, YIYANG, row.code, "评价组核实：扣分依据见评分表", 0
        )
    with pytest.raises(Conflict, match="不能复核通过：1 项指标自评虚高"):
        review.advance(unit_db.uow(), REVIEWER, YIYANG, "workflow.review")

    last = shown.comparison.flagged[-1]
    reconciliation.save_note(
        unit_db.uow(), EVALUATOR, YIYANG, last.code, "单位未开展满意度调查，自评依据不足", 0
    )
    review.advance(unit_db.uow(), REVIEWER, YIYANG, "workflow.review")
    review.advance(unit_db.uow(), REVIEWER, YIYANG, "workflow.finalize")

    assert status(unit_db) == "定稿"
    notes = {
        r.code: r.note for r in reconciliation.compare(unit_db.uow(), REVIEWER, YIYANG).comparison.flagged
    }
    assert notes[last.code] == "单位未开展满意度调查，自评依据不足"


def test_a_note_is_recorded_in_the_audit_log_and_locked_once_final(unit_db):
    submitted_selfeval(unit_db)
    reconciliation.save_note(unit_db.uow(), EVALUATOR, YIYANG, "3.2.5", "运维无专人，扣分属实", 0)
    record = audit_rows(unit_db)[-1]
    assert (record.event, record.object, record.after) == (
        "填写核对说明",
        f"评价 {YIYANG} / 自评表 / 指标 3.2.5",
        "运维无专人，扣分属实",
    )
    for row in reconciliation.compare(unit_db.uow(), EVALUATOR, YIYANG).comparison.flagged:
        if row.code != "3.2.5":
            reconciliation.save_note(unit_db.uow(), EVALUATOR, YIYANG, row.code, "已核对", 0)
    to_reviewed(unit_db)
    review.advance(unit_db.uow(), REVIEWER, YIYANG, "workflow.finalize")

    with pytest.raises(Conflict, match="评价已定稿，不能修改核对说明"):
        reconciliation.save_note(unit_db.uow(), EVALUATOR, YIYANG, "3.2.5", "改一下", 1)


def test_notes_need_a_submitted_form_and_an_indicator_of_it(unit_db):
    with pytest.raises(Conflict, match="项目单位尚未提交自评表"):
        reconciliation.save_note(unit_db.uow(), EVALUATOR, YIYANG, "3.2.5", "说明", 0)
    submitted_selfeval(unit_db)
    with pytest.raises(InvalidInput, match=r"指标 9\.9\.9：自评表中没有这个指标"):
        reconciliation.save_note(unit_db.uow(), EVALUATOR, YIYANG, "9.9.9", "说明", 0)


def test_the_unit_may_read_the_comparison_but_not_write_notes(unit_db):
    submitted_selfeval(unit_db)

    assert reconciliation.compare(unit_db.uow(), UNIT, YIYANG).comparison is not None
    with pytest.raises(Exception, match="角色“项目单位”无权评分"):
        reconciliation.save_note(unit_db.uow(), UNIT, YIYANG, "3.2.5", "自己写的说明", 0)
