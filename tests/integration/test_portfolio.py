"""绩效评价总览 on a real SQLite file and PostgreSQL: which evaluations a year or a department
shows, and that the distribution and the department comparison add up to the stored scores."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from actors import CLI, EVALUATOR, EXPERT, LEADER, UNIT, add_accounts
from portfolio_cases import store, store_plan

from workbench.services import cases, evaluations, rectification
from workbench.services.portfolio import portfolio


@pytest.fixture
def bureau(empty_db):
    """Five synthetic evaluations (two departments, 2024 and 2023) and one not scored yet."""
    ids = store_plan(empty_db)
    project = {"name": "未评分项目", "year": 2024, "department": "市教育局", "unit": {"name": "某学校"}}
    ids[6] = cases.new_evaluation(empty_db.uow(), CLI, project, "synthetic", "b", evaluation_id="draft-2024")
    return empty_db, ids


def test_a_year_shows_its_evaluations_with_department_score_grade_money_and_status(bureau):
    db, ids = bureau
    view = portfolio(db.uow(), CLI, year=2024)
    rows = {r.evaluation_id: r for r in view.rows}
    assert set(rows) == {ids[n] for n in (1, 2, 3, 4, 6)}
    second = rows[ids[2]]
    assert (second.department, second.score, second.grade, second.status) == (
        "市教育局",
        Decimal("78.36"),
        "中",
        "草稿",
    )
    assert (second.arranged, second.spent) == (Decimal("1250.5"), Decimal(500))  # its ten spend lines
    assert rows[ids[4]].arranged is None and rows[ids[4]].grade == "差"
    assert rows["draft-2024"].score is None and rows["draft-2024"].grade == "未评分"
    assert view.years == [2024, 2023] and view.department_names == ["市卫生健康委", "市教育局"]


def test_the_scores_shown_are_the_stored_totals_of_the_evaluation_list(bureau):
    db, _ = bureau
    listed = {s.id: s.total for s in evaluations.list_evaluations(db.uow(), CLI) if not s.unscored}
    shown = {r.evaluation_id: r.score for r in portfolio(db.uow(), CLI).rows if r.score is not None}
    assert shown == listed and len(shown) == 5


def test_a_department_filter_keeps_only_its_evaluations_and_the_year_filter(bureau):
    db, ids = bureau
    view = portfolio(db.uow(), CLI, year=2024, department="市卫生健康委")
    assert {r.evaluation_id for r in view.rows} == {ids[3], ids[4]}
    assert view.title == "绩效评价总览（2024年度，市卫生健康委）"
    assert portfolio(db.uow(), CLI, year=2019).rows == []


def test_the_grade_distribution_counts_each_grade_best_first_and_unscored_last(bureau):
    db, _ = bureau
    assert portfolio(db.uow(), CLI, year=2024).grades == {"良": 2, "中": 1, "差": 1, "未评分": 1}


def test_the_department_comparison_counts_averages_and_sums_the_rows(bureau):
    db, _ = bureau
    lines = {d.department: d for d in portfolio(db.uow(), CLI, year=2024).departments}
    education, health = lines["市教育局"], lines["市卫生健康委"]
    assert (education.count, education.scored) == (3, 2)
    assert education.mean_score == Decimal("80.86")  # (83.36 + 78.36) / 2; the draft is not scored
    assert education.arranged == Decimal("1750.5")
    assert (health.count, health.mean_score, health.arranged) == (2, Decimal("70.86"), Decimal("300"))
    assert [d.department for d in portfolio(db.uow(), CLI, year=2024).departments] == [
        "市教育局",
        "市卫生健康委",
    ]


def test_a_project_unit_sees_only_its_own_projects_and_a_leader_sees_all(bureau):
    db, ids = bureau
    add_accounts(db, UNIT, LEADER, projects=("synthetic-3",))
    assert [r.evaluation_id for r in portfolio(db.uow(), UNIT).rows] == [ids[3]]
    assert len(portfolio(db.uow(), LEADER).rows) == 6


def test_money_of_a_year_the_ledger_does_not_record_is_unknown_not_zero(empty_db):
    store(empty_db, 9, year=2022, arranged=None)
    (row,) = portfolio(empty_db.uow(), CLI).rows
    assert row.arranged is None and row.spent == Decimal(500)  # its ten spend lines of 50


def test_overdue_rectification_counts_the_open_items_past_their_deadline_of_each_evaluation(bureau):
    db, ids = bureau
    issued = rectification.issue_items(db.uow(), EVALUATOR, ids[5], ids[1], today=date(2024, 1, 2))
    assert len(issued) == 2  # the findings F1, F2 of the 2023 evaluation, carried into 2024
    deadline = rectification.get_item(db.uow(), EVALUATOR, issued[0]).item.deadline
    late = {
        r.evaluation_id: r.overdue for r in portfolio(db.uow(), CLI, today=deadline + timedelta(days=1)).rows
    }
    assert late[ids[5]] == 2 and late[ids[1]] == 0
    on_time = portfolio(db.uow(), CLI, year=2023, today=deadline)
    assert on_time.rows[0].overdue == 0 and on_time.departments[0].overdue == 0
    lines = portfolio(db.uow(), CLI, year=2023, today=deadline + timedelta(days=1)).departments
    assert [(d.department, d.overdue) for d in lines] == [("市教育局", 2)]


def test_overdue_is_unknown_not_zero_for_a_role_that_may_not_read_the_rectification_ledger(bureau):
    db, _ = bureau
    add_accounts(db, EXPERT)
    assert {r.overdue for r in portfolio(db.uow(), EXPERT).rows} == {None}
