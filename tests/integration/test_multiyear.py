"""A project across three years on real databases (SQLite file and PostgreSQL): the demo project's
2018 evaluation (定稿) → 下一年度评价 2019 → scored and 定稿 → 下一年度评价 2020.  Each year's
findings are carried as 整改 items, last year's actuals become the baselines, a 定稿 year is locked
(its targets and its ledger figures), and the 2019 report — both outlines — accounts for 2018's
problems in 上年度评价发现问题整改情况, while the 2018 report has no such section."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from actors import EVALUATOR, REVIEWER, add_accounts
from multiyear_steps import (
    DEMO,
    PROJECT,
    SECTION,
    TODAY,
    Y2018,
    Y2019,
    Y2020,
    complete_from_folder,
    docx_text,
    store_2018_targets,
)

from workbench.bootstrap import ensure_database
from workbench.errors import Conflict, InvalidInput
from workbench.services import cases, evaluations, periods, project_forms, stored_reports
from workbench.services import rectification as rect
from workbench.services.next_year import next_year
from workbench.storage.uow import Database


@pytest.fixture
def demo(database_url: str, database_templates) -> Iterator[Database]:
    """The app's database with the demo's 2018 evaluation (定稿) imported and its targets stored."""
    database_templates.copy(database_url, seed=True)
    db = ensure_database(database_url)
    add_accounts(db, EVALUATOR, REVIEWER)
    cases.import_case(db.uow(), EVALUATOR, DEMO / f"{PROJECT}-2018")
    store_2018_targets(db)
    yield db
    db.dispose()


def test_three_years_carry_findings_as_items_and_actuals_as_baselines_and_report_the_prior_year(demo):
    first = next_year(demo.uow(), EVALUATOR, Y2018, 2019, today=TODAY)
    new = evaluations.get_case(demo.uow(), EVALUATOR, first).case.evaluation
    items = rect.items_for_evaluation(demo.uow(), EVALUATOR, first)
    baselines = periods.open_period(demo.uow(), EVALUATOR, first).period.targets

    assert first == Y2019
    assert (new.year, new.status, new.prior_evaluation, new.system) == (
        2019,
        "草稿",
        Y2018,
        "mof-2020-generic",
    )
    assert new.title == "2019年度某县智慧水务监测平台运维项目（示例数据）绩效评价报告"
    assert not (new.scores or new.findings or new.recommendations or new.written)
    assert "对2019年度某县智慧水务" in new.intro
    assert [i.title for i in items] == ["运维考核办法不健全", "部分监测点长期离线"]
    assert {(i.source_evaluation, i.evaluation, i.status) for i in items} == {(Y2018, Y2019, "已下达")}
    assert [(t.name, t.baseline, t.target) for t in baselines] == [
        ("在线监测点数量", Decimal(112), None),
        ("数据上传及时率", Decimal(96), None),
    ]

    complete_from_folder(demo, Y2019, DEMO / f"{PROJECT}-2019")
    second = next_year(demo.uow(), EVALUATOR, Y2019, 2020, today=date(2020, 6, 30))
    carried = rect.items_for_evaluation(demo.uow(), EVALUATOR, second)
    assert second == Y2020
    assert [i.title for i in carried] == ["数据质量核验不足", "绩效目标未细化到年度"]
    assert {(i.source_year, i.evaluation) for i in carried} == {(2019, Y2020)}
    assert [i.title for i in rect.items_for_evaluation(demo.uow(), EVALUATOR, Y2019)] == [
        i.title for i in items
    ]

    for template, head in (("seed", "（一）运维考核办法不健全。"), ("mof2020", "1. 运维考核办法不健全。")):
        text = docx_text(stored_reports.report(demo.uow(), EVALUATOR, Y2019, template, charts=False).content)
        section = text[text.index(SECTION) : text.index("存在的问题", text.index(SECTION))]
        assert (
            "上年度（2018年度）绩效评价《2018年度某县智慧水务监测平台运维项目（示例数据）绩效评价报告》发现问题2个"
            in section
        )
        assert head in section and "部分监测点长期离线。" in section
        assert (
            "整改措施：" in section and "整改状态：已下达" in section and "整改期限：2020年6月30日" in section
        )
        last_year = docx_text(
            stored_reports.report(demo.uow(), EVALUATOR, Y2018, template, charts=False).content
        )
        assert SECTION not in last_year


def test_next_year_is_refused_before_定稿_for_an_earlier_year_and_for_a_year_the_project_has(demo):
    next_year(demo.uow(), EVALUATOR, Y2018, 2019, today=TODAY)

    with pytest.raises(Conflict, match="只有已定稿的评价才能开始下一年度评价"):
        next_year(demo.uow(), EVALUATOR, Y2019, 2020)
    with pytest.raises(InvalidInput, match="下一年度须晚于上年度评价的年度（2018年）"):
        next_year(demo.uow(), EVALUATOR, Y2018, 2018)
    with pytest.raises(Conflict, match=f"该项目已有 2019 年度的评价“{Y2019}”"):
        next_year(demo.uow(), EVALUATOR, Y2018, 2019, "another-2019")
    assert evaluations.get_case(demo.uow(), EVALUATOR, Y2019).case.evaluation.status == "草稿"
    with demo.uow() as uow:
        assert sorted(h.id for h in uow.evaluations.headers() if h.project == PROJECT) == [Y2018, Y2019]


def test_a_定稿_year_is_locked_for_its_targets_and_its_ledger_figures_while_the_next_year_stays_editable(
    demo,
):
    next_year(demo.uow(), EVALUATOR, Y2018, 2019, today=TODAY)
    locked = periods.open_period(demo.uow(), EVALUATOR, Y2018)
    assert not locked.editable and "2018年度的分年度绩效指标已随该年度评价" in locked.locked

    with pytest.raises(Conflict, match=f"2018年度的分年度绩效指标已随该年度评价“{Y2018}”定稿而锁定"):
        periods.save_period(demo.uow(), EVALUATOR, Y2018, [{"name": "新指标", "target": "1"}], locked.version)

    form = project_forms.open_ledger(demo.uow(), EVALUATOR, Y2019)
    assert form.locked_years == (2018,) and form.shared_with == ()
    tables = {
        k: [row.model_dump(mode="json") for row in getattr(form.ledger, k)]
        for k in ("plan", "years", "spend_lines")
    }
    changed_2018 = {
        **tables,
        "spend_lines": [{**tables["spend_lines"][0], "amount": "251"}, *tables["spend_lines"][1:]],
    }
    with pytest.raises(Conflict) as refused:
        project_forms.save_ledger(demo.uow(), EVALUATOR, Y2019, "900", changed_2018, form.version)
    assert "2018年度的资金台账（支出明细）已随该年度评价" in str(refused.value)
    assert project_forms.open_ledger(demo.uow(), EVALUATOR, Y2019).version == form.version

    lines = tables["spend_lines"]
    changed_2019 = {**tables, "spend_lines": [*lines[:2], {**lines[2], "amount": "271"}, *lines[3:]]}
    years = [{**y, "stated_spend": "291"} if y["year"] == 2019 else y for y in tables["years"]]
    saved = project_forms.save_ledger(
        demo.uow(), EVALUATOR, Y2019, "900", {**changed_2019, "years": years}, form.version
    )
    assert saved.project_id == PROJECT and saved.note == ""  # the project is shared across years, not copied


def test_a_deviation_beyond_the_threshold_needs_an_explanation_naming_the_indicator(demo):
    next_year(demo.uow(), EVALUATOR, Y2018, 2019, today=TODAY)
    form = periods.open_period(demo.uow(), EVALUATOR, Y2019)
    rows = [{"name": "在线监测点数量", "unit": "个", "baseline": "112", "target": "120", "actual": "100"}]

    with pytest.raises(
        InvalidInput,
        match=re.escape("“在线监测点数量”实际完成值与年度目标值偏差 16.67%，超过 10.00%，须填写偏差说明"),
    ):
        periods.save_period(demo.uow(), EVALUATOR, Y2019, rows, form.version)
    assert periods.open_period(demo.uow(), EVALUATOR, Y2019).version == form.version

    explained = [{**rows[0], "explanation": "8个监测点因管网改造临时拆除"}]
    stamp = periods.save_period(demo.uow(), EVALUATOR, Y2019, explained, form.version)
    stored = periods.open_period(demo.uow(), EVALUATOR, Y2019)
    assert stamp.version == stored.version == form.version + 1
    assert [(t.actual, t.explanation) for t in stored.period.targets] == [
        (Decimal(100), "8个监测点因管网改造临时拆除")
    ]
