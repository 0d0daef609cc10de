"""A project across years in the app: 项目总览 of a 定稿 evaluation starts the next year's draft
(下一年度评价) and selects it; 项目信息 holds that year's indicator targets (分年度绩效指标), where a
deviation beyond the threshold needs an explanation and a 定稿 year is locked."""

from __future__ import annotations

import pytest
from multiyear_steps import DEMO, PROJECT, Y2018, Y2019
from screen import fill, texts
from signin import PAGE_USER

from workbench.services import cases, evaluations, periods
from workbench.services import rectification as rect
from workbench.services.next_year import next_year

YIYANG = "yiyang-smart-brain-2018-eval"
NEXT = "yiyang-smart-brain-2018-2019-eval"


def click(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_the_overview_of_a_定稿_evaluation_starts_the_next_year_and_selects_it(open_page, app_db):
    at = open_page("overview")
    at = click(at, "开始下一年度评价")

    assert not at.error, texts(at.error)
    assert at.sidebar.selectbox(key="evaluation_picker").value == NEXT
    assert any(f"已开始 2019 年度评价：{NEXT}" in s for s in texts(at.success))
    items = rect.items_for_evaluation(app_db.uow(), PAGE_USER, NEXT)
    assert [i.title for i in items] == ["该项目后期维护与管理有待加强", "专业技术人才不足"]
    assert "开始下一年度评价" not in [b.label for b in at.button]  # the 2019 draft is not 定稿
    started = evaluations.get_case(app_db.uow(), PAGE_USER, NEXT).case.evaluation
    assert started.evaluator.unnamed == ""  # 2018's “原报告未具名” says nothing of 2019's report


@pytest.fixture(scope="module")
def demo_2019(app_db) -> str:
    """The demo project's 2019 draft, started from its 定稿 2018 evaluation."""
    cases.import_case(app_db.uow(), PAGE_USER, DEMO / f"{PROJECT}-2018")
    return next_year(app_db.uow(), PAGE_USER, Y2018, 2019)


def test_the_years_targets_need_an_explanation_beyond_the_threshold_then_save(open_page, app_db, demo_2019):
    at = open_page("project", demo_2019)
    assert any("实际完成值与年度目标值偏差超过 10% 时，须填写偏差说明" in c for c in texts(at.caption))
    prefix = f"period:{demo_2019}:targets:0"
    fill(at, prefix, {"name": "政务服务事项网上可办率", "unit": "%", "target": "90", "actual": "70"})
    at = click(at, "保存分年度绩效指标")

    assert any("“政务服务事项网上可办率”实际完成值与年度目标值偏差 22.22%" in e for e in texts(at.error))
    assert periods.open_period(app_db.uow(), PAGE_USER, demo_2019).version == 0

    fill(at, prefix, {"explanation": "部分事项需线下核验，暂未上线"})
    at = click(at, "保存分年度绩效指标")
    assert not at.error, texts(at.error)
    stored = periods.open_period(app_db.uow(), PAGE_USER, Y2019).period.targets
    assert [(t.name, str(t.actual), t.explanation) for t in stored] == [
        ("政务服务事项网上可办率", "70", "部分事项需线下核验，暂未上线")
    ]


def test_a_定稿_years_targets_are_locked_with_the_reason_on_the_page(open_page):
    at = open_page("project", YIYANG)

    assert "分年度绩效指标（2018年）" in texts(at.subheader)
    assert any(f"2018年度的分年度绩效指标已随该年度评价“{YIYANG}”定稿而锁定" in s for s in texts(at.info))
    assert at.text_input(key=f"period:{YIYANG}:targets:0:name").disabled
