"""The database handle's caches never serve what another server changed: a read that spans
evaluations — last year's beside this year's, as a multi-year evaluation reads them — sees a
change to either one, made through another handle (another server process) on the same database."""

from __future__ import annotations

from decimal import Decimal

from actors import EVALUATOR, add_accounts

from workbench.services import cases, evaluations
from workbench.services.actors import SYSTEM
from workbench.services.kernel import case_of, fetch
from workbench.storage.uow import Database, open_database

YIYANG = "yiyang-smart-brain-2018-eval"


def _both(db: Database, this_year: str, last_year: str) -> tuple[Decimal, Decimal]:
    """Both evaluations' totals, read in one unit of work as one multi-year read would."""
    with db.uow() as uow:
        return tuple(case_of(uow, fetch(uow, i)).scorecard().total for i in (this_year, last_year))  # type: ignore[return-value]


def _lower(db: Database, evaluation_id: str, code: str) -> None:
    stored = evaluations.get_case(db.uow(), SYSTEM, evaluation_id)
    entry = stored.case.evaluation.scores[code].model_dump()
    entry["deductions"] = [
        *entry["deductions"],
        {"points": "0.5", "reason": "复核补充扣分", "source": "复核"},
    ]
    evaluations.save_score(db.uow(), EVALUATOR, evaluation_id, code, entry, stored.versions.of_score(code))


def test_a_read_spanning_two_years_sees_a_change_to_either_made_by_another_server(seeded_db):
    last_year = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, "yiyang-2017", year=2017)
    this_year = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, "yiyang-2019", year=2019)
    add_accounts(seeded_db, EVALUATOR)
    assert _both(seeded_db, this_year, last_year) == (Decimal("83.00"), Decimal("83.00"))
    other_server = open_database(seeded_db.url)
    try:
        _lower(other_server, last_year, "A11")
        assert _both(seeded_db, this_year, last_year) == (Decimal("83.00"), Decimal("82.50"))

        _lower(other_server, this_year, "B21")
        assert _both(seeded_db, this_year, last_year) == (Decimal("82.50"), Decimal("82.50"))
    finally:
        other_server.dispose()


def test_each_database_handle_keeps_its_own_caches(seeded_db):
    other = open_database(seeded_db.url)
    try:
        evaluations.get_case(seeded_db.uow(), SYSTEM, YIYANG)
        assert len(seeded_db.caches.evaluations) >= 1 and len(other.caches.evaluations) == 0
    finally:
        other.dispose()
