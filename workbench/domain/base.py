"""Shared building blocks of the domain models."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from workbench.domain.limits import bounded, safe_id

Key = TypeVar("Key", int, str)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class StrictModel(BaseModel):
    """A model that refuses unknown keys, so a typo in a data file is reported, not ignored.

    Every field is also held to what money, scores and text can be (``limits.bounded``): no
    number beyond 10^15 or not finite, no text over ``limits.MAX_TEXT`` characters, at any depth
    of a field's lists and mappings, so nothing stored can break a later report.

    A model's validator is built the first time it is used, not when its class is defined
    (``defer_build``): a command that reads a case never pays for the models of the database,
    整改, reviews or rules it does not touch — building them all took about 0.2 s of every
    ``workbench`` process."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    @field_validator("*", mode="after")
    @staticmethod
    def _within_limits(value: Any) -> Any:
        # a static method: pydantic reads a validator's signature once per field it applies
        # to, and a plain function's signature is read in a third of a bound method's time
        return bounded(value)


def repeated(values: Iterable[Key]) -> Key | None:
    """The least value that occurs more than once (None when each is unique): a year or a name
    listed twice in a file."""
    seen: set[Key] = set()
    twice: list[Key] = []
    for value in values:
        if value in seen:
            twice.append(value)
        seen.add(value)
    return min(twice) if twice else None


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


SafeId = Annotated[str, Field(min_length=1), AfterValidator(safe_id)]
"""An id or code that may name a file, a URL part or an audit object: see ``limits.safe_id``."""
NonNegative = Annotated[Decimal, Field(ge=0)]
Positive = Annotated[Decimal, Field(gt=0)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]


def fmt_score(value: Decimal | None) -> str:
    """A score as reports write it: two decimals at most, no trailing zeros (83, 0.5, 86.25)."""
    if value is None:
        return "—"
    text = f"{q2(Decimal(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
