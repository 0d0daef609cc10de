"""定稿 waits for the 落款 and for a decision on every ledger warning (a draft report does not)."""

from __future__ import annotations

import pytest
from actors import EVALUATOR, REVIEWER, YIYANG, reopen

from workbench.errors import Conflict
from workbench.services import evaluations, review, stored_reports


def header(db):
    return evaluations.get_case(db.uow(), EVALUATOR, YIYANG)


def edit(db, **changes):
    version = header(db).versions.evaluation.version
    evaluations.update_header(db.uow(), EVALUATOR, YIYANG, changes, version)


def to_reviewed(db):
    review.advance(db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    review.advance(db.uow(), REVIEWER, YIYANG, "workflow.review")


def test_an_undecided_ledger_warning_and_a_missing_signature_block_finalising_not_the_draft(seeded_db):
    reopen(seeded_db)
    ev = header(seeded_db).case.evaluation
    evaluator = {**ev.evaluator.model_dump(), "unnamed": ""}
    edit(seeded_db, ledger_decisions=[d.model_dump() for d in ev.ledger_decisions[1:]], evaluator=evaluator)

    draft = stored_reports.report(seeded_db.uow(), EVALUATOR, YIYANG, "seed", charts=False)
    assert any("台账警告尚未处理" in str(p) for p in draft.problems)  # a warning, the draft is made
    to_reviewed(seeded_db)
    with pytest.raises(Conflict) as refused:
        review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.finalize")
    text = str(refused.value)
    assert (
        "不能定稿：2 项须先处理" in text and "空调维修费" in text and "落款缺少评价机构名称、报告日期" in text
    )
    assert header(seeded_db).case.evaluation.status == "已复核"


def test_a_signed_evaluation_with_every_ledger_warning_decided_is_finalised(seeded_db):
    reopen(seeded_db)
    evaluator = {**header(seeded_db).case.evaluation.evaluator.model_dump(), "unnamed": ""}
    edit(seeded_db, evaluator={**evaluator, "organization": "湖南某会计师事务所"}, written="2019年6月")
    to_reviewed(seeded_db)
    review.advance(seeded_db.uow(), REVIEWER, YIYANG, "workflow.finalize")
    assert header(seeded_db).case.evaluation.status == "定稿"
