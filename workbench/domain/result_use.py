"""结果应用: what an evaluation's grade suggests for the project's next budget, and what the
contract pays each year for its O&M score.

The rules are data (indicators/result-use.yaml): grade × project type → 优先保障, 据实保障,
核减 x %, 暂停拨付 or 取消.  Everything here is advice (建议) a person confirms; nothing changes
an amount.  The OECD found no country allocating budgets by formula from scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from workbench.domain.base import Percent, StrictModel, fmt2, fmt_score, repeated
from workbench.domain.ledger import Ledger, PaymentDue, PaymentTerms
from workbench.domain.project import PROJECT_KINDS, ProjectKind
from workbench.errors import NotFound

AdviceKind = Literal["优先保障", "据实保障", "核减", "暂停拨付", "取消"]
ADVICE_KINDS: tuple[AdviceKind, ...] = ("优先保障", "据实保障", "核减", "暂停拨付", "取消")


class AdviceRule(StrictModel):
    """One cell of the table: the advice, the share to cut (核减 only) and a note."""

    advice: AdviceKind
    percent: Percent | None = None
    note: str = ""

    @model_validator(mode="after")
    def _percent_only_for_cuts(self) -> AdviceRule:
        if self.advice == "核减" and self.percent is None:
            raise ValueError("“核减”须写明核减比例（percent）")
        if self.advice != "核减" and self.percent is not None:
            raise ValueError(f"“{self.advice}”不带比例（percent 只用于核减）")
        return self

    @property
    def text(self) -> str:
        """The advice as one phrase: 据实保障, 核减 10%."""
        return f"核减 {fmt_score(self.percent)}%" if self.advice == "核减" else self.advice


class GradeRow(StrictModel):
    """The advice for one grade (named as each band set names it: 良, 良好)."""

    grades: list[str] = Field(min_length=1)
    default: AdviceRule
    kinds: dict[ProjectKind, AdviceRule]

    @model_validator(mode="after")
    def _every_kind(self) -> GradeRow:
        missing = [k for k in PROJECT_KINDS if k not in self.kinds]
        if missing:
            raise ValueError(f"缺少项目类型：{'、'.join(missing)}")
        return self


class ResultUseRules(StrictModel):
    id: str = Field(min_length=1)
    name: str = ""
    source: str = Field(min_length=1)
    assumed: str = ""
    rows: list[GradeRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_grade_once(self) -> ResultUseRules:
        seen: set[str] = set()
        for row in self.rows:
            twice = [g for g in row.grades if g in seen]
            if twice:
                raise ValueError(f"等级“{twice[0]}”出现了不止一次")
            seen.update(row.grades)
        return self

    def lookup(self, grade: str, kind: ProjectKind | None) -> AdviceRule:
        """The advice for ``grade`` and project type (the default rule when the type is not stated)."""
        row = next((r for r in self.rows if grade in r.grades), None)
        if row is None:
            raise NotFound(f"结果应用规则中没有等级“{grade}”，请在 indicators/result-use.yaml 中补充")
        return row.default if kind is None else row.kinds[kind]

    def uncovered(self, grades: Iterable[str]) -> list[str]:
        """The grade labels the table gives no advice for."""
        known = {g for row in self.rows for g in row.grades}
        return [g for g in grades if g not in known]


@dataclass(frozen=True)
class Override:
    """A person's decision replacing the suggested advice, with the reason they gave."""

    advice: AdviceRule
    reason: str
    by: str
    at: datetime


class OmScore(StrictModel):
    """The year's 运维考评得分 under the contract's assessment (e.g. 《考核指标及运营维护服务评分办法》)."""

    year: int = Field(ge=1990, le=2100)
    score: Percent
    note: str = ""  # where the score comes from (the assessment's document)


class CarriedOverride(StrictModel):
    """An override as a case folder carries it: the advice, the reason, and who decided when."""

    advice: AdviceRule
    reason: str = Field(min_length=1, max_length=2000)
    by: str = Field(default="", max_length=100)
    at: datetime | None = None


class CarriedResultUse(StrictModel):
    """What a case folder carries of 结果应用 (``result-use-record.yaml``): the evaluation's
    override of the suggested advice, and the project's recorded 运维考评得分 by year."""

    override: CarriedOverride | None = None
    om_scores: list[OmScore] = Field(default=[], max_length=100)

    @model_validator(mode="after")
    def _years_unique(self) -> CarriedResultUse:
        twice = repeated(s.year for s in self.om_scores)
        if twice is not None:
            raise ValueError(f"{twice}年的运维考评得分重复，每个年度只能有一个")
        return self

    @property
    def empty(self) -> bool:
        return self.override is None and not self.om_scores


@dataclass(frozen=True)
class PaymentRow:
    """One plan year: the planned amount and, once the year's O&M score is known, what is due."""

    year: int
    planned: Decimal
    om_score: Decimal | None
    due: PaymentDue | None
    status: str  # why nothing is due yet, in the trade's words; "" when computed
    basis: str = ""  # 已录入 (a recorded O&M score) or 试算 (typed in to try), "" when nothing is due


def bands_text(terms: PaymentTerms) -> str:
    """The score bands in one line, marked （假设） when the source does not state them."""
    if terms.settlement == "proportional":
        text = "年末按运维考评得分的百分比支付剩余款项"
    else:
        text = "；".join(f"{fmt_score(b.min)} 分及以上付 {fmt_score(b.share)}%" for b in terms.bands)
    return f"{text}（假设）" if terms.bands_assumed else text


def payment_rows(
    ledger: Ledger, om_scores: Mapping[int, Decimal], trial: Mapping[int, Decimal] | None = None
) -> list[PaymentRow]:
    """Each plan year against the contract terms, for the O&M scores recorded by year; a score
    in ``trial`` (typed in to try) stands for that year instead and the row says 试算."""
    terms = ledger.payment_terms
    if terms is None:
        return []
    trial = trial or {}
    rows = []
    for item in sorted(ledger.plan, key=lambda p: p.year):
        score = trial.get(item.year, om_scores.get(item.year))
        if item.year < terms.from_year:
            status = f"付款条款自 {terms.from_year} 年起执行"
        elif score is None:
            status = "待运维考评"
        else:
            status = ""
        due = ledger.payment_due(item.year, score) if not status and score is not None else None
        basis = "" if due is None else "试算" if item.year in trial else "已录入"
        rows.append(PaymentRow(item.year, item.amount, score, due, status, basis))
    return rows


def payment_sentence(row: PaymentRow) -> str:
    """The computed payment of a year as one line (万元)."""
    if row.due is None:
        return f"{row.year}年：计划 {fmt2(row.planned)} 万元，{row.status}"
    due = row.due
    return (
        f"{row.year}年：计划 {fmt2(row.planned)} 万元，运维考评 {fmt_score(due.om_score)} 分，"
        f"应付 {fmt2(due.total)} 万元（扣减 {fmt2(due.withheld)} 万元）"
    )
