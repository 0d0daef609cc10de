"""Project facts: the unit, the decision, procurement, contents, targets and outputs.

Narrative text lives here as data (from the case file), so no sentence about a project is
written in code; money lives in the ledger.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from workbench.domain.base import SafeId, StrictModel

# How the project is funded over time, as 结果应用 rules distinguish it (indicators/result-use.yaml).
ProjectKind = Literal["连续性", "分期实施", "一次性"]
PROJECT_KINDS: tuple[ProjectKind, ...] = ("连续性", "分期实施", "一次性")


class Section(StrictModel):
    title: str = ""
    text: str = ""
    source: str = ""


class Staffing(StrictModel):
    authorized: int | None = Field(default=None, ge=0)
    actual: int | None = Field(default=None, ge=0)
    technical: int | None = Field(default=None, ge=0)


class ProjectUnit(StrictModel):
    name: str = Field(min_length=1)
    short_name: str = "项目单位"
    nature: str = ""
    parent: str = ""
    duties: str = ""
    departments: str = ""
    staffing: Staffing = Field(default_factory=Staffing)
    description: str = ""


class Decision(StrictModel):
    date: str = ""
    body: str = ""
    text: str = ""


class Procurement(StrictModel):
    method: str = ""
    contractor: str = ""
    contractor_short: str = ""
    supervisor: str = ""
    text: str = ""


class Target(StrictModel):
    """A performance target and what was achieved (绩效目标完成情况)."""

    name: str = Field(min_length=1)
    target: str = "未设定"
    actual: str = ""
    target_value: Decimal | None = None
    actual_value: Decimal | None = None
    unit: str = ""
    indicator: str = ""
    source: str = ""


class Project(StrictModel):
    id: SafeId
    name: str = Field(min_length=1, max_length=500)
    short_name: str = "该项目"
    year: int = Field(ge=1990, le=2100)
    region: str = ""
    department: str = ""
    kind: ProjectKind | None = None  # 项目类型; None when not stated
    unit: ProjectUnit
    background: str = ""
    decision: Decision = Field(default_factory=Decision)
    procurement: Procurement = Field(default_factory=Procurement)
    delivery: str = ""
    completed: str = ""
    accepted: str = ""
    contents: list[Section] = Field(default=[])
    goals: list[Section] = Field(default=[])
    targets: list[Target] = Field(default=[])
    implementation_intro: str = ""
    implementation: list[Section] = Field(default=[])
    performance_intro: str = ""
    performance: list[Section] = Field(default=[])
    funds_management: str = ""
