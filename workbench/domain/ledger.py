"""The project ledger: investment, multi-year payment plan, funds per year, spend lines, checks.

Amounts are ``Decimal`` in the unit they were recorded in; ``in_wan()`` converts to 万元 for sums.
Checks return findings with a message; they never change a recorded figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from workbench.domain.base import HUNDRED, NonNegative, StrictModel, fmt2, q2
from workbench.errors import InvalidInput

Unit = Literal["万元", "元"]
PER_WAN = {"万元": Decimal(1), "元": Decimal("0.0001")}
ZERO = Decimal(0)


def in_wan(amount: Decimal, unit: Unit) -> Decimal:
    return amount * PER_WAN[unit]


def _as_recorded(line: SpendLine) -> str:
    """A line's amount in 万元 with two decimals; one recorded in 元 as written (8.4元), since
    its 万元 figure would hide a unit slip."""
    return f"{fmt2(line.amount)} 万元" if line.unit == "万元" else f"{line.amount}{line.unit}"


class PlanItem(StrictModel):
    """One year of the multi-year payment plan (e.g. 2018: 1,835 万元)."""

    year: int = Field(ge=1990, le=2100)
    amount: NonNegative
    terms: str = ""


class YearFunds(StrictModel):
    """Funds of one year: arranged in the budget, received (到位), paid to the contractor."""

    year: int = Field(ge=1990, le=2100)
    arranged: NonNegative | None = None
    received: NonNegative | None = None
    paid: NonNegative | None = None
    stated_spend: NonNegative | None = None
    scope: str = ""  # what the arranged funds cover, in the report's words (e.g. 含项目监理等费用)
    note: str = ""


class SpendLine(StrictModel):
    year: int = Field(ge=1990, le=2100)
    category: str = Field(min_length=1)
    payee: str = ""
    amount: NonNegative
    unit: Unit = "万元"
    planned: bool = True
    note: str = ""
    source: str = ""
    written: str = ""  # the figure as the source wrote it, when a decision corrected it

    @property
    def wan(self) -> Decimal:
        return in_wan(self.amount, self.unit)


class SettlementBand(StrictModel):
    min: Decimal = Field(ge=0, le=100)
    share: Decimal = Field(ge=0, le=100)


class PaymentTerms(StrictModel):
    """Contract terms: an advance share at the start of the year, the rest by an O&M score."""

    from_year: int = Field(ge=1990, le=2100)
    advance_percent: Decimal = Field(ge=0, le=100)
    advance_when: str = "年初"
    settlement_when: str = "年末"
    basis: str = ""
    payee: str = ""  # who is paid, as the source names it (e.g. 中国电信)
    advance_item: str = ""  # what the contract pays from that year (e.g. 建设费)
    settlement_item: str = "其余款项"  # what the year-end assessment pays (e.g. 服务费)
    settlement: Literal["proportional", "bands"] = "bands"
    bands: list[SettlementBand] = Field(default=[])
    bands_assumed: bool = False  # the bands are not in the source: shown marked 假设 beside results
    note: str = ""

    @model_validator(mode="after")
    def _bands_when_banded(self) -> PaymentTerms:
        if self.settlement == "bands":
            mins = [b.min for b in self.bands]
            if not mins:
                raise ValueError("按档结算（settlement: bands）须列出考评分档（bands）")
            if mins != sorted(mins, reverse=True):
                raise ValueError("考评分档须从高到低排列")
        return self

    def settlement_share(self, om_score: Decimal) -> Decimal:
        """Percent of the remaining amount paid for a yearly O&M score."""
        if self.settlement == "proportional":
            return min(om_score, HUNDRED)
        return next((b.share for b in self.bands if om_score >= b.min), ZERO)


class PaymentDue(StrictModel):
    year: int
    contract_amount: Decimal
    advance: Decimal
    settlement_base: Decimal
    settlement_share: Decimal
    settlement: Decimal
    withheld: Decimal
    total: Decimal
    om_score: Decimal


class LedgerCheck(StrictModel):
    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    year: int | None = None
    subject: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class Ledger(StrictModel):
    unit: Literal["万元"] = "万元"
    total_investment: NonNegative
    plan: list[PlanItem] = Field(default=[])
    years: list[YearFunds] = Field(default=[])
    spend_lines: list[SpendLine] = Field(default=[])
    payment_terms: PaymentTerms | None = None

    # --- figures -------------------------------------------------------------------------

    def funds(self, year: int) -> YearFunds | None:
        return next((y for y in self.years if y.year == year), None)

    def lines(self, year: int) -> list[SpendLine]:
        return [line for line in self.spend_lines if line.year == year]

    def line_total(self, year: int) -> Decimal:
        return sum((line.wan for line in self.lines(year)), ZERO)

    def spend(self, year: int) -> Decimal:
        """Spend of a year as stated (the figure the report gives), else the sum of its lines."""
        funds = self.funds(year)
        if funds and funds.stated_spend is not None:
            return funds.stated_spend
        return self.line_total(year)

    def arranged_known(self, year: int) -> bool:
        """Whether the ledger records the funds arranged for ``year`` (else show —, not 0)."""
        funds = self.funds(year)
        return funds is not None and funds.arranged is not None

    def paid_known(self, year: int) -> bool:
        """Whether the ledger records what was paid in ``year`` (else show —, not 0)."""
        funds = self.funds(year)
        return funds is not None and funds.paid is not None

    def plan_total(self) -> Decimal:
        return sum((p.amount for p in self.plan), ZERO)

    def arrival_rate(self, year: int) -> Decimal | None:
        """到位率 = 实际到位 / 预算安排."""
        f = self.funds(year)
        if not f or f.received is None or not f.arranged:
            return None
        return f.received / f.arranged

    def execution_rate(self, year: int) -> Decimal | None:
        """执行率 = 实际支出 / 实际到位."""
        f = self.funds(year)
        if not f or not f.received:
            return None
        return self.spend(year) / f.received

    def plan_progress(self) -> list[dict[str, Decimal | int]]:
        """Per plan year: planned, arranged, paid, and the cumulative planned and paid."""
        rows: list[dict[str, Decimal | int]] = []
        cum_plan, cum_paid = ZERO, ZERO
        for item in sorted(self.plan, key=lambda p: p.year):
            funds = self.funds(item.year)
            paid = funds.paid if funds and funds.paid is not None else ZERO
            arranged = funds.arranged if funds and funds.arranged is not None else ZERO
            cum_plan += item.amount
            cum_paid += paid
            rows.append(
                {
                    "year": item.year,
                    "planned": item.amount,
                    "arranged": arranged,
                    "paid": paid,
                    "cumulative_planned": cum_plan,
                    "cumulative_paid": cum_paid,
                }
            )
        return rows

    # --- checks --------------------------------------------------------------------------

    def checks(self) -> list[LedgerCheck]:
        out: list[LedgerCheck] = []
        if self.plan and self.plan_total() != self.total_investment:
            out.append(
                LedgerCheck(
                    code="plan_total",
                    severity="error",
                    message=f"分年支付计划合计 {fmt2(self.plan_total())} 万元，与总投资 "
                    f"{fmt2(self.total_investment)} 万元不符（相差 {fmt2(self.plan_total() - self.total_investment)} 万元）",
                )
            )
        years = sorted({line.year for line in self.spend_lines} | {y.year for y in self.years})
        for year in years:
            out.extend(self._year_checks(year))
        return out

    def _year_checks(self, year: int) -> list[LedgerCheck]:
        out: list[LedgerCheck] = []
        funds = self.funds(year)
        lines = self.lines(year)
        if funds and funds.stated_spend is not None and lines:
            out.extend(self._sum_check(year, funds.stated_spend, lines))
        spent = self.spend(year)
        if funds and funds.arranged is not None and spent > funds.arranged:
            out.append(
                LedgerCheck(
                    code="over_arranged",
                    severity="warning",
                    year=year,
                    message=f"{year}年支出 {fmt2(spent)} 万元，超过当年安排资金 {fmt2(funds.arranged)} 万元 "
                    f"{fmt2(spent - funds.arranged)} 万元",
                )
            )
        unplanned = [line for line in lines if not line.planned]
        if unplanned:
            names = "、".join(f"{line.category} {_as_recorded(line)}" for line in unplanned)
            out.append(
                LedgerCheck(
                    code="unplanned",
                    severity="warning",
                    year=year,
                    message=f"{year}年支出含未列入预算安排的事项：{names}",
                )
            )
        return out

    def _sum_check(self, year: int, stated: Decimal, lines: list[SpendLine]) -> list[LedgerCheck]:
        total = sum((line.wan for line in lines), ZERO)
        if total == stated:
            return []
        for line in lines:
            other: Unit = "万元" if line.unit == "元" else "元"
            fixed = total - line.wan + in_wan(line.amount, other)
            if fixed == stated:
                return [
                    LedgerCheck(
                        code="unit_slip",
                        severity="warning",
                        year=year,
                        subject=line.category,
                        message=f"{year}年支出明细“{line.category}”记为 {line.amount}{line.unit}，"
                        f"按此合计为 {fmt2(total)} 万元，与所述支出 {fmt2(stated)} 万元不符；"
                        f"若为 {line.amount}{other}，合计正好相符——疑为单位笔误，请核实（未自动更正）",
                    )
                ]
        return [
            LedgerCheck(
                code="spend_sum",
                severity="error",
                year=year,
                message=f"{year}年支出明细合计 {fmt2(total)} 万元，与所述支出 {fmt2(stated)} 万元不符"
                f"（相差 {fmt2(total - stated)} 万元）",
            )
        ]

    # --- contract payments ---------------------------------------------------------------

    def payment_due(self, year: int, om_score: Decimal) -> PaymentDue:
        terms = self.payment_terms
        if terms is None:
            raise InvalidInput("案例未载明付款条款（payment_terms），无法计算应付金额")
        if not ZERO <= om_score <= HUNDRED:
            raise InvalidInput(f"运维考评得分应在 0–100 之间，填写的是 {om_score}")
        if year < terms.from_year:
            raise InvalidInput(f"付款条款自 {terms.from_year} 年起执行，{year} 年不适用")
        item = next((p for p in self.plan if p.year == year), None)
        if item is None:
            years = "、".join(str(p.year) for p in self.plan)
            raise InvalidInput(f"支付计划中没有 {year} 年（计划年度：{years}）")
        advance = q2(item.amount * terms.advance_percent / HUNDRED)
        base = item.amount - advance
        share = terms.settlement_share(om_score)
        settlement = q2(base * share / HUNDRED)
        return PaymentDue(
            year=year,
            contract_amount=item.amount,
            advance=advance,
            settlement_base=q2(base),
            settlement_share=share,
            settlement=settlement,
            withheld=q2(base - settlement),
            total=advance + settlement,
            om_score=om_score,
        )
