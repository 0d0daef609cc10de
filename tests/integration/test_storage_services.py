"""The services on a real database: saves survive a restart; loading stays a few queries."""

import pytest
import sqlalchemy as sa
from actors import EVALUATOR

from workbench.errors import InvalidInput
from workbench.services import cases, evaluations, findings
from workbench.services.actors import SYSTEM
from workbench.storage.uow import open_database

YIYANG = "yiyang-smart-brain-2018-eval"


def test_a_saved_score_moves_the_total_and_survives_a_restart(editable_db):
    page = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    entry = page.case.evaluation.scores["B21"].model_copy(update={"deductions": []})

    evaluations.save_score(editable_db.uow(), EVALUATOR, YIYANG, "B21", entry, page.versions.of_score("B21"))
    editable_db.dispose()

    restarted = open_database(editable_db.url)
    card = evaluations.scorecard(restarted.uow(), EVALUATOR, YIYANG)
    restarted.dispose()
    assert (f"{card.total}", card.grade) == ("85.00", "良好")


def test_a_refused_score_leaves_the_stored_one_untouched(editable_db):
    with pytest.raises(InvalidInput, match="指标 B21"):
        evaluations.save_score(
            editable_db.uow(), EVALUATOR, YIYANG, "B21", {"deductions": [{"reason": "x"}]}, 1
        )
    page = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    assert (page.versions.of_score("B21"), f"{page.scorecard.total}") == (1, "83.00")


def count_queries(db, action):
    seen = []

    def count(*_args):
        seen.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_opening_an_evaluation_takes_the_same_few_queries_whatever_its_number_of_scores(seeded_db):
    project = evaluations.get_case(seeded_db.uow(), SYSTEM, YIYANG).case.project
    empty_id = cases.new_evaluation(
        seeded_db.uow(), SYSTEM, project, "yiyang-2018", "excellent-good", evaluation_id="blank"
    )

    def cold(evaluation_id: str) -> int:
        seeded_db.caches.clear()
        return count_queries(seeded_db, lambda: evaluations.get_case(seeded_db.uow(), SYSTEM, evaluation_id))

    scored_id = cases.copy_evaluation(
        seeded_db.uow(), SYSTEM, YIYANG
    )  # a draft: the live project, like blank
    full, blank, kept = cold(scored_id), cold(empty_id), cold(YIYANG)
    assert len(evaluations.get_case(seeded_db.uow(), SYSTEM, scored_id).case.evaluation.scores) > 20
    warm = count_queries(seeded_db, lambda: evaluations.get_case(seeded_db.uow(), SYSTEM, YIYANG))

    assert full == blank <= 10
    assert kept == blank - 1  # the 定稿 case reads its kept project from its own row
    assert warm == 1  # unchanged since the last read: its tags (and its parts') in one query, nothing parsed


def test_findings_keep_their_order_and_edits_in_the_database(editable_db):
    versions = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).versions
    findings.add_finding(
        editable_db.uow(), EVALUATOR, YIYANG, {"title": "未开展满意度调查", "indicators": ["C51"]}
    )
    findings.move_finding(editable_db.uow(), EVALUATOR, YIYANG, "F3", 0)
    f2 = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).case.evaluation.finding("F2")
    findings.update_finding(
        editable_db.uow(),
        EVALUATOR,
        YIYANG,
        f2.model_copy(update={"text": "仅8名专业技术人员"}),
        versions.of_item("findings", "F2"),
    )

    ev = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG).case.evaluation
    assert [f.id for f in ev.findings] == ["F3", "F1", "F2"]
    assert ev.finding("F2").text == "仅8名专业技术人员"
    assert ev.finding("F3").indicators == ["C51"]


def test_a_copy_for_the_next_year_is_a_draft_with_the_same_total(seeded_db):
    new_id = cases.copy_evaluation(seeded_db.uow(), SYSTEM, YIYANG, year=2019)

    rows = {r.id: r for r in evaluations.list_evaluations(seeded_db.uow(), SYSTEM)}
    assert (rows[new_id].year, rows[new_id].status, f"{rows[new_id].total}") == (2019, "草稿", "83.00")
    assert rows[YIYANG].status == "定稿"
