"""Where each person left off is kept per person, on SQLite and PostgreSQL: the last evaluation
a user picked is what they find at the next sign-in, and it moves when they pick another."""

from __future__ import annotations

from actors import EVALUATOR, REVIEWER, add_accounts

from workbench.services import cases, preferences
from workbench.services.actors import SYSTEM

YIYANG = "yiyang-smart-brain-2018-eval"


def test_each_person_finds_the_evaluation_they_picked_last(seeded_db):
    add_accounts(seeded_db, EVALUATOR, REVIEWER)
    copy = cases.copy_evaluation(seeded_db.uow(), EVALUATOR, YIYANG)
    assert preferences.last_evaluation(seeded_db.uow(), EVALUATOR) is None

    preferences.remember_evaluation(seeded_db.uow(), EVALUATOR, YIYANG)
    preferences.remember_evaluation(seeded_db.uow(), EVALUATOR, copy)
    preferences.remember_evaluation(seeded_db.uow(), REVIEWER, YIYANG)

    assert preferences.last_evaluation(seeded_db.uow(), EVALUATOR) == copy
    assert preferences.last_evaluation(seeded_db.uow(), REVIEWER) == YIYANG
    preferences.remember_evaluation(seeded_db.uow(), SYSTEM, copy)  # no account: nothing kept
    assert preferences.last_evaluation(seeded_db.uow(), SYSTEM) is None
