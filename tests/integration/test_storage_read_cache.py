"""A rerun reuses the evaluation it read before only while nothing in it changed: every write,
from this app server or another one on the same database, is seen by the next read."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import sqlalchemy as sa
from actors import EVALUATOR, YIYANG

from workbench.domain.evaluation import Finding, IndicatorScore
from workbench.domain.rules import Deduction
from workbench.services import evaluations, findings
from workbench.services.ports import StoredEvaluation
from workbench.storage.tables import ProjectRow, utcnow
from workbench.storage.uow import open_database


def test_an_unchanged_evaluation_is_read_once_and_reused(editable_db):
    first = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    again = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    assert again.case is first.case
    assert again.scorecard is first.scorecard  # scored once


def test_a_score_saved_by_another_app_server_is_seen_by_the_next_read(editable_db):
    here = editable_db
    there = open_database(here.url)  # a second app server on the same database
    try:
        before = evaluations.get_case(here.uow(), EVALUATOR, YIYANG)
        assert before.scorecard.total == D("83.00")
        entry = {"deductions": [{"reason": "人员不足", "points": 4}]}
        evaluations.save_score(there.uow(), EVALUATOR, YIYANG, "B21", entry, before.versions.of_score("B21"))
        after = evaluations.get_case(here.uow(), EVALUATOR, YIYANG)
    finally:
        there.dispose()
    assert after.scorecard.find("B21").lost == D("4.00")
    assert after.scorecard.total == D("81.00")


def test_findings_added_and_reordered_are_seen_by_the_next_read(editable_db):
    evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)  # cached
    findings.add_finding(
        editable_db.uow(), EVALUATOR, YIYANG, Finding(id="F3", title="满意度调查缺失", indicators=["C51"])
    )
    assert [
        f.id for f in evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).case.evaluation.findings
    ] == [
        "F1",
        "F2",
        "F3",
    ]
    findings.move_finding(editable_db.uow(), EVALUATOR, YIYANG, "F3", 0)
    order = [
        f.id for f in evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).case.evaluation.findings
    ]
    assert order == ["F3", "F1", "F2"]


def test_a_cleared_score_is_seen_by_the_next_read(editable_db):
    stored = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    evaluations.clear_score(editable_db.uow(), EVALUATOR, YIYANG, "C51", stored.versions.of_score("C51"))
    card = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).scorecard
    assert card.find("C51").status == "pending" and not card.complete


def test_a_save_racing_with_another_write_does_not_leave_a_stale_copy_for_the_next_reader(editable_db):
    b21 = IndicatorScore(deductions=[Deduction(reason="李：人员不足", points=D(1))])
    with editable_db.uow() as slow:  # li opened the evaluation ...
        seen = slow.evaluations.get(YIYANG)
        # ... zhang saves another indicator meanwhile ...
        entry = {"deductions": [{"reason": "张：无量化指标", "points": 3}]}
        evaluations.save_score(
            editable_db.uow(), EVALUATOR, YIYANG, "A22", entry, seen.versions.of_score("A22")
        )
        # ... then li's save lands, and li's copy (without zhang's change) is offered to the cache
        stamp = slow.evaluations.save_score(YIYANG, "B21", b21, seen.versions.of_score("B21"), EVALUATOR)
        slow.commit()
        mine = seen.evaluation.model_copy(update={"scores": {**seen.evaluation.scores, "B21": b21}})
        slow.evaluations.remember(
            StoredEvaluation(
                mine, dataclasses.replace(seen.versions, scores={**seen.versions.scores, "B21": stamp})
            )
        )

    card = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).scorecard
    assert (card.find("A22").lost, card.find("B21").lost) == (D("3.00"), D("1.00"))  # both saves, none lost


def test_a_project_changed_underneath_is_seen_by_the_next_read_of_its_evaluation(editable_db):
    before = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    facts = {**before.case.project.model_dump(mode="json"), "name": "益阳市“智慧大脑+政务服务”项目（更正）"}
    with editable_db.engine.begin() as conn:  # another tool's write (a restore, a later release's editor)
        conn.execute(
            sa.update(ProjectRow)
            .where(ProjectRow.id == before.case.project.id)
            .values(facts=facts, version=ProjectRow.version + 1, updated_at=utcnow())
        )

    after = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)

    assert after.case.project.name == "益阳市“智慧大脑+政务服务”项目（更正）"
    assert after.case is not before.case
