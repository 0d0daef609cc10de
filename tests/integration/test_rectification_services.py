"""The 整改台账 on real databases (SQLite file and PostgreSQL): the Yiyang 2018 evaluation's two
findings carried into a 2019 evaluation, deadlines by type, extensions approved and returned,
the result reported with evidence, 销号, overdue items, and who may do what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from actors import AUDITOR, EVALUATOR, LEADER, UNIT, YIYANG, YIYANG_PROJECT, add_accounts
from service_fakes import ledger, project

from workbench.bootstrap import ensure_database
from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import rectification as rect
from workbench.services.actors import Actor
from workbench.services.audit import query_audit
from workbench.services.ports import AuditFilter
from workbench.storage.uow import Database

NEXT = "yiyang-2019-eval"
ISSUED = date(2019, 6, 1)
OTHER_UNIT = Actor("other-unit", "另一单位", "项目单位")


def next_year(db: Database, actor: Actor = EVALUATOR) -> list[str]:
    """What the next-year command does: a 2019 evaluation of the project, and last year's
    problems carried into it, in one transaction."""
    with db.uow() as uow:
        last = uow.evaluations.get(YIYANG).evaluation
        update = {
            "id": NEXT,
            "year": 2019,
            "status": "草稿",
            "scores": {},
            "findings": [],
            "recommendations": [],
        }
        uow.evaluations.add(last.model_copy(update=update), actor)
        ids = rect.carry_over(uow, actor, YIYANG, NEXT, today=ISSUED)
        uow.commit()
    return ids


@pytest.fixture
def carried(database_url: str, database_templates) -> Iterator[Database]:
    database_templates.copy(database_url, seed=True)
    db = ensure_database(database_url)
    add_accounts(db, UNIT, LEADER, EVALUATOR)
    with db.uow() as uow:
        uow.projects.add(project(), ledger(), EVALUATOR)  # project "p", another unit's
        uow.commit()
    add_accounts(db, OTHER_UNIT, projects=("p",))
    next_year(db)
    yield db
    db.dispose()


def version(db: Database, item_id: str) -> int:
    return rect.get_item(db.uow(), EVALUATOR, item_id).version


def test_the_two_findings_of_2018_become_items_of_2019_with_measures_unit_and_a_deadline_by_type(carried):
    items = rect.items_for_evaluation(carried.uow(), UNIT, NEXT)
    assert [i.title for i in items] == ["该项目后期维护与管理有待加强", "专业技术人才不足"]
    first, second = items
    assert first.measures.startswith("加强项目后期维护与管理：单位应健全项目维护")
    assert second.measures.startswith("引进必要的专业技术人才：")
    assert {i.responsible_unit for i in items} == {"市电子政务管理办公室"}
    assert {(i.status, i.kind, i.issued, i.deadline) for i in items} == {
        ("已下达", "短期", ISSUED, date(2020, 6, 1))
    }
    assert {(i.source_evaluation, i.source_year, i.evaluation) for i in items} == {(YIYANG, 2018, NEXT)}
    assert rect.items_of_project(carried.uow(), LEADER, YIYANG_PROJECT) == items
    issued = query_audit(carried.uow(), AUDITOR, AuditFilter(event="下达整改事项"), record_view=False)
    assert sorted(r.object for r in issued.records) == sorted(f"评价 {NEXT} / 整改事项 {i.id}" for i in items)


def test_changing_the_type_recomputes_the_deadline_from_the_issue_date(carried):
    first, second = rect.items_for_evaluation(carried.uow(), EVALUATOR, NEXT)
    rect.edit_item(carried.uow(), EVALUATOR, first.id, version(carried, first.id), kind="立行立改")
    rect.edit_item(
        carried.uow(),
        EVALUATOR,
        second.id,
        version(carried, second.id),
        kind="长期",
        measures="三年内配齐 12 名技术人员",
    )
    first, second = rect.items_for_evaluation(carried.uow(), EVALUATOR, NEXT)
    assert (first.kind, first.deadline) == ("立行立改", ISSUED + timedelta(days=60))
    assert (second.kind, second.deadline, second.measures) == (
        "长期",
        date(2022, 6, 1),
        "三年内配齐 12 名技术人员",
    )
    with pytest.raises(InvalidInput, match="未知的整改类型"):
        rect.edit_item(carried.uow(), EVALUATOR, first.id, version(carried, first.id), kind="中期")


def test_an_approved_extension_moves_the_deadline_and_a_returned_one_keeps_it(carried):
    first, second = (i.id for i in rect.items_for_evaluation(carried.uow(), UNIT, NEXT))
    for item_id in (first, second):
        rect.start(carried.uow(), UNIT, item_id, 1)
        rect.request_extension(carried.uow(), UNIT, item_id, date(2020, 12, 31), "技术人员招聘周期长", 2)
    rect.decide_extension(carried.uow(), EVALUATOR, first, True, "同意", 3)
    rect.decide_extension(carried.uow(), EVALUATOR, second, False, "理由不充分，请按期整改", 3)
    approved, returned = rect.items_for_evaluation(carried.uow(), UNIT, NEXT)
    assert (approved.status, approved.deadline) == ("整改中", date(2020, 12, 31))
    assert (returned.status, returned.deadline, returned.extension_until) == (
        "整改中",
        date(2020, 6, 1),
        None,
    )
    assert [e.action for e in returned.history] == ["开始整改", "申请延期", "退回延期"]
    assert returned.history[-1].reason == "理由不充分，请按期整改"
    rect.request_extension(carried.uow(), UNIT, first, date(2021, 3, 31), "再延一季度", 4)
    with pytest.raises(InvalidInput, match="退回理由"):
        rect.decide_extension(carried.uow(), EVALUATOR, first, False, "", 5)


def test_a_result_needs_evidence_and_is_closed_by_the_evaluator_never_by_the_unit(carried):
    first = rect.items_for_evaluation(carried.uow(), UNIT, NEXT)[0].id
    with pytest.raises(InvalidInput, match="佐证材料"):
        rect.report_done(carried.uow(), UNIT, first, "已配备专人负责运维监管", [], 1)
    with pytest.raises(InvalidInput, match="不存在或不属于"):
        rect.report_done(carried.uow(), UNIT, first, "已配备专人负责运维监管", ["EV999 制度.pdf"], 1)
    rect.report_done(carried.uow(), UNIT, first, "已配备专人负责运维监管", ["运维管理制度（纸质，存档）"], 1)
    with pytest.raises(Forbidden):
        rect.close(carried.uow(), UNIT, first, 2)
    rect.close(carried.uow(), EVALUATOR, first, 2, "整改到位")
    item = rect.get_item(carried.uow(), LEADER, first).item
    assert (item.status, item.progress, item.evidence) == (
        "销号",
        "已配备专人负责运维监管",
        ["运维管理制度（纸质，存档）"],
    )
    with pytest.raises(Conflict, match="当前为“销号”"):
        rect.start(carried.uow(), UNIT, first, 3)


def test_an_open_item_past_its_deadline_is_overdue_and_a_closed_one_never(carried):
    items = rect.items_for_evaluation(carried.uow(), EVALUATOR, NEXT)
    assert rect.overdue_items(items, today=date(2020, 6, 1)) == []
    late = rect.overdue_items(items, today=date(2020, 6, 2))
    assert [i.title for i in late] == ["该项目后期维护与管理有待加强", "专业技术人才不足"]
    first = items[0].id
    rect.report_done(carried.uow(), UNIT, first, "已整改", ["运维合同"], 1)
    rect.close(carried.uow(), EVALUATOR, first, 2)
    items = rect.items_for_evaluation(carried.uow(), EVALUATOR, NEXT)
    assert rect.tally(items, date(2021, 1, 1)) == rect.Tally(total=2, closed=1, done=0, open=1, overdue=1)


def test_the_unit_of_another_project_is_refused_and_the_refusal_is_audited(carried):
    first = rect.items_for_evaluation(carried.uow(), EVALUATOR, NEXT)[0].id
    with pytest.raises(Forbidden, match="只能访问本单位的项目"):
        rect.start(carried.uow(), OTHER_UNIT, first, 1)
    with pytest.raises(Forbidden):
        rect.items_for_evaluation(carried.uow(), OTHER_UNIT, NEXT)
    with pytest.raises(Forbidden, match="无权管理整改事项"):
        rect.decide_extension(carried.uow(), LEADER, first, True, "", 1)
    assert rect.get_item(carried.uow(), EVALUATOR, first).item.status == "已下达"
    refused = query_audit(carried.uow(), AUDITOR, AuditFilter(event="越权操作"), record_view=False)
    assert any(r.username == "other-unit" and first in r.object for r in refused.records)


def test_a_move_based_on_a_stale_version_is_refused_and_nothing_changes(carried):
    first = rect.items_for_evaluation(carried.uow(), UNIT, NEXT)[0].id
    rect.start(carried.uow(), UNIT, first, 1)
    with pytest.raises(Conflict, match="第 2 版"):
        rect.request_extension(carried.uow(), UNIT, first, date(2021, 1, 1), "原因", 1)
    stored = rect.get_item(carried.uow(), UNIT, first)
    assert (stored.version, stored.item.status) == (2, "整改中")
    failed = query_audit(
        carried.uow(), AUDITOR, AuditFilter(event="申请延期", result="失败"), record_view=False
    )
    assert [r.username for r in failed.records] == [UNIT.username]


def test_carrying_the_same_year_again_gives_the_same_items_and_another_evaluation_is_refused(carried):
    with carried.uow() as uow:
        again = rect.carry_over(uow, EVALUATOR, YIYANG, NEXT, today=ISSUED)
        uow.commit()
    assert again == [i.id for i in rect.items_for_evaluation(carried.uow(), EVALUATOR, NEXT)]
    with carried.uow() as uow, pytest.raises(Conflict, match="已转入评价"):
        rect.carry_over(uow, EVALUATOR, YIYANG, YIYANG, today=ISSUED)
