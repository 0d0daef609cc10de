"""One contract for the evaluation aggregate's repositories, run against the in-memory fake the
unit tests use and against both real databases: what the fake promises, storage keeps (and the
other way round), so a service's fast unit test on the fake says something about production.
The ``new_uow`` fixture (fake / SQLite / PostgreSQL) is in conftest.py."""

from __future__ import annotations

import pytest
from factories import deduction, evaluation, national_bands, two_level_system
from service_fakes import EVALUATOR, ledger, project

from workbench.domain.evaluation import Finding, IndicatorScore
from workbench.errors import Conflict


def test_what_was_added_is_read_back_the_same(new_uow):
    with new_uow() as uow:
        assert uow.projects.get("p") == (project(), ledger())
        assert uow.projects.names() == {"p": "测试项目"}
        assert uow.systems.get(two_level_system().id) == two_level_system()
        assert [b.id for b in uow.band_sets.all()] == [national_bands().id]
        stored = uow.evaluations.get("e")
        assert stored is not None and stored.evaluation == evaluation({"A1": {}})
        assert stored.versions.evaluation.version == 1 and stored.versions.of_score("A1") == 1
        assert uow.evaluations.get("missing") is None and uow.projects.get("missing") is None


def test_headers_name_the_project_and_can_be_asked_for_one_evaluation(new_uow):
    with new_uow() as uow:
        (header,) = uow.evaluations.headers("e")
        assert (header.id, header.project, header.project_name, header.status) == (
            "e",
            "p",
            "测试项目",
            "草稿",
        )
        assert uow.evaluations.headers("missing") == []


def test_nothing_written_without_a_commit_is_seen_by_the_next_unit_of_work(new_uow):
    with new_uow() as uow:
        uow.evaluations.save_score("e", "A2", IndicatorScore(), 0, EVALUATOR)
    with new_uow() as uow:
        assert "A2" not in uow.evaluations.get("e").evaluation.scores


def test_a_score_is_inserted_updated_and_deleted_each_against_the_version_seen(new_uow):
    with new_uow() as uow:
        first = uow.evaluations.save_score("e", "A2", IndicatorScore(), 0, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        cut = IndicatorScore.model_validate({"deductions": [deduction(1)]})
        second = uow.evaluations.save_score("e", "A2", cut, first.version, EVALUATOR)
        uow.commit()
    assert (first.version, second.version) == (1, 2)
    with new_uow() as uow, pytest.raises(Conflict):
        uow.evaluations.save_score("e", "A2", IndicatorScore(), first.version, EVALUATOR)
    with new_uow() as uow:
        assert uow.evaluations.get("e").evaluation.scores["A2"] == cut
        assert uow.evaluations.save_score("e", "A2", None, second.version, EVALUATOR) is None
        uow.commit()
    with new_uow() as uow:
        assert "A2" not in uow.evaluations.get("e").evaluation.scores


def test_a_header_saved_on_an_old_version_is_refused_and_keeps_the_scores(new_uow):
    with new_uow() as uow:
        ev = uow.evaluations.get("e").evaluation
        stamp = uow.evaluations.save_header(
            ev.model_copy(update={"title": "新名称", "scores": {}}), 1, EVALUATOR
        )
        uow.commit()
    assert stamp.version == 2
    with new_uow() as uow, pytest.raises(Conflict):
        uow.evaluations.save_header(ev, 1, EVALUATOR)
    with new_uow() as uow:
        stored = uow.evaluations.get("e").evaluation
        assert stored.title == "新名称" and "A1" in stored.scores  # the header save leaves scores alone


def test_findings_are_appended_updated_reordered_and_deleted(new_uow):
    one, two = Finding(id="f1", title="资金到位不及时"), Finding(id="f2", title="制度不健全")
    with new_uow() as uow:
        uow.evaluations.save_item("e", "findings", one, 0, EVALUATOR)
        uow.evaluations.save_item("e", "findings", two, 0, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        uow.evaluations.save_item(
            "e", "findings", one.model_copy(update={"title": "资金到位滞后"}), 1, EVALUATOR
        )
        uow.evaluations.reorder("e", "findings", ["f2", "f1"], EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        stored = uow.evaluations.get("e")
        assert [(f.id, f.title) for f in stored.evaluation.findings] == [
            ("f2", "制度不健全"),
            ("f1", "资金到位滞后"),
        ]
        assert stored.versions.of_item("findings", "f1") == 2
        with pytest.raises(Conflict):
            uow.evaluations.delete_item("e", "findings", "f2", 5, EVALUATOR)
        uow.evaluations.delete_item("e", "findings", "f2", 1, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        assert [f.id for f in uow.evaluations.get("e").evaluation.findings] == ["f1"]


def test_a_project_is_updated_against_its_version(new_uow):
    with new_uow() as uow:
        assert uow.projects.stamp("p").version == 1
        renamed = project(name="测试项目（二期）")
        assert uow.projects.update(renamed, ledger(), 1, EVALUATOR).version == 2
        uow.commit()
    with new_uow() as uow, pytest.raises(Conflict):
        uow.projects.update(project(), ledger(), 1, EVALUATOR)
    with new_uow() as uow:
        assert uow.projects.names() == {"p": "测试项目（二期）"}


def test_many_projects_are_read_together_and_an_unknown_id_is_left_out(new_uow):
    with new_uow() as uow:
        uow.projects.add(project(id="q", name="另一项目", department="市水利局"), ledger(), EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        found = uow.projects.many(["p", "q", "nope"])
        assert sorted(found) == ["p", "q"] and found["q"][0].department == "市水利局"
        assert found["p"] == (project(), ledger()) and uow.projects.many([]) == {}
    with new_uow() as uow:
        uow.projects.update(project(name="改名"), ledger(), 1, EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        assert uow.projects.many(["p"])["p"][0].name == "改名"  # a cached copy never outlives a change


def test_an_evaluation_is_deleted_only_at_the_version_seen(new_uow):
    with new_uow() as uow, pytest.raises(Conflict):
        uow.evaluations.delete("e", 7)
    with new_uow() as uow:
        uow.evaluations.delete("e", 1)
        uow.commit()
    with new_uow() as uow:
        assert uow.evaluations.get("e") is None and uow.evaluations.headers() == []


def test_the_statuses_of_evaluations_are_read_by_id_status_and_project_in_id_order(new_uow):
    with new_uow() as uow:
        uow.evaluations.add(evaluation().model_copy(update={"id": "d", "status": "定稿"}), EVALUATOR)
        uow.commit()
    with new_uow() as uow:
        assert list(uow.evaluations.status_of().items()) == [("d", "定稿"), ("e", "草稿")]
        assert uow.evaluations.status_of(statuses={"草稿", "已提交"}) == {"e": "草稿"}
        assert uow.evaluations.status_of(ids={"e", "missing"}) == {"e": "草稿"}
        assert uow.evaluations.status_of(ids=["d", "e"], projects={"p"}) == {"d": "定稿", "e": "草稿"}
        assert uow.evaluations.status_of(projects={"other"}) == {}
        assert uow.evaluations.status_of(ids=[]) == {}
