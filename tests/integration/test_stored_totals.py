"""Each evaluation keeps its total and grade: every save rewrites them in its own transaction, the
list reads them without scoring anything, the migration fills them in for existing evaluations,
and ``workbench db check | repair --totals`` compares them with a fresh scoring."""

from __future__ import annotations

import sqlalchemy as sa
from actors import EVALUATOR, YIYANG
from alembic import command
from alembic.script import ScriptDirectory
from test_storage_services import count_queries

from workbench.services import cases, evaluations, stored_totals
from workbench.services.actors import SYSTEM
from workbench.services.kernel import fresh_totals
from workbench.services.ports import Totals
from workbench.storage import migrate

MIGRATION = "0028_evaluation_totals"


def listed(db, evaluation_id: str = YIYANG) -> evaluations.EvaluationSummary:
    return next(s for s in evaluations.list_evaluations(db.uow(), SYSTEM) if s.id == evaluation_id)


def scored(db, evaluation_id: str) -> tuple[str, str, bool, int]:
    card = evaluations.scorecard(db.uow(), SYSTEM, evaluation_id)
    count = sum(1 for leaf in card.leaves() if leaf.status == "scored")
    return f"{card.total}", card.grade, card.complete, count


def shown(row: evaluations.EvaluationSummary) -> tuple[str, str, bool, int]:
    return f"{row.total}", row.grade, row.complete, row.scored_count


def test_a_saved_score_changes_the_listed_total_and_grade(editable_db):
    assert (f"{listed(editable_db).total}", listed(editable_db).grade) == ("83.00", "良好")
    page = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    entry = page.case.evaluation.scores["B21"].model_copy(update={"deductions": []})

    evaluations.save_score(editable_db.uow(), EVALUATOR, YIYANG, "B21", entry, page.versions.of_score("B21"))

    assert shown(listed(editable_db)) == scored(editable_db, YIYANG)
    assert f"{listed(editable_db).total}" == "85.00"


def test_a_cleared_score_shows_in_the_list_as_one_indicator_fewer_and_not_complete(editable_db):
    before = listed(editable_db)
    version = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).versions.of_score("B21")

    evaluations.clear_score(editable_db.uow(), EVALUATOR, YIYANG, "B21", version)

    after = listed(editable_db)
    assert (after.scored_count, after.complete) == (before.scored_count - 1, False)
    assert shown(after) == scored(editable_db, YIYANG)


def test_a_copy_is_listed_with_its_source_total_and_a_new_evaluation_as_unscored(seeded_db):
    copy = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, year=2019)
    project = evaluations.get_case(seeded_db.uow(), SYSTEM, YIYANG).case.project
    blank = cases.new_evaluation(seeded_db.uow(), SYSTEM, project, "yiyang-2018", "excellent-good")

    assert shown(listed(seeded_db, copy)) == shown(listed(seeded_db)) == scored(seeded_db, copy)
    assert listed(seeded_db, blank).unscored and listed(seeded_db, blank).scored_count == 0


def test_the_list_reads_no_scores_whatever_the_number_of_evaluations(seeded_db):
    def listing() -> int:
        seeded_db.caches.clear()
        return count_queries(seeded_db, lambda: evaluations.list_evaluations(seeded_db.uow(), SYSTEM))

    one = listing()
    for year in (2019, 2020, 2021, 2022):
        cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, year=year)
    seen: list[str] = []
    sa.event.listen(seeded_db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    rows = evaluations.list_evaluations(seeded_db.uow(), SYSTEM)

    assert listing() == one and len(rows) == 5
    assert not [q for q in seen if "indicator_scores" in q]


def test_copying_reads_the_same_rows_whatever_the_database_holds(seeded_db):
    def copying() -> tuple[int, str]:
        seeded_db.caches.clear()
        made: list[str] = []
        count = count_queries(
            seeded_db, lambda: made.append(cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG))
        )
        return count, made[0]

    first, first_id = copying()
    for _ in range(6):
        copying()
    last, last_id = copying()

    assert last == first  # no query per evaluation already there (ids, names, loads)
    assert (first_id, last_id) == (
        f"{YIYANG.removesuffix('-eval')}-2018-eval",
        f"{YIYANG.removesuffix('-eval')}-2018-eval-8",
    )
    titles = {s.title for s in evaluations.list_evaluations(seeded_db.uow(), SYSTEM)}
    assert len(titles) == 9  # each copy named apart: …（副本 2） to …（副本 9）


def test_the_migration_fills_in_the_totals_of_evaluations_stored_before_it(seeded_db):
    copy = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG)
    expected = {i: scored(seeded_db, i) for i in (YIYANG, copy)}
    before = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(MIGRATION).down_revision
    with seeded_db.engine.connect() as conn, conn.begin():
        command.downgrade(migrate.alembic_config(conn), str(before))
    columns = {c["name"] for c in sa.inspect(seeded_db.engine).get_columns("evaluations")}
    assert "grade" not in columns

    migrate.upgrade(seeded_db.engine)
    seeded_db.caches.clear()

    assert {i: shown(listed(seeded_db, i)) for i in expected} == expected
    assert stored_totals.check_totals(seeded_db.uow()) == []


def test_db_check_finds_a_stored_total_that_differs_and_repair_recomputes_it(seeded_db, run):
    with seeded_db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE evaluations SET total = '12.00', grade = '差' WHERE id = :i"), {"i": YIYANG}
        )

    checked = run("db", "check")
    assert checked.exit_code == 1
    assert f"评价 {YIYANG}：已存 12.00（差" in checked.output and "重新计分为 83.00（良好" in checked.output
    assert run("db", "repair", "--totals").exit_code == 1  # without --confirm: listed, nothing changed
    assert listed(seeded_db).grade == "差"

    repaired = run("db", "repair", "--totals", "--confirm")

    assert repaired.exit_code == 0, repaired.output
    assert "已重算 1 项评价的总分与等级" in repaired.output
    assert (f"{listed(seeded_db).total}", listed(seeded_db).grade) == ("83.00", "良好")
    assert run("db", "check").exit_code == 0


def test_a_row_without_stored_totals_is_scored_for_the_list_and_found_by_check(seeded_db):
    with seeded_db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE evaluations SET total = NULL, grade = NULL WHERE id = :i"), {"i": YIYANG}
        )

    assert (f"{listed(seeded_db).total}", listed(seeded_db).grade) == ("83.00", "良好")
    assert [m.stored for m in stored_totals.check_totals(seeded_db.uow())] == ["未保存"]
    stored_totals.repair_totals(seeded_db.uow(), SYSTEM)
    with seeded_db.uow() as uow:
        assert uow.evaluations.listings()[0].totals == fresh_totals(uow, YIYANG) != Totals.of(None)


def test_a_save_racing_another_on_the_same_evaluation_stores_totals_that_count_both(editable_db):
    """Two people save different indicators at once: the second save's own scoring missed the
    first, so its figures are not stored — the evaluation is scored again from the database."""
    page = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    ev, system, bands = page.case.evaluation, page.case.system, page.case.bands
    cleared = {code: ev.scores[code].model_copy(update={"deductions": []}) for code in ("B21", "B22")}
    with editable_db.uow() as uow:
        uow.evaluations.get(YIYANG)  # the second person opened the evaluation ...
        evaluations.save_score(  # ... the first saved B22 meanwhile ...
            editable_db.uow(), EVALUATOR, YIYANG, "B22", cleared["B22"], page.versions.of_score("B22")
        )
        stale = ev.model_copy(update={"scores": {**ev.scores, "B21": cleared["B21"]}})  # ... B22 unseen
        uow.evaluations.save_score(YIYANG, "B21", cleared["B21"], page.versions.of_score("B21"), EVALUATOR)
        uow.evaluations.keep_totals(YIYANG, Totals.scored(system, stale, bands))
        uow.commit()

    assert f"{listed(editable_db).total}" == "87.00"  # 83.00 + 2 + 2: both saves counted
    assert shown(listed(editable_db)) == scored(editable_db, YIYANG)
