"""Ledger figures and checks: findings with a message, never a silent fix."""

from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from workbench.domain.ledger import Ledger
from workbench.errors import InvalidInput


def ledger(**over) -> Ledger:
    raw = {
        "total_investment": 14680,
        "plan": [{"year": y, "amount": 1835} for y in range(2018, 2026)],
        "years": [{"year": 2018, "arranged": 1905, "received": 1905, "paid": 1835, "stated_spend": "1905.2"}],
        "spend_lines": [
            {"year": 2018, "category": "软硬件建设费", "amount": 1835},
            {"year": 2018, "category": "监理费", "amount": 38},
            {"year": 2018, "category": "新增软硬件设备", "amount": "20.8", "planned": False},
            {"year": 2018, "category": "空调维修费", "amount": "8.4", "unit": "元", "planned": False},
            {"year": 2018, "category": "资料打印及其他费", "amount": 3},
        ],
        "payment_terms": {
            "from_year": 2019,
            "advance_percent": 50,
            "settlement": "bands",
            "bands": [{"min": 90, "share": 100}, {"min": 60, "share": 80}, {"min": 0, "share": 0}],
        },
    }
    raw.update(over)
    return Ledger.model_validate(raw)


def codes(led: Ledger) -> list[str]:
    return [c.code for c in led.checks()]


def test_air_conditioning_line_in_yuan_is_flagged_as_unit_slip():
    slip = next(c for c in ledger().checks() if c.code == "unit_slip")
    assert slip.subject == "空调维修费"
    assert "记为 8.4元" in slip.message and "若为 8.4万元，合计正好相符" in slip.message
    assert "按此合计为 1,896.80 万元，与所述支出 1,905.20 万元不符" in slip.message  # one number format
    assert "1,905.20 万元" in slip.message


def test_the_unit_slip_is_not_silently_fixed():
    led = ledger()
    line = next(li for li in led.spend_lines if li.category == "空调维修费")
    assert (line.amount, line.unit) == (D("8.4"), "元")
    assert led.spend(2018) == D("1905.2")  # the stated figure, not a corrected sum


def test_lines_in_wan_that_sum_to_the_stated_spend_raise_no_sum_finding():
    lines = ledger().model_dump()["spend_lines"]
    lines[3]["unit"] = "万元"
    assert "unit_slip" not in codes(ledger(spend_lines=lines))
    assert "spend_sum" not in codes(ledger(spend_lines=lines))


def test_lines_that_do_not_sum_and_no_unit_explains_it():
    lines = ledger().model_dump()["spend_lines"]
    lines[1]["amount"] = 40
    check = next(c for c in ledger(spend_lines=lines).checks() if c.code == "spend_sum")
    assert (
        "合计 1,898.80 万元，与所述支出 1,905.20 万元不符（相差 -6.40 万元）" in check.message
    )  # one number format


def test_plan_must_sum_to_total_investment():
    led = ledger(plan=[{"year": y, "amount": 1835} for y in range(2018, 2025)])
    check = next(c for c in led.checks() if c.code == "plan_total")
    assert check.severity == "error"
    assert "合计 12,845.00 万元，与总投资 14,680.00 万元不符（相差 -1,835.00 万元）" in check.message


def test_eight_years_of_1835_make_14680():
    led = ledger()
    assert led.plan_total() == D(14680)
    assert "plan_total" not in codes(led)


def test_spend_above_arranged_and_unplanned_lines_are_warned():
    checks = {c.code: c for c in ledger().checks()}
    assert "超过当年安排资金 1,905.00 万元 0.20 万元" in checks["over_arranged"].message
    assert "新增软硬件设备 20.80 万元" in checks["unplanned"].message


def test_arrival_and_execution_rates():
    led = ledger()
    assert led.arrival_rate(2018) == D(1)
    assert round(led.execution_rate(2018), 6) == D("1.000105")


def test_plan_progress_accumulates_paid_against_planned():
    rows = ledger().plan_progress()
    assert (rows[0]["cumulative_planned"], rows[0]["cumulative_paid"]) == (D(1835), D(1835))
    assert (rows[-1]["cumulative_planned"], rows[-1]["cumulative_paid"]) == (D(14680), D(1835))


@pytest.mark.parametrize("bad", [-1, "-0.01"])
def test_negative_money_is_rejected(bad):
    with pytest.raises(ValidationError, match=r"greater than or equal"):
        ledger(total_investment=bad)


def test_non_numeric_money_is_rejected():
    with pytest.raises(ValidationError):
        ledger(total_investment="一万四千")


def test_an_unknown_unit_is_rejected():
    lines = ledger().model_dump()["spend_lines"]
    lines[0]["unit"] = "千元"
    with pytest.raises(ValidationError):
        ledger(spend_lines=lines)


@pytest.mark.parametrize(
    ("om", "settlement", "total"),
    [
        ("92", "917.50", "1835.00"),
        ("90", "917.50", "1835.00"),
        ("89.99", "734.00", "1651.50"),
        ("59", "0.00", "917.50"),
    ],
)
def test_payment_due_is_half_at_the_start_and_the_rest_by_the_om_score(om, settlement, total):
    due = ledger().payment_due(2019, D(om))
    assert due.advance == D("917.50")
    assert (due.settlement, due.total) == (D(settlement), D(total))


def test_proportional_settlement_pays_the_score_share():
    terms = {"from_year": 2019, "advance_percent": 50, "settlement": "proportional"}
    due = ledger(payment_terms=terms).payment_due(2020, D("85"))
    assert due.settlement == D("779.88")  # 917.50 × 85 %


@pytest.mark.parametrize(
    ("year", "om", "message"),
    [
        (2018, "92", "自 2019 年起执行"),
        (2030, "92", "支付计划中没有 2030 年"),
        (2019, "101", "应在 0–100 之间"),
    ],
)
def test_payment_due_refuses_impossible_requests(year, om, message):
    with pytest.raises(InvalidInput, match=message):
        ledger().payment_due(year, D(om))
