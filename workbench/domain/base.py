"""Shared building blocks of the domain models."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class StrictModel(BaseModel):
    """A model that refuses unknown keys, so a typo in a data file is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def q2(value: Decimal) -> Decimal:
    """Round to two decimals the way a calculator on a finance desk does (half up)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt2(value: Decimal | None) -> str:
    """Two decimals with thousands separators: 14680 -> '14,680.00'."""
    if value is None:
        return "—"
    return f"{q2(Decimal(value)):,.2f}"


def pct(value: Decimal | None) -> str:
    """A ratio (0.8312) shown as a percentage with two decimals: '83.12%'."""
    if value is None:
        return "—"
    return f"{q2(Decimal(value) * HUNDRED)}%"


NonNegative = Annotated[Decimal, Field(ge=0)]
Positive = Annotated[Decimal, Field(gt=0)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]


def fmt_score(value: Decimal | None) -> str:
    """A score as reports write it: two decimals at most, no trailing zeros (83, 0.5, 86.25)."""
    if value is None:
        return "—"
    text = f"{q2(Decimal(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
