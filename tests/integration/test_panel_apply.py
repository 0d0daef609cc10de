"""Applying the expert panel never destroys the evaluator's work: the changes are shown first,
the panel's score and method go beside the evaluator's reasons, evidence, sources and notes, and
an undo puts the scores back as they were."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from actors import EVALUATOR, EXPERT, YIYANG, add_accounts, audit_rows, reopen
from review_helpers import EXPERT_B, expert_scores, name_panel, submit_sheet

from workbench.bootstrap import ensure_database
from workbench.errors import Conflict
from workbench.services import evaluations, panel_apply, panels
from workbench.storage.uow import Database


@pytest.fixture
def db(tmp_path, database_templates) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'workbench.db'}"
    database_templates.copy(url, seed=True)
    opened = ensure_database(url)
    add_accounts(opened, EXPERT, EXPERT_B, EVALUATOR)
    reopen(opened)
    name_panel(opened, [EXPERT, EXPERT_B])
    for actor in (EXPERT, EXPERT_B):
        submit_sheet(opened, actor, expert_scores(opened, actor, less="1"))
    yield opened
    opened.dispose()


def version(db: Database) -> int:
    return panels.panel_view(db.uow(), EVALUATOR, YIYANG).panel.version


def scores(db: Database) -> dict:
    return dict(evaluations.get_case(db.uow(), EVALUATOR, YIYANG).case.evaluation.scores)


def test_the_preview_lists_current_and_panel_scores_and_changes_nothing(db):
    before = scores(db)

    changes = panel_apply.preview_panel(db.uow(), EVALUATOR, YIYANG, version(db), 2)

    a11 = next(c for c in changes if c.code == "A11")
    assert a11.name == "立项依据充分性" and a11.panel == a11.weight - 1
    assert a11.current is not None and "2 位专家评分的算术平均" in a11.how
    assert scores(db) == before


def test_applying_keeps_every_reason_evidence_source_and_note_of_the_evaluator(db):
    before = scores(db)
    written = {c: s for c, s in before.items() if s.deductions or s.rationale or s.evidence}
    assert written  # the reference case has reasons to lose

    codes = panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, version(db), 2)

    after = scores(db)
    card = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard
    for code in set(codes) & set(written):
        old, new = before[code], after[code]
        kept = [(d.reason, d.evidence, d.source) for d in new.deductions if d.source != panels.PANEL_SOURCE]
        assert kept == [(d.reason, d.evidence, d.source) for d in old.deductions], code
        assert new.evidence == old.evidence and old.rationale in new.rationale
        assert card.find(code).score == card.find(code).weight - 1  # the panel's score counts
    assert any(d.reason.startswith("专家组评分") for d in after["A11"].deductions)


def test_undo_puts_back_the_scores_the_panel_replaced(db):
    before = scores(db)
    total = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard.total
    panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, version(db), 2)

    restored, left = panel_apply.undo_panel(db.uow(), EVALUATOR, YIYANG, version(db))

    assert restored and not left
    assert scores(db) == before
    assert evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard.total == total
    assert [r.event for r in audit_rows(db)][-1] == "撤销专家组评分"
    with pytest.raises(Conflict, match="没有可撤销的专家组评分"):
        panel_apply.undo_panel(db.uow(), EVALUATOR, YIYANG, version(db))


def test_undo_leaves_an_indicator_rescored_by_hand_since(db):
    panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, version(db), 2)
    case = evaluations.get_case(db.uow(), EVALUATOR, YIYANG)
    mine = case.case.evaluation.scores["A11"].model_copy(update={"deductions": [], "rationale": "复核后满分"})
    evaluations.save_score(db.uow(), EVALUATOR, YIYANG, "A11", mine, case.versions.of_score("A11"))

    restored, left = panel_apply.undo_panel(db.uow(), EVALUATOR, YIYANG, version(db))

    assert left == ["A11"] and "A11" not in restored
    assert scores(db)["A11"].rationale == "复核后满分"
    assert Decimal(0) <= evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard.total
