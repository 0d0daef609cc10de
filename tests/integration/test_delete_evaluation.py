"""Deleting an evaluation created by mistake (SQLite and PostgreSQL): only a 草稿, with every
part recorded in it, never one under review or 定稿, never with evidence attached, never from a
stale page; audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from actors import EVALUATOR, UNIT, YIYANG, add_accounts, audit_rows
from review_helpers import saved_selfeval

from workbench.errors import Conflict, NotFound
from workbench.services import cases, evaluations, evidence
from workbench.services.actors import SYSTEM

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PARTS = ("indicator_scores", "findings", "recommendations", "self_evaluations")


def version_of(db, evaluation_id: str) -> int:
    return next(s.version for s in evaluations.list_evaluations(db.uow(), SYSTEM) if s.id == evaluation_id)


def rows_of(db, evaluation_id: str) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table: conn.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE evaluation_id = :e"), {"e": evaluation_id}
            ).scalar()
            for table in PARTS
        }


def test_a_draft_goes_with_everything_recorded_in_it_and_the_rest_stays(seeded_db):
    add_accounts(seeded_db, EVALUATOR, UNIT)
    copy = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, "yiyang-mistake")
    saved_selfeval(seeded_db, copy)
    assert all(rows_of(seeded_db, copy).values())  # scores, findings, recommendations, a 自评表

    cases.delete_evaluation(seeded_db.uow(), EVALUATOR, copy, version_of(seeded_db, copy))

    assert copy not in {s.id for s in evaluations.list_evaluations(seeded_db.uow(), SYSTEM)}
    with pytest.raises(NotFound):
        evaluations.get_case(seeded_db.uow(), EVALUATOR, copy)
    assert set(rows_of(seeded_db, copy).values()) == {0}
    last = audit_rows(seeded_db)[-1]
    assert (last.event, last.username, last.before["status"]) == ("删除评价", EVALUATOR.username, "草稿")
    assert f"{evaluations.scorecard(seeded_db.uow(), SYSTEM, YIYANG).total}" == "83.00"


def test_a_finalised_one_one_with_evidence_and_a_stale_page_are_refused(seeded_db):
    add_accounts(seeded_db, EVALUATOR)
    with pytest.raises(Conflict, match="只能删除草稿状态的评价；该评价为“定稿”"):
        cases.delete_evaluation(seeded_db.uow(), EVALUATOR, YIYANG, version_of(seeded_db, YIYANG))
    copy = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, "yiyang-with-evidence")
    evidence.upload_evidence(seeded_db.uow(), EVALUATOR, copy, "B21", "人员名单.pdf", PDF)
    with pytest.raises(Conflict, match="还有 1 份佐证材料：请先在“佐证材料”页删除"):
        cases.delete_evaluation(seeded_db.uow(), EVALUATOR, copy, version_of(seeded_db, copy))
    other = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, "yiyang-stale")

    with pytest.raises(Conflict, match="评价记录"):
        cases.delete_evaluation(seeded_db.uow(), EVALUATOR, other, version_of(seeded_db, other) + 1)

    still = {s.id for s in evaluations.list_evaluations(seeded_db.uow(), SYSTEM)}
    assert {YIYANG, copy, other} <= still
