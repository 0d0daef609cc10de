"""The evaluations' names as lists and the picker read them (``headers_of``, ``header_page``), on
SQLite and PostgreSQL: a page is chosen on the stored columns and only its rows are read whole, and
a title is kept by the evaluation's etag — a renamed evaluation is listed under its new name at once."""

from __future__ import annotations

from actors import CLI, EVALUATOR, YIYANG

from workbench.services import cases


def test_pages_follow_the_newest_year_first_order_and_a_renamed_evaluation_shows_its_new_name(seeded_db):
    copies = [cases.copy_evaluation(seeded_db.uow(), CLI, YIYANG, year=2019 + n) for n in range(2)]
    with seeded_db.uow() as uow:
        first, total = uow.evaluations.header_page(None, "", 0, 2)
        rest, _ = uow.evaluations.header_page(None, "", 2, 2)
        named = {h.id: h.title for h in uow.evaluations.headers_of(copies)}  # read once: now kept
        stored = uow.evaluations.get(copies[0])
        renamed = stored.evaluation.model_copy(update={"title": "2019年度改名后的评价"})
        uow.evaluations.save_header(renamed, stored.versions.evaluation.version, EVALUATOR)
        uow.commit()

    assert [h.id for h in first + rest] == [copies[1], copies[0], YIYANG] and total == 3
    assert named[copies[0]] == first[1].title != "2019年度改名后的评价"
    with seeded_db.uow() as uow:
        assert {h.id: h.title for h in uow.evaluations.headers_of(copies)}[
            copies[0]
        ] == "2019年度改名后的评价"
        assert uow.evaluations.header_page(None, "", 1, 1)[0][0].title == "2019年度改名后的评价"
        assert (
            uow.evaluations.header_page(None, "改名后", 0, 5)[0][0].id == copies[0]
        )  # searched by the new name
