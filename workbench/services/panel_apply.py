"""Applying an expert panel's result to the evaluation's scores — shown first, never destroying
the evaluator's work, and undoable.

* ``preview_panel``: per indicator, the current score and the panel's score, before anything
  changes (the page shows it and asks to confirm).
* ``apply_panel``: each panel score becomes the indicator's score.  The panel's record (score and
  method) is put BESIDE what the evaluator wrote: their deduction reasons, evidence citations,
  sources and notes stay word for word (a deduction keeps its text and counts 0 points, the panel
  line carries the points lost).  The scores as they were are kept with the panel's ``applied``
  record.
* ``undo_panel``: puts those scores back (indicators rescored by hand since are left as they are).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from workbench.domain.evaluation import IndicatorScore
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.panel import PanelScore
from workbench.domain.scoring import score_evaluation
from workbench.errors import Conflict
from workbench.formats.review_rules import load_review_rules
from workbench.services.actors import Actor
from workbench.services.kernel import case_of, check_version, fetch_editable
from workbench.services.panels import PANEL_SOURCE, PART, domain_panel, from_panel, judged_leaves, panel_entry
from workbench.services.ports import StoredPanel, UnitOfWork
from workbench.services.trail import evaluation_object, record


@dataclass(frozen=True)
class PanelChange:
    """One indicator as applying the panel would change it."""

    code: str
    name: str
    weight: Decimal
    current: Decimal | None  # None: not scored yet
    panel: Decimal
    how: str  # the panel's method and arithmetic


def beside(
    system: IndicatorSystem, code: str, result: PanelScore, prior: IndicatorScore | None
) -> IndicatorScore:
    """The panel's score for ``code`` with the evaluator's own record kept beside it."""
    fresh = panel_entry(system, code, result)
    if prior is None:
        return fresh
    own = [d for d in prior.deductions if d.source != PANEL_SOURCE]
    lost = result.weight - result.score
    panel_line = [d.model_copy(update={"points": lost}) for d in fresh.deductions]
    kept = [d.model_copy(update={"points": Decimal(0)}) for d in own]
    notes = [fresh.rationale, prior.rationale if not from_panel(prior) else ""]
    return fresh.model_copy(
        update={
            "deductions": panel_line + kept,
            "rationale": "\n".join(n for n in notes if n),
            "evidence": list(prior.evidence),
        }
    )


def _results(uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int, seen: int) -> Any:
    """The stored evaluation, its case, the panel and the panel's result, checked as shown."""
    rules, _ = load_review_rules()
    stored = fetch_editable(uow, actor, evaluation_id, "evaluation.score", PART)
    panel = uow.panels.get(evaluation_id)
    check_version(panel.stamp, expected_version, "专家组设置")
    mine = panel.sheet(actor.username)
    if mine is not None and not mine.submitted:
        raise Conflict("您本人在专家组中的评分尚未提交：提交后才能查看和应用专家组评分")
    submitted = [s for s in panel.counted if s.submitted]
    if len(submitted) != seen:
        raise Conflict(
            f"又有专家提交了评分（现为 {len(submitted)} 份，您看到的是 {seen} 份）；"
            "未应用，请刷新页面查看新的专家组评分后再应用"
        )
    case = case_of(uow, stored)
    weights = {x.code: x.weight for x in judged_leaves(case.system)}
    return stored, case, panel, submitted, domain_panel(panel, submitted_only=True).result(weights, rules)


def preview_panel(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int, seen_sheets: int
) -> list[PanelChange]:
    """What applying the panel would change, indicator by indicator; nothing is saved."""
    with uow:
        stored, case, _, _, results = _results(uow, actor, evaluation_id, expected_version, seen_sheets)
    card = score_evaluation(case.system, stored.evaluation, case.bands)
    out = []
    for code, result in results.items():
        node = card.find(code)
        current = node.score if node is not None and node.status == "scored" else None
        name = node.name if node is not None else code
        out.append(PanelChange(code, name, result.weight, current, result.score, result.describe()))
    return out


def apply_panel(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int, seen_sheets: int
) -> list[str]:
    """Make each panel score the indicator's score, beside the evaluator's record; returns the
    codes.  ``expected_version``/``seen_sheets`` are the panel as the preview showed it: a sheet
    submitted in between refuses.  All scores are checked first; nothing is saved unless every
    one is."""
    with uow:
        stored, case, panel, submitted, results = _results(
            uow, actor, evaluation_id, expected_version, seen_sheets
        )
        ev = stored.evaluation
        entries = {
            code: beside(case.system, code, score, ev.scores.get(code)) for code, score in results.items()
        }
        score_evaluation(case.system, ev.model_copy(update={"scores": {**ev.scores, **entries}}), case.bands)
        for code, new in entries.items():
            uow.evaluations.save_score(evaluation_id, code, new, stored.versions.of_score(code), actor)
            what = evaluation_object(evaluation_id, f"指标 {code}")
            record(uow, actor, "应用专家组评分", what, before=ev.scores.get(code), after=new)
        applied = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "by": actor.username,
            "method": panel.method,
            "experts": [s.expert_name for s in submitted],
            "codes": list(entries),
            "prior": {c: _dump(ev.scores.get(c)) for c in entries},
        }
        changes = {"method": panel.method, "experts": list(panel.experts), "applied": applied}
        uow.panels.save_panel(evaluation_id, changes, panel.version, actor)
        summary = {k: v for k, v in applied.items() if k != "prior"}
        record(uow, actor, "应用专家组评分", evaluation_object(evaluation_id, PART), after=summary)
        uow.commit()
    return list(entries)


def undoable(panel: StoredPanel) -> bool:
    """Whether the panel's last application can be undone (it kept the scores it replaced)."""
    return bool(panel.applied and "prior" in panel.applied)


def undo_panel(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int
) -> tuple[list[str], list[str]]:
    """Put back the scores the panel replaced; returns (restored, left) where ``left`` are the
    indicators rescored by hand since (their newer score is kept)."""
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, "evaluation.score", PART)
        panel = uow.panels.get(evaluation_id)
        check_version(panel.stamp, expected_version, "专家组设置")
        if not undoable(panel):
            raise Conflict("没有可撤销的专家组评分")
        assert panel.applied is not None
        prior: dict[str, Any] = dict(panel.applied["prior"])
        ev = stored.evaluation
        restored = [c for c in prior if from_panel(ev.scores.get(c))]
        for code in restored:
            old = None if prior[code] is None else IndicatorScore.model_validate(prior[code])
            uow.evaluations.save_score(evaluation_id, code, old, stored.versions.of_score(code), actor)
            what = evaluation_object(evaluation_id, f"指标 {code}")
            record(uow, actor, "撤销专家组评分", what, before=ev.scores.get(code), after=old)
        changes = {"method": panel.method, "experts": list(panel.experts), "applied": None}
        uow.panels.save_panel(evaluation_id, changes, panel.version, actor)
        record(
            uow, actor, "撤销专家组评分", evaluation_object(evaluation_id, PART), after={"codes": restored}
        )
        uow.commit()
    return restored, [c for c in prior if c not in restored]


def _dump(score: IndicatorScore | None) -> dict[str, Any] | None:
    return None if score is None else score.model_dump(mode="json")
