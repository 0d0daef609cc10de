"""待办 one page at a time, on SQLite and PostgreSQL: a page holds exactly the items the whole list
has at those places, worded the same, with the count of the whole list; every kind of item is
listed through the same paged queries."""

from __future__ import annotations

import pytest
from actors import CLI, EVALUATOR, EXPERT, LEADER, REVIEWER, UNIT, YIYANG, add_accounts
from review_helpers import name_panel, submitted_selfeval

from workbench.services import cases, evaluations, review, stored_reports, worklist
from workbench.storage.uow import Database


@pytest.fixture  # one test per database: the setup is most of the cost
def busy(seeded_db: Database) -> tuple[Database, list[str]]:
    """Four copies of the Yiyang case: two sent back (the second one last), one whose unit
    submitted its 自评表, one whose report was generated before a score changed; a panel naming
    the expert on the first."""
    db = seeded_db
    add_accounts(db, EVALUATOR, REVIEWER, UNIT, EXPERT)
    copies = [cases.copy_evaluation(db.uow(), CLI, YIYANG) for _ in range(4)]
    for n, eid in enumerate(copies[:2]):
        review.advance(db.uow(), EVALUATOR, eid, "workflow.submit")
        review.advance(db.uow(), REVIEWER, eid, "workflow.return", reason=f"第{n + 1}份：B21 扣分缺少依据")
    submitted_selfeval(db, copies[2])
    stored_reports.report(db.uow(), EVALUATOR, copies[3], charts=False)
    seen = evaluations.get_case(db.uow(), EVALUATOR, copies[3]).versions.of_score("B21")
    evaluations.save_score(db.uow(), EVALUATOR, copies[3], "B21", {"deductions": []}, seen)
    name_panel(db, [EXPERT], copies[0])
    return db, copies


def test_each_page_holds_the_items_the_whole_list_has_there_with_its_count_for_every_role(busy):
    db, copies = busy
    whole = worklist.todo(db.uow(), EVALUATOR)

    assert [(i.kind, i.evaluation_id) for i in whole] == [
        ("退回修改", copies[1]),  # most urgent kind first, newest first within it
        ("退回修改", copies[0]),
        ("自评表已提交", copies[2]),
        ("报告须重新生成", copies[3]),
    ]
    assert "理由：第2份：B21 扣分缺少依据" in whole[0].detail
    assert "项自评虚高待填写核对说明" in whole[2].detail and "之后评分又有 1 处修改" in whole[3].detail
    assert worklist.todo_page(db.uow(), EVALUATOR, 0, 3) == (whole[:3], 4)
    assert worklist.todo_page(db.uow(), EVALUATOR, 3, 3) == (whole[3:], 4)  # across the page boundary
    assert worklist.todo_page(db.uow(), EVALUATOR, 4, 3) == ([], 4)

    unit = worklist.todo(db.uow(), UNIT)  # the copies whose 自评表 is not submitted, in id order
    assert [(i.kind, i.evaluation_id) for i in unit] == [
        ("自评表待提交", eid) for eid in sorted({copies[0], copies[1], copies[3]})
    ]
    assert worklist.todo_page(db.uow(), UNIT, 1, 1) == (unit[1:2], 3)
    (panel,) = worklist.todo(db.uow(), EXPERT)
    assert (panel.kind, panel.evaluation_id) == ("待专家评分", copies[0])
    assert worklist.todo_page(db.uow(), REVIEWER, 0, 20) == ([], 0)
    assert not worklist.lands_on_todo(db.uow(), LEADER)
