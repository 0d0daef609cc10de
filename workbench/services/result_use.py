"""结果应用: the advice an evaluation's grade suggests for the project's budget, the contract's
payment per year for an O&M score, and a person's override of the advice (with a reason, audited).

Advice is labelled 建议 and is never applied to money: nothing here changes a ledger figure.
Reading needs ``evaluation.view``; an override is the decision of whoever may 定稿
(``workflow.finalize``), and works on a 定稿 evaluation too (results are applied after it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workbench.domain.ledger import Ledger
from workbench.domain.project import ProjectKind
from workbench.domain.result_use import (
    AdviceRule,
    CarriedOverride,
    CarriedResultUse,
    OmScore,
    Override,
    PaymentRow,
    bands_text,
    payment_rows,
)
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.formats.result_use import load_result_use_rules
from workbench.services.actors import Actor
from workbench.services.forms import parse, required
from workbench.services.kernel import case_of, check_version, fetch_for
from workbench.services.ports import Stamp, UnitOfWork
from workbench.services.trail import evaluation_object, record

PART = "结果应用"
MAX_REASON = 2000


@dataclass(frozen=True)
class Advice:
    evaluation_id: str
    project_name: str
    year: int
    total: Decimal
    grade: str
    kind: ProjectKind | None
    suggested: AdviceRule
    override: Override | None
    version: int  # of the stored override (0: none), for ``override``'s expected_version
    source: str
    assumed: str
    payments: list[PaymentRow]
    bands: str  # the contract's score bands in one line ("" without payment terms)
    bands_assumed: bool
    terms_note: str
    om_versions: Mapping[int, int]  # version of each year's recorded 运维考评得分, for ``record_om_score``

    @property
    def chosen(self) -> AdviceRule:
        return self.override.advice if self.override else self.suggested

    @property
    def label(self) -> str:
        """What the page and the report say: always 建议, never a decision on money."""
        who = "（已人工调整）" if self.override else ""
        return f"建议{who}：{self.chosen.text}"


def advice_for(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, *, trial: Mapping[int, Decimal] | None = None
) -> Advice:
    """The advice for the evaluation's grade and the project's type, and — when the ledger has
    payment terms — each plan year's payment for the project's recorded 运维考评得分, or for the
    scores in ``trial`` (by year, typed in to try: the row says 试算, nothing is stored)."""
    rules = load_result_use_rules()
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view", PART)
        case = case_of(uow, stored)
        found = uow.result_use.get(evaluation_id)
        recorded = uow.result_use.om_scores(stored.evaluation.project)
    card = case.scorecard()
    if card.unscored:
        raise InvalidInput(f"评价“{evaluation_id}”尚未评分，无法提出结果应用建议")
    ledger, kind = case.ledger, case.project.kind
    terms = ledger.payment_terms
    override = (
        Override(found.advice, found.reason, found.stamp.updated_by, found.stamp.updated_at)
        if found
        else None
    )
    return Advice(
        evaluation_id=evaluation_id,
        project_name=case.project.name,
        year=case.evaluation.year,
        total=card.total,
        grade=card.grade,
        kind=kind,
        suggested=rules.lookup(card.grade, kind),
        override=override,
        version=found.stamp.version if found else 0,
        source=rules.source,
        assumed=rules.assumed,
        payments=payment_rows(ledger, {y: r.entry.score for y, r in recorded.items()}, trial),
        bands=bands_text(terms) if terms else "",
        bands_assumed=bool(terms and terms.bands_assumed),
        terms_note=terms.note if terms else "",
        om_versions={y: r.stamp.version for y, r in recorded.items()},
    )


def override(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    advice: AdviceRule | Mapping[str, Any],
    reason: str,
    expected_version: int,
) -> Stamp:
    """Replace the suggested advice with ``advice``; refused without a reason.  Audited with the
    advice before and after and the reason."""
    chosen = parse(AdviceRule, advice, PART)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput([Problem("调整结果应用建议须填写理由", place=PART, field="调整理由")])
    if len(reason) > MAX_REASON:
        raise InvalidInput([Problem(f"理由不超过 {MAX_REASON} 字", place=PART, field="调整理由")])
    with uow:
        fetch_for(uow, actor, evaluation_id, "workflow.finalize", PART)
        before = uow.result_use.get(evaluation_id)
        check_version(before.stamp if before else None, expected_version, "结果应用意见")
        saved = uow.result_use.save(evaluation_id, chosen, reason, expected_version, actor)
        record(
            uow,
            actor,
            "调整结果应用建议",
            evaluation_object(evaluation_id, PART),
            before=before.advice.text if before else None,
            after=chosen.text,
            detail=reason,
        )
        uow.commit()
    return saved


def record_om_score(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    year: int,
    score: Decimal | str,
    note: str,
    expected_version: int,
) -> Stamp:
    """Record the project's 运维考评得分 of a plan year the contract pays by (after 定稿 too: the
    assessment of later years comes later).  Needs ``evaluation.score``; audited."""
    entry = parse(
        OmScore, {"year": year, "score": score, "note": (note or "").strip()}, f"{year}年运维考评得分"
    )
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.score", PART)
        project_id = stored.evaluation.project
        _, ledger = required(uow.projects.get(project_id), f"找不到项目“{project_id}”")
        _payable(ledger, year)
        before = uow.result_use.om_scores(project_id).get(year)
        check_version(before.stamp if before else None, expected_version, f"{year}年运维考评得分")
        saved = uow.result_use.save_om_score(project_id, entry, expected_version, actor)
        record(
            uow,
            actor,
            "录入运维考评得分",
            f"项目 {project_id} / {year}年运维考评",
            before=before.entry if before else None,
            after=entry,
        )
        uow.commit()
    return saved


def _payable(ledger: Ledger, year: int, file: str | None = None) -> None:
    """Refuse a 运维考评得分 for a year the contract does not pay by it."""
    terms = ledger.payment_terms
    if terms is None or year < terms.from_year or year not in {p.year for p in ledger.plan}:
        message = f"{year}年不按运维考评结果付款（见资金台账的付款条款与分年计划）"
        raise InvalidInput([Problem(message, file=file, place=PART, field="年度")])


def carried(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> CarriedResultUse:
    """The evaluation's override and its project's 运维考评得分, as ``export-case`` writes them."""
    with uow:
        project = fetch_for(uow, actor, evaluation_id, "evaluation.view").evaluation.project
        found = uow.result_use.get(evaluation_id)
        override = (
            CarriedOverride(
                advice=found.advice, reason=found.reason, by=found.stamp.updated_by, at=found.stamp.updated_at
            )
            if found
            else None
        )
        scores = [r.entry for _, r in sorted(uow.result_use.om_scores(project).items())]
        return CarriedResultUse(override=override, om_scores=scores)


def store_carried(
    uow: UnitOfWork,
    actor: Actor,
    kept: CarriedResultUse,
    evaluation_id: str,
    project: tuple[str, Ledger],
    file: str,
) -> None:
    """Add a case folder's 结果应用 inside an open unit of work, after its project and evaluation:
    a year's score stored the same is left as it is, one stored otherwise refuses the import; a
    score for a year the contract does not pay by is refused as the form refuses it.  The
    override is stored for the new evaluation, the audit naming who decided it and when."""
    project_id, ledger = project
    stored = uow.result_use.om_scores(project_id)
    for entry in kept.om_scores:
        found = stored.get(entry.year)
        if found is not None and found.entry == entry:
            continue
        if found is not None:
            raise Conflict(
                [
                    Problem(
                        f"数据库中已有项目“{project_id}”{entry.year}年的运维考评得分，且与本文件不同：不能覆盖",
                        file=file,
                    )
                ]
            )
        _payable(ledger, entry.year, file)
        uow.result_use.save_om_score(project_id, entry, 0, actor)
        record(
            uow,
            actor,
            "导入运维考评得分",
            f"项目 {project_id} / {entry.year}年运维考评",
            after=entry,
            detail=file,
        )
    if kept.override is not None:
        chosen = kept.override
        uow.result_use.save(evaluation_id, chosen.advice, chosen.reason, 0, actor)
        decided = f"，原由 {chosen.by} 于 {chosen.at:%Y-%m-%d %H:%M} 调整" if chosen.by and chosen.at else ""
        record(
            uow, actor, "导入结果应用建议调整", evaluation_object(evaluation_id, PART),
            after=chosen.advice.text, detail=f"{chosen.reason}（随案例导入{decided}）",
        )  # fmt: skip
