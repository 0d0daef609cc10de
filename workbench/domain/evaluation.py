"""An evaluation: one project scored against one indicator system, with findings and advice."""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from workbench.domain.base import SafeId, StrictModel
from workbench.domain.ledger import Ledger
from workbench.domain.ledger_decisions import LedgerDecision
from workbench.domain.project import Project
from workbench.domain.rules import Deduction

STATUSES = ("草稿", "已提交", "退回修改", "已复核", "定稿", "重新打开")
NaPolicy = Literal["rescale", "exclude"]
NA_POLICY_LABELS = {
    "rescale": "不适用指标的分值按比例分摊到其余指标（总分仍为满分）",
    "exclude": "不适用指标不计分，按得分率评价",
}


class IndicatorScore(StrictModel):
    """What the evaluator recorded for one leaf indicator."""

    model_config = ConfigDict(frozen=True)  # shared by caches and the scoring memo: never changed in place

    inputs: dict[str, Any] = Field(default={})
    deductions: list[Deduction] = Field(default=[])
    not_applicable: bool = False
    na_reason: str = ""
    rationale: str = ""
    evidence: list[str] = Field(default=[])

    @model_validator(mode="after")
    def _na_needs_reason(self) -> IndicatorScore:
        if self.not_applicable and not self.na_reason.strip():
            raise ValueError("标记为不适用（/）的指标须说明理由（na_reason）")
        return self

    def rule_inputs(self) -> dict[str, Any]:
        return {**self.inputs, "deductions": [d.model_dump() for d in self.deductions]}


class Finding(StrictModel):
    """A problem found (存在的问题), tied to the indicators where it cost points."""

    id: SafeId
    title: str = Field(min_length=1, max_length=500)
    text: str = ""
    indicators: list[str] = Field(default=[])


class Recommendation(StrictModel):
    """A recommendation (建议), tied to the findings it answers."""

    id: SafeId
    title: str = Field(min_length=1, max_length=500)
    text: str = ""
    findings: list[str] = Field(default=[])


class Evaluator(StrictModel):
    """Who signs the report (落款).  ``unnamed`` says why a reproduced source names no one
    (e.g. 原报告未具名): the report then leaves the 落款 out instead of printing a placeholder."""

    organization: str = ""
    unnamed: str = ""
    team: str = "绩效评价工作组"
    self_reference: str = "我单位"
    members: list[str] = Field(default=[])


class SourceEdit(StrictModel):
    """A slip of the source text the case data normalised (numbering, self-reference ...),
    listed in the generation log so nothing is changed silently."""

    place: str
    original: str
    now: str
    note: str = ""


class ProcessStep(StrictModel):
    title: str
    text: str = ""
    steps: list[str] = Field(default=[])


class FrozenCase(StrictModel):
    """The project facts and ledger a 定稿 report printed, kept with the evaluation when it moves
    to 定稿: the project is shared by the evaluations of all its years, and what its author signed
    must not change when someone edits the project from another year.  重新打开 drops it."""

    model_config = ConfigDict(frozen=True)

    project: Project
    ledger: Ledger

    @functools.cached_property
    def parts(self) -> tuple[Project, Ledger]:
        """One tuple per snapshot: the ``cases`` cache is keyed by the identity of its parts."""
        return (self.project, self.ledger)


class Evaluation(StrictModel):
    id: SafeId
    project: SafeId
    system: SafeId
    bands: SafeId
    year: int = Field(ge=1990, le=2100)
    title: str = ""
    prior_evaluation: str = Field(default="", max_length=200)  # last year's evaluation (下一年度评价)
    written: str = ""  # the 落款 date, as the report prints it (e.g. 2019年6月)
    status: str = "草稿"
    na_policy: NaPolicy = "rescale"
    reconstructed: str = ""
    evaluator: Evaluator = Field(default_factory=Evaluator)
    basis: list[str] = Field(default=[])
    intro: str = ""
    purpose: str = ""
    process_intro: str = ""  # the sentence before the process steps: 按照…要求，我单位按照下列步骤开展评价：
    process: list[ProcessStep] = Field(default=[])
    methods: list[str] = Field(default=[])
    standards: list[str] = Field(default=[])
    scores: dict[str, IndicatorScore] = Field(default={})
    findings: list[Finding] = Field(default=[])
    recommendations: list[Recommendation] = Field(default=[])
    ledger_decisions: list[LedgerDecision] = Field(default=[])
    source_edits: list[SourceEdit] = Field(default=[])
    frozen: FrozenCase | None = None  # set at 定稿 (services.review), cleared at 重新打开

    @model_validator(mode="after")
    def _known_status(self) -> Evaluation:
        if self.status not in STATUSES:
            raise ValueError(f"状态“{self.status}”无效，可选：{'、'.join(STATUSES)}")
        return self

    def finding(self, finding_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == finding_id), None)

    def recommendations_for(self, finding_id: str) -> list[Recommendation]:
        return [r for r in self.recommendations if finding_id in r.findings]
