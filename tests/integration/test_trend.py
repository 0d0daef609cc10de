"""The project's trend on SQLite and PostgreSQL, and ``workbench trend`` as a user runs it: each
year's total and level-1 scores are the stored evaluations' own, money is against the plan in 万元,
and the 整改 items of a year are counted (overdue on the day asked)."""

from __future__ import annotations

from datetime import date

import pytest
from actors import EVALUATOR, LEADER, YIYANG, YIYANG_PROJECT, add_accounts

from workbench.domain.trend import table
from workbench.services import cases, evaluations, rectification, trend


@pytest.fixture
def two_years(seeded_db) -> str:
    """A 2019 evaluation of the Yiyang project (a copy of 2018 with B21's deductions removed)
    and the 2018 problems carried into it as 整改 items; returns the 2019 evaluation's id."""
    add_accounts(seeded_db, EVALUATOR, LEADER)
    later = cases.copy_evaluation(seeded_db.uow(), EVALUATOR, YIYANG, "yiyang-2019", year=2019)
    page = evaluations.get_case(seeded_db.uow(), EVALUATOR, later)
    entry = page.case.evaluation.scores["B21"].model_copy(update={"deductions": []})
    evaluations.save_score(seeded_db.uow(), EVALUATOR, later, "B21", entry, page.versions.of_score("B21"))
    rectification.issue_items(seeded_db.uow(), EVALUATOR, YIYANG, later, today=date(2019, 7, 1))
    return later


def test_each_years_scores_are_the_stored_evaluations_own(seeded_db, two_years):
    found = trend.project_trend(seeded_db.uow(), LEADER, YIYANG_PROJECT, today=date(2019, 8, 1))

    by_year = {row.year: row for row in found.years}
    assert sorted(by_year) == list(range(2018, 2026))
    for year, evaluation_id in ((2018, YIYANG), (2019, two_years)):
        card = evaluations.scorecard(seeded_db.uow(), LEADER, evaluation_id)
        scores = by_year[year].scores
        assert (scores.evaluation_id, scores.total, scores.grade) == (evaluation_id, card.total, card.grade)
        assert scores.levels == tuple((n.name, n.score) for n in card.nodes)
    assert by_year[2019].scores.total > by_year[2018].scores.total  # B21's deductions removed in 2019
    assert by_year[2020].scores is None


def test_money_runs_against_the_plan_and_the_2018_problems_count_as_that_years_items(seeded_db, two_years):
    rows = {r["年度"]: r for r in table(trend.project_trend(seeded_db.uow(), LEADER, YIYANG_PROJECT))}

    assert rows["2018"]["计划（万元）"] == "1,835.00" and rows["2018"]["执行率"] == "100.01%"
    assert rows["2025"]["累计计划（万元）"] == "14,680.00"
    assert rows["2018"]["已支付（万元）"] == "—"  # the source states no payment: never 0
    assert rows["2018"]["整改销号"] == "0/2" and rows["2019"]["整改销号"] == "0/0"

    on_time = trend.project_trend(seeded_db.uow(), LEADER, YIYANG_PROJECT, today=date(2019, 8, 1))
    late = trend.project_trend(seeded_db.uow(), LEADER, YIYANG_PROJECT, today=date(2030, 1, 1))
    assert (on_time.years[0].rectification.overdue, late.years[0].rectification.overdue) == (0, 2)


def test_workbench_trend_prints_each_year_with_scores_money_and_items(seeded_db, two_years, run):
    result = run("trend", YIYANG_PROJECT)

    assert result.exit_code == 0, result.output
    out = result.output
    assert "益阳智慧大脑+政务服务项目（yiyang-smart-brain-2018）历年情况" in out
    assert "2018年  总分 83.00  等级 良好  评价 yiyang-smart-brain-2018-eval（定稿）" in out
    assert "一级指标：项目决策 16.00；项目管理 31.00；项目绩效 36.00" in out
    assert "2019年  总分 85.00  等级 良好  评价 yiyang-2019（草稿）" in out
    assert "2020年  未评价" in out
    assert "整改：销号/发现 0/2" in out
    assert "分年支付计划合计 14,680.00 万元" in out


def test_workbench_trend_of_an_unknown_project_says_so_in_chinese(seeded_db, run):
    result = run("trend", "no-such-project")

    assert result.exit_code != 0
    assert "找不到项目“no-such-project”" in result.output
