"""Rules of a project across years: when a deviation needs an explanation, what the next period
starts from, how the report words a carried 整改 item (no blanks, no placeholders), and which
years of a ledger are locked (on the in-memory fake)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from factories import evaluation
from pydantic import ValidationError
from service_fakes import EVALUATOR, stocked_uow

from workbench.domain.ledger import Ledger
from workbench.domain.multiyear import Period, PeriodTarget
from workbench.domain.rectification import RectificationItem
from workbench.reports.prior import item_detail, prior_part
from workbench.services.periods import locked_ledger_changes, locked_years

TEN = D(10)


def period(*targets: PeriodTarget) -> Period:
    return Period(project="p", year=2019, targets=list(targets))


def test_a_deviation_of_exactly_the_threshold_needs_no_explanation_and_one_beyond_it_does():
    at_limit = PeriodTarget(name="覆盖率", target=D(100), actual=D(90))
    beyond = PeriodTarget(name="及时率", target=D(100), actual=D("89.9"))

    problems = period(at_limit, beyond).unexplained(TEN)

    assert [p.message for p in problems] == [
        "“及时率”实际完成值与年度目标值偏差 10.10%，超过 10.00%，须填写偏差说明"
    ]
    assert problems[0].place == "分年度绩效指标·2019年 第 2 行" and problems[0].field == "偏差说明"


def test_an_explained_deviation_or_one_without_a_target_or_actual_passes():
    explained = PeriodTarget(name="覆盖率", target=D(100), actual=D(50), explanation="管网改造")
    no_actual = PeriodTarget(name="及时率", target=D(100))
    zero_target = PeriodTarget(name="事故数", target=D(0), actual=D(2))

    assert period(explained, no_actual, zero_target).unexplained(TEN) == []


def test_the_next_period_takes_this_years_actuals_as_baselines_and_leaves_targets_to_set():
    measured = PeriodTarget(name="覆盖率", unit="%", baseline=D(80), target=D(95), actual=D(93))
    unmeasured = PeriodTarget(name="满意度", unit="%", baseline=D(85), target=D(90))

    following = period(measured, unmeasured).next_year(2020)

    assert following.year == 2020
    assert [(t.name, t.unit, t.baseline, t.target, t.actual) for t in following.targets] == [
        ("覆盖率", "%", D(93), None, None),
        ("满意度", "%", D(85), None, None),
    ]


def test_an_indicator_listed_twice_in_a_year_is_refused():
    with pytest.raises(ValidationError, match="绩效指标“覆盖率”重复"):
        period(PeriodTarget(name="覆盖率"), PeriodTarget(name="覆盖率"))


def test_a_carried_item_is_worded_from_what_it_has_and_a_pending_extension_is_named_beside_the_deadline():
    item = RectificationItem(
        id="i1",
        project="p",
        source_evaluation="e2018",
        source_year=2018,
        title="专业技术人才不足",
        issued=date(2019, 6, 1),
        deadline=date(2020, 6, 1),
        extension_until=date(2020, 12, 31),
        status="申请延期",
    )

    assert item_detail(item) == "整改期限：2020年6月1日（已申请延期至2020年12月31日）；整改状态：申请延期。"
    part = prior_part(None)
    assert part == {"present": False, "rows": []}


def test_a_year_is_locked_by_its_定稿_evaluation_before_one_under_review_and_only_that_years_figures():
    uow = stocked_uow()
    with uow:
        for eid, year, status in (("r24", 2024, "已提交"), ("f24", 2024, "定稿"), ("s25", 2025, "已复核")):
            uow.evaluations.add(
                evaluation().model_copy(update={"id": eid, "year": year, "status": status}), EVALUATOR
            )
        uow.evaluations.add(evaluation().model_copy(update={"id": "d26", "year": 2026}), EVALUATOR)
        locks = locked_years(uow, "p")
    before = Ledger.model_validate(
        {"total_investment": 100, "years": [{"year": y, "arranged": 10} for y in (2024, 2025, 2026)]}
    )
    after = Ledger.model_validate(
        {"total_investment": 100, "years": [{"year": y, "arranged": 11} for y in (2024, 2025, 2026)]}
    )

    assert {y: (lock.evaluation_id, lock.status) for y, lock in locks.items()} == {
        2024: ("f24", "定稿"),
        2025: ("s25", "已复核"),
    }
    assert [p.message for p in locked_ledger_changes(before, after, locks)] == [
        "2024年度的资金台账（年度资金）已随该年度评价“f24”定稿而锁定，不能修改；如确需修改，请先由有权限的人员将该评价“重新打开”",
        "2025年度的评价“s25”处于“已复核”状态（复核中），2025年度的资金台账（年度资金）暂不能修改",
    ]
