"""The services the app's pages added: the picker's choices and save-and-open, on SQLite and on
PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from actors import EVALUATOR, SYSADMIN, UNIT, YIYANG

from workbench.errors import Forbidden
from workbench.services import evaluations
from workbench.services.choices import EvaluationChoice, evaluation_choices


def test_the_picker_choices_name_each_evaluation_by_year_name_and_status(seeded_db):
    choices = evaluation_choices(seeded_db.uow(), EVALUATOR)

    title = "2018年度益阳智慧大脑+政务服务项目资金绩效评价报告"
    assert choices == [EvaluationChoice(YIYANG, "益阳智慧大脑+政务服务项目", 2018, "定稿", title)]
    assert choices[0].label == f"2018 · {title}（定稿）"
    assert choices[0].short_label() == "2018 益阳智慧大脑+…（定稿）"  # fits the sidebar at 1366


def test_a_project_unit_without_the_project_on_its_account_is_offered_no_evaluation(seeded_db):
    assert evaluation_choices(seeded_db.uow(), UNIT) == []


def test_an_administrator_outside_the_business_is_refused_the_list(seeded_db):
    with pytest.raises(Forbidden):
        evaluation_choices(seeded_db.uow(), SYSADMIN)


def test_save_and_open_returns_the_evaluation_exactly_as_a_fresh_load_shows_it(editable_db):
    before = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    entry = before.case.evaluation.scores["A22"].model_dump()
    entry["deductions"][0]["points"] = Decimal("1")

    opened = evaluations.save_score_and_open(
        editable_db.uow(), EVALUATOR, YIYANG, "A22", entry, before.versions.of_score("A22")
    )

    fresh = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    assert opened.scorecard.total == fresh.scorecard.total == Decimal("84.00")
    assert opened.case.evaluation == fresh.case.evaluation
    assert opened.versions == fresh.versions
    assert opened.versions.of_score("A22") == before.versions.of_score("A22") + 1
