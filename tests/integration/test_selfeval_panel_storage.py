"""Storage of self-evaluations, reconciliation notes, expert panels and sheets, on SQLite and
PostgreSQL: what is saved reads back equal (Decimals exact), every write names the version it was
based on, and the rows go with their evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from actors import EVALUATOR, EXPERT, UNIT, YIYANG
from selfeval_forms import standard_form

from workbench.errors import Conflict
from workbench.services.ports import StoredPanel
from workbench.storage.uow import Database

D = Decimal


def test_a_self_evaluation_reads_back_equal_with_its_funds_goals_and_rows(seeded_db: Database):
    form = standard_form().model_copy(
        update={"goals_expected": "=SUM(A1)（用户文字）", "stated_total": D("91.5")}
    )
    with seeded_db.uow() as uow:
        first = uow.selfevals.save(YIYANG, form, 0, UNIT)
        uow.commit()

    with seeded_db.uow() as uow:
        found = uow.selfevals.get(YIYANG)
    assert found is not None
    assert found.form == form
    assert found.form.funds.total.executed == D("95") and found.form.stated_total == D("91.5")
    assert (found.stamp.version, found.stamp.updated_by, found.submitted) == (1, UNIT.username, False)
    assert found.stamp == first


def test_submitting_stamps_when_and_by_whom_and_a_stale_version_is_refused(seeded_db: Database):
    with seeded_db.uow() as uow:
        uow.selfevals.save(YIYANG, standard_form(), 0, UNIT)
        uow.commit()
    with seeded_db.uow() as uow:
        uow.selfevals.submit(YIYANG, 1, UNIT)
        uow.commit()

    with seeded_db.uow() as uow, pytest.raises(Conflict, match="自评表刚被其他人修改"):
        uow.selfevals.save(YIYANG, standard_form(), 1, UNIT)
    with seeded_db.uow() as uow:
        found = uow.selfevals.get(YIYANG)
    assert found is not None and found.submitted and found.submitted_by == UNIT.username
    assert found.submitted_at is not None and found.submitted_at.tzinfo is not None
    assert found.stamp.version == 2


def test_reconciliation_notes_are_inserted_updated_and_removed_by_version(seeded_db: Database):
    with seeded_db.uow() as uow:
        uow.selfevals.save_note(YIYANG, "2.2.1", "评价组核实：目标未细化", 0, EVALUATOR)
        uow.commit()
    with seeded_db.uow() as uow:
        uow.selfevals.save_note(YIYANG, "2.2.1", "评价组核实：目标未细化到年度", 1, EVALUATOR)
        uow.commit()
    with seeded_db.uow() as uow:
        notes = uow.selfevals.notes(YIYANG)
    assert {c: (n.note, n.stamp.version) for c, n in notes.items()} == {
        "2.2.1": ("评价组核实：目标未细化到年度", 2)
    }

    with seeded_db.uow() as uow, pytest.raises(Conflict, match=r"指标 2\.2\.1 的核对说明刚被其他人修改"):
        uow.selfevals.save_note(YIYANG, "2.2.1", "旧版本上的修改", 1, EVALUATOR)
    with seeded_db.uow() as uow:
        assert uow.selfevals.save_note(YIYANG, "2.2.1", "  ", 2, EVALUATOR) is None
        uow.commit()
    with seeded_db.uow() as uow:
        assert uow.selfevals.notes(YIYANG) == {}


def test_a_panel_and_its_sheets_read_back_with_exact_scores_in_the_order_experts_joined(seeded_db: Database):
    with seeded_db.uow() as uow:
        assert uow.panels.get(YIYANG) == StoredPanel()  # nobody set it up: the defaults
        uow.panels.save_panel(YIYANG, {"method": "trimmed_mean", "experts": ["zhao", "qian"]}, 0, EVALUATOR)
        uow.panels.save_sheet(YIYANG, "zhao", "赵专家", {"A11": D("3.5"), "A12": D("4")}, None, 0, EXPERT)
        uow.commit()
    with seeded_db.uow() as uow:
        uow.panels.save_sheet(YIYANG, "qian", "钱专家", {"A11": D("2.25")}, None, 0, EXPERT)
        uow.commit()

    with seeded_db.uow() as uow:
        panel = uow.panels.get(YIYANG)
    assert (panel.method, panel.experts, panel.version, panel.applied) == (
        "trimmed_mean",
        ("zhao", "qian"),
        1,
        None,
    )
    assert [(s.expert, s.expert_name, dict(s.scores), s.submitted) for s in panel.sheets] == [
        ("zhao", "赵专家", {"A11": D("3.5"), "A12": D("4")}, False),
        ("qian", "钱专家", {"A11": D("2.25")}, False),
    ]


def test_two_experts_saving_on_the_same_version_leave_one_save(seeded_db: Database):
    with seeded_db.uow() as uow:
        uow.panels.save_sheet(YIYANG, "zhao", "赵专家", {"A11": D("3")}, None, 0, EXPERT)
        uow.commit()
    with seeded_db.uow() as uow:
        uow.panels.save_sheet(YIYANG, "zhao", "赵专家", {"A11": D("2")}, None, 1, EXPERT)
        uow.commit()

    with seeded_db.uow() as uow, pytest.raises(Conflict, match="专家“赵专家”的评分表刚被其他人修改"):
        uow.panels.save_sheet(YIYANG, "zhao", "赵专家", {"A11": D("1")}, None, 1, EXPERT)
    with seeded_db.uow() as uow:
        assert dict(uow.panels.get(YIYANG).sheets[0].scores) == {"A11": D("2")}


def test_the_rows_go_with_their_evaluation(seeded_db: Database):
    with seeded_db.uow() as uow:
        uow.selfevals.save(YIYANG, standard_form(), 0, UNIT)
        uow.selfevals.save_note(YIYANG, "2.1.1", "核对说明", 0, EVALUATOR)
        uow.panels.save_panel(YIYANG, {"method": "mean"}, 0, EVALUATOR)
        uow.panels.save_sheet(YIYANG, "zhao", "赵专家", {"A11": D("3")}, None, 0, EXPERT)
        uow.commit()

    with seeded_db.uow() as uow:
        uow.session.execute(sa.text("DELETE FROM evaluations WHERE id = :id"), {"id": YIYANG})
        uow.commit()

    with seeded_db.uow() as uow:
        assert uow.selfevals.get(YIYANG) is None and uow.selfevals.notes(YIYANG) == {}
        assert uow.panels.get(YIYANG) == StoredPanel()
