"""A value stored before today's limits (put in with SQL, past the domain models), on SQLite and
PostgreSQL: opening its evaluation says which field and how to repair it; ``workbench db check``
lists it; ``workbench db repair`` changes nothing without --confirm, and with it clears or cuts
every such value, audited, after which the evaluation opens again."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from actors import CLI, audit_rows

from workbench.errors import InvalidInput
from workbench.services import evaluations, stored_limits
from workbench.storage.engine import dumps
from workbench.storage.tables import EvaluationRow, ProjectRow, ScoreRow, new_etag

YIYANG = "yiyang-smart-brain-2018-eval"


def spoil(db) -> None:  # type: ignore[no-untyped-def]
    """What an older release let through: a total investment of 1e999999, a 3,000-character
    扣分理由 and 5,000-digit points, written straight into the tables."""
    with db.engine.begin() as conn:
        ledger = conn.scalar(sa.select(ProjectRow.ledger))
        conn.execute(sa.update(ProjectRow).values(ledger={**ledger, "total_investment": Decimal("1e999999")}))
        where = (ScoreRow.evaluation_id == YIYANG, ScoreRow.code == "A22")
        doc = conn.scalar(sa.select(ScoreRow.doc).where(*where))
        doc["deductions"][0]["reason"] = "长" * 3000
        doc["deductions"][0]["points"] = "__BIG__"  # a 5,000-digit integer, which dumps cannot write
        text = dumps(doc).replace('"__BIG__"', "9" * 5000)
        as_json = "CAST(:doc AS JSON)" if db.backend == "postgresql" else ":doc"
        conn.execute(
            sa.text(f"UPDATE indicator_scores SET doc = {as_json} WHERE evaluation_id = :e AND code = 'A22'"),
            {"doc": text, "e": YIYANG},
        )
        conn.execute(sa.update(EvaluationRow).values(etag=new_etag()))


def test_a_value_stored_before_the_limits_is_named_listed_and_repaired(seeded_db, run):
    spoil(seeded_db)

    with pytest.raises(InvalidInput) as refused:
        evaluations.get_case(seeded_db.uow(), CLI, YIYANG)
    message = refused.value.messages[0]
    assert "评分·A22·扣分事项·第1项·扣分理由：过长" in message
    assert "请联系系统管理员" in message and f"workbench db repair --evaluation {YIYANG} --confirm" in message

    listed = run("db", "check")
    assert listed.exit_code == 1, listed.output
    assert "资金台账" in listed.output and "总投资" in listed.output and "1E+999999" in listed.output
    assert "扣分事项·第1项·扣分理由" in listed.output and "共 3 处，涉及 1 项评价" in listed.output
    assert "999999999" in listed.output and "共 5,000 位" in listed.output

    dry = run("db", "repair", "--evaluation", YIYANG)
    assert dry.exit_code == 1 and "尚未修改" in dry.output
    assert len(stored_limits.check(seeded_db.uow())) == 3  # nothing changed without --confirm

    done = run("db", "repair", "--evaluation", YIYANG, "--confirm")
    assert done.exit_code == 0 and "已修复评价" in done.output, done.output

    case = evaluations.get_case(seeded_db.uow(), CLI, YIYANG).case
    with seeded_db.engine.connect() as conn:
        assert conn.scalar(sa.select(ProjectRow.ledger))["total_investment"] == 0  # the project repaired
    assert case.ledger.total_investment == 14680  # the 定稿 report keeps the ledger it was signed with
    assert case.evaluation.scores["A22"].deductions[0].reason == "长" * 2000
    assert case.evaluation.scores["A22"].deductions[0].points == 0
    record = [r for r in audit_rows(seeded_db) if r.event == stored_limits.REPAIR][-1]
    assert "资金台账·总投资：1E+999999 → 清为 0" in record.detail and "截取前 2,000 个字符" in record.detail
    assert run("db", "check").exit_code == 0


def test_repairing_an_evaluation_with_nothing_out_of_limits_changes_and_records_nothing(seeded_db, run):
    before = len(audit_rows(seeded_db))
    answer = run("db", "repair", "--evaluation", YIYANG, "--confirm")
    assert answer.exit_code == 0 and "无需修复" in answer.output
    assert len(audit_rows(seeded_db)) == before
    assert run("db", "repair", "--evaluation", "no-such", "--confirm").exit_code == 0  # nothing listed
