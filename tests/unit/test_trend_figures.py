"""The trend's pure figures: per year, the 定稿 evaluation wins over a newer draft; 整改 items
count in the year whose evaluation found them, 销号 as closed and open ones past their deadline as
overdue; a year without a recorded payment shows —, not 0."""

from datetime import date
from decimal import Decimal as D

from factories import evaluation, national_bands, two_level_system

from workbench.domain.ledger import Ledger, PlanItem, YearFunds
from workbench.domain.rectification import RectificationItem
from workbench.domain.scoring import score_evaluation
from workbench.domain.trend import build_trend, table


def item(n: int, year: int, status: str, deadline: date) -> RectificationItem:
    return RectificationItem(
        id=f"i{n}",
        project="p",
        source_evaluation=f"e{year}",
        source_year=year,
        title=f"问题{n}",
        issued=date(year + 1, 1, 1),
        deadline=deadline,
        status=status,
    )


def test_the_final_evaluation_counts_and_items_are_tallied_in_the_year_that_found_them():
    system, bands = two_level_system(), national_bands()
    final = evaluation().model_copy(update={"id": "e2019", "year": 2019, "status": "定稿"})
    draft = evaluation().model_copy(update={"id": "e2019-copy", "year": 2019})
    scored = [
        (ev, score_evaluation(system, ev, bands), (ev.status == "定稿", t))
        for ev, t in ((final, 1.0), (draft, 9.0))
    ]
    ledger = Ledger(
        total_investment=D(200),
        plan=[PlanItem(year=2019, amount=D(100)), PlanItem(year=2020, amount=D(100))],
        years=[YearFunds(year=2019, received=D(100), paid=D(90), stated_spend=D(95))],
    )
    items = [
        item(1, 2019, "销号", date(2020, 3, 1)),
        item(2, 2019, "整改中", date(2020, 3, 1)),
        item(3, 2019, "已下达", date(2021, 3, 1)),
    ]

    trend = build_trend("p", "项目", ledger, scored, items, date(2020, 6, 1))

    first, _ = trend.years
    assert first.scores.evaluation_id == "e2019"
    assert (first.rectification.found, first.rectification.closed, first.rectification.overdue) == (3, 1, 1)
    rows = table(trend)
    assert (rows[0]["已支付（万元）"], rows[0]["执行率"], rows[0]["整改销号"]) == ("90.00", "95.00%", "1/3")
    assert (rows[1]["已支付（万元）"], rows[1]["累计支付（万元）"], rows[1]["评价状态"]) == (
        "—",
        "90.00",
        "未评价",
    )
