"""The contract of the 整改台账 repository, run against the in-memory fake and both real databases
(``new_uow`` in conftest.py): the fake the service unit tests use behaves as storage does."""

from __future__ import annotations

from datetime import date

import pytest
from factories import evaluation
from service_fakes import COLLEAGUE, EVALUATOR

from workbench.domain.rectification import ItemEvent, RectificationItem
from workbench.errors import Conflict


def item(item_id: str, finding: str, source: str = "e", into: str | None = "e2") -> RectificationItem:
    return RectificationItem(
        id=item_id,
        project="p",
        source_evaluation=source,
        source_year=2024 if source == "e" else 2025,
        evaluation=into,
        finding=finding,
        title=f"问题 {finding}",
        kind="短期",
        responsible_unit="某局",
        measures="健全制度\n配齐人员",
        issued=date(2025, 3, 1),
        deadline=date(2026, 3, 1),
    )


def with_next_year(new_uow) -> None:  # type: ignore[no-untyped-def]
    with new_uow() as uow:
        uow.evaluations.add(evaluation().model_copy(update={"id": "e2", "year": 2025}), EVALUATOR)
        uow.commit()


def test_items_are_kept_whole_listed_by_finding_order_and_found_by_each_key(new_uow):
    with_next_year(new_uow)
    second, first, later = item("e-F2", "F2"), item("e-F1", "F1"), item("e2-F1", "F1", "e2", None)
    with new_uow() as uow:
        uow.rectification.add(second, 1, EVALUATOR)
        uow.rectification.add(first, 0, EVALUATOR)
        uow.rectification.add(later, 0, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        assert uow.rectification.get("e-F1").item == first
        assert [s.item.id for s in uow.rectification.carried_into("e2")] == ["e-F1", "e-F2"]
        assert [s.item.id for s in uow.rectification.found_by("e2")] == ["e2-F1"]
        assert [s.item.id for s in uow.rectification.of_project("p")] == ["e-F1", "e-F2", "e2-F1"]
        assert uow.rectification.carried_into("e") == [] and uow.rectification.get("nope") is None


def test_open_items_are_found_by_many_evaluations_at_once_and_closed_ones_left_out(new_uow):
    with_next_year(new_uow)
    closed = item("e-F3", "F3").model_copy(update={"status": "销号"})
    with new_uow() as uow:
        for position, each in enumerate((item("e-F1", "F1"), closed, item("e2-F1", "F1", "e2", None))):
            uow.rectification.add(each, position, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        found = uow.rectification.open_found_by({"e", "e2", "unknown"})
        assert [s.item.id for s in found] == ["e-F1", "e2-F1"]
        assert [s.item.id for s in uow.rectification.open_found_by({"e2"})] == ["e2-F1"]
        assert uow.rectification.open_found_by(set()) == []


def test_a_save_names_the_version_it_was_based_on_and_keeps_the_history(new_uow):
    with_next_year(new_uow)
    with new_uow() as uow:
        uow.rectification.add(item("e-F1", "F1"), 0, EVALUATOR)
        uow.commit()
    event = ItemEvent(
        at="2025-04-01T08:00:00+00:00", by="王填报", action="开始整改", before="已下达", after="整改中"
    )
    moved = item("e-F1", "F1").model_copy(
        update={
            "status": "整改中",
            "deadline": date(2026, 9, 1),
            "history": [event],
            "evidence": ["EV1 a.pdf"],
        }
    )
    with new_uow() as uow:
        stamp = uow.rectification.save(moved, 1, COLLEAGUE)
        uow.commit()
    assert (stamp.version, stamp.updated_by) == (2, COLLEAGUE.username)
    with new_uow() as uow:
        stored = uow.rectification.get("e-F1")
        assert (stored.item, stored.version) == (moved, 2)
        with pytest.raises(Conflict):
            uow.rectification.save(moved, 1, EVALUATOR)  # someone moved it first
        with pytest.raises(Conflict):
            uow.rectification.add(item("e-F1", "F1"), 0, EVALUATOR)  # the id is taken


def test_an_item_not_committed_is_not_kept(new_uow):
    with_next_year(new_uow)
    with new_uow() as uow:
        uow.rectification.add(item("e-F1", "F1"), 0, EVALUATOR)
    with new_uow() as uow:
        assert uow.rectification.get("e-F1") is None
