"""The ledger's part of a report context: investment, the payment plan, spend lines, terms.

Every amount is formatted from the ledger as the evaluator decided it (万元, two decimals): a
correction recorded on a ledger warning is applied before this (``ledger_decisions.decided``);
check results never reach the document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workbench.domain.base import fmt2, pct
from workbench.domain.ledger import Ledger, SpendLine

DASH = "—"


def _num(value: Decimal) -> str:
    """A percentage or count as written in prose: 50 -> '50', 12.5 -> '12.5'."""
    return format(value.normalize(), "f")


def money_part(ledger: Ledger, year: int) -> dict[str, Any]:
    """Headline figures for the narrative (总投资, 分年计划, 当年安排/到位/支出)."""
    plan = sorted(ledger.plan, key=lambda p: p.year)
    amounts = {p.amount for p in plan}
    funds = ledger.funds(year)
    return {
        "unit": ledger.unit,
        "total_investment": fmt2(ledger.total_investment),
        "has_plan": bool(plan),
        "plan_years": len(plan),
        "plan_first": plan[0].year if plan else "",
        "plan_last": plan[-1].year if plan else "",
        # "2018—2025", or "2024" alone for a one-year plan (never "2024—2024")
        "plan_span": _span(plan[0].year, plan[-1].year) if plan else "",
        "plan_uniform": len(amounts) == 1,
        "plan_yearly": fmt2(plan[0].amount) if len(amounts) == 1 else "",
        "plan_total": fmt2(ledger.plan_total()),
        "year": year,
        "has_funds": funds is not None,
        "arranged": fmt2(funds.arranged) if funds else DASH,
        "arranged_scope": funds.scope if funds else "",
        "received": fmt2(funds.received) if funds else DASH,
        "paid": fmt2(funds.paid) if funds else DASH,
        "spend": fmt2(ledger.spend(year)),
        "arrival_rate": pct(ledger.arrival_rate(year)),
        "execution_rate": pct(ledger.execution_rate(year)),
        "funds_text": funds_text(ledger, year),
    }


def funds_text(ledger: Ledger, year: int) -> str:
    """The year's funds in one sentence, for a ledger without spend lines (a sparse case):
    2021年，项目资金到位150.00万元，实际支出149.70万元，预算执行率99.80%。"""
    funds = ledger.funds(year)
    if funds is None or ledger.lines(year):
        return ""
    parts = [f"资金到位{fmt2(funds.received)}万元"] if funds.received is not None else []
    spent = ledger.spend(year)
    if funds.stated_spend is not None:
        parts.append(f"实际支出{fmt2(spent)}万元")
        rate = ledger.execution_rate(year)
        parts += [f"预算执行率{pct(rate)}"] if rate is not None else []
    return f"{year}年，项目" + "，".join(parts) + "。" if parts else ""


def _spend_row(i: int, line: SpendLine) -> dict[str, Any]:
    """One spend line in 万元 (a line recorded in 元 is converted, never printed in another unit)."""
    return {
        "no": i,
        "category": line.category,
        "payee": line.payee or DASH,
        "amount": fmt2(line.wan),
        "amount_text": f"{fmt2(line.wan)}万元",
        "planned": "是" if line.planned else "否",
        "note": line.note,
    }


def spend_part(ledger: Ledger, year: int) -> dict[str, Any]:
    """The year's spend lines (as decided by the evaluator) and the stated total."""
    lines = ledger.lines(year)
    total, line_total = ledger.spend(year), ledger.line_total(year)
    return {
        "year": year,
        "has_lines": bool(lines),
        "rows": [_spend_row(i, line) for i, line in enumerate(lines, 1)],
        "total": fmt2(total),
        "line_total": fmt2(line_total),
        "differs": bool(lines) and total != line_total,
        "unplanned": [line.category for line in lines if not line.planned],
    }


def paid_known(ledger: Ledger, year: int) -> bool:
    """Whether the ledger records what was paid in ``year`` (else the report shows —, not 0)."""
    return ledger.paid_known(year)


def plan_part(ledger: Ledger) -> dict[str, Any]:
    """The multi-year payment plan with what was arranged and paid where the ledger records it."""
    rows = []
    for r in ledger.plan_progress():
        funds = ledger.funds(int(r["year"]))
        known = paid_known(ledger, int(r["year"]))
        item = next(p for p in ledger.plan if p.year == r["year"])
        rows.append(
            {
                "year": r["year"],
                "planned": fmt2(r["planned"]),
                "arranged": fmt2(funds.arranged) if funds else DASH,
                "paid": fmt2(r["paid"]) if known else DASH,
                "cumulative_planned": fmt2(r["cumulative_planned"]),
                "cumulative_paid": fmt2(r["cumulative_paid"]) if known else DASH,
                "terms": item.terms,
            }
        )
    arranged = sum((y.arranged for y in ledger.years if y.arranged is not None), Decimal(0))
    paid = sum((y.paid for y in ledger.years if y.paid is not None), Decimal(0))
    return {
        "rows": rows,
        "total_planned": fmt2(ledger.plan_total()),
        "total_arranged": fmt2(arranged),
        "total_paid": fmt2(paid) if any(y.paid is not None for y in ledger.years) else DASH,
        "matches_investment": ledger.plan_total() == ledger.total_investment,
    }


def terms_part(ledger: Ledger) -> dict[str, Any]:
    terms = ledger.payment_terms
    if terms is None:
        keys = ("from_year", "advance_percent", "advance_when", "settlement_when", "basis", "note")
        keys += ("payee", "advance_item", "settlement_item")
        return {"exists": False, **dict.fromkeys(keys, "")}
    return {
        "exists": True,
        "from_year": terms.from_year,
        "advance_percent": _num(terms.advance_percent),
        "advance_when": terms.advance_when,
        "settlement_when": terms.settlement_when,
        "basis": terms.basis,
        "payee": terms.payee,
        "advance_item": terms.advance_item,
        "settlement_item": terms.settlement_item,
        "note": terms.note,
    }


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}—{last}"
