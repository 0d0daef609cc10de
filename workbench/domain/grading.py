"""Grade bands as data: a band set maps a score on a 100-point scale to a grade label.

Lower bounds are inclusive: with 优秀 from 90, a total of 90.00 is 优秀 and 89.99 is 良好.
The cut points and labels come from data files (indicators/grade-bands.yaml), never from code.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from workbench.domain.base import HUNDRED, SafeId, StrictModel


class Band(StrictModel):
    label: str = Field(min_length=1)
    min: Decimal = Field(ge=0, le=100)
    note: str = ""


class BandSet(StrictModel):
    id: SafeId
    name: str
    source: str = ""
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered_and_covering(self) -> BandSet:
        mins = [b.min for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("等级下限必须从高到低排列且互不相同")
        if mins[-1] != 0:
            raise ValueError("最低一档的下限必须为 0，才能覆盖全部分数")
        return self

    def grade(self, score: Decimal) -> str:
        """The label of the band holding ``score`` (a 0–100 figure)."""
        for band in self.bands:
            if score >= band.min:
                return band.label
        return self.bands[-1].label

    def next_band(self, score: Decimal) -> Band | None:
        """The band just above the one holding ``score``, or None at the top."""
        above = [b for b in self.bands if b.min > score]
        return above[-1] if above else None

    def nearest_boundary(self, score: Decimal) -> Decimal | None:
        """The inner cut point (not 0) closest to ``score``."""
        cuts = [b.min for b in self.bands if b.min > 0]
        return min(cuts, key=lambda c: abs(c - score)) if cuts else None

    def describe(self) -> str:
        parts = []
        upper = HUNDRED
        for i, band in enumerate(self.bands):
            closing = "]" if i == 0 else ")"
            parts.append(f"{band.label}[{band.min}，{upper}{closing}")
            upper = band.min
        return "；".join(parts)
