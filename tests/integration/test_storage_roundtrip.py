"""Case files go into the database and come back out without loss, on SQLite and PostgreSQL."""

from decimal import Decimal as D

from actors import EVALUATOR

from workbench.bootstrap import ensure_database
from workbench.formats.cases import list_systems, load_band_sets, load_case
from workbench.services import cases, catalog, evaluations
from workbench.services.actors import SYSTEM

YIYANG_ID = "yiyang-smart-brain-2018-eval"
PARTS = ("project", "ledger", "evaluation", "system", "bands")


def dumps(case):
    return {part: getattr(case, part).model_dump() for part in PARTS}


def test_yiyang_case_survives_import_export_and_reimport_unchanged(empty_db, yiyang_dir, tmp_path):
    original = load_case(yiyang_dir)

    imported_id = cases.import_case(empty_db.uow(), SYSTEM, yiyang_dir)
    cases.export_case(empty_db.uow(), SYSTEM, imported_id, tmp_path / "export")
    exported = load_case(tmp_path / "export")
    again_id = cases.import_case(empty_db.uow(), SYSTEM, tmp_path / "export", evaluation_id="again")
    again = evaluations.get_case(empty_db.uow(), SYSTEM, again_id)

    assert dumps(exported) == dumps(original)
    card = exported.scorecard()
    assert (f"{card.total}", card.grade) == ("83.00", "良好")
    stored = dumps(again.case)
    kept = stored["evaluation"].pop("frozen")  # a case imported as 定稿 keeps what its report printed
    stored["evaluation"]["frozen"] = None
    assert kept == {"project": dumps(original)["project"], "ledger": dumps(original)["ledger"]}
    assert stored == {
        **dumps(original),
        "evaluation": {**dumps(original)["evaluation"], "id": "again", "frozen": None},
    }
    assert (f"{again.scorecard.total}", again.scorecard.grade) == ("83.00", "良好")


def test_decimals_come_back_from_the_database_digit_for_digit(seeded_db):
    opened = evaluations.get_case(seeded_db.uow(), SYSTEM, YIYANG_ID)
    spend = {line.category: line for line in opened.case.ledger.spend_lines}

    b11 = opened.case.evaluation.scores["B11"].inputs["numerator"]
    assert (type(b11), b11) == (D, D("1905.2"))
    assert (spend["空调维修费"].amount, spend["空调维修费"].unit) == (D("8.4"), "元")
    # 8.4 元 is 0.00084 万元: the sum keeps every digit (a float would not), the slip stays visible
    assert opened.case.ledger.line_total(2018) == D("1896.80084")


def test_a_saved_score_with_many_decimals_is_stored_exactly(editable_db):
    opened = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG_ID)
    entry = opened.case.evaluation.scores["B11"].model_copy(
        update={"inputs": {"numerator": D("1904.123456789012345678"), "denominator": 1905}}
    )
    evaluations.save_score(
        editable_db.uow(), EVALUATOR, YIYANG_ID, "B11", entry, opened.versions.of_score("B11")
    )

    stored = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG_ID).case.evaluation.scores["B11"]
    assert stored.inputs == {"numerator": D("1904.123456789012345678"), "denominator": 1905}


def test_first_start_opens_on_the_yiyang_case_with_every_indicator_system_and_band_set(seeded_db):
    rows = evaluations.list_evaluations(seeded_db.uow(), SYSTEM)
    ensure_database(seeded_db.url).dispose()  # a second start adds nothing

    assert [(r.id, f"{r.total}", r.grade) for r in rows] == [(YIYANG_ID, "83.00", "良好")]
    assert len(evaluations.list_evaluations(seeded_db.uow(), SYSTEM)) == 1
    assert [s.id for s in catalog.list_systems(seeded_db.uow(), SYSTEM)] == sorted(list_systems())
    assert [b.id for b in catalog.list_band_sets(seeded_db.uow(), SYSTEM)] == sorted(load_band_sets())
