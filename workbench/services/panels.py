"""Expert panels (专家组评分): several experts score the same indicators independently.

* The evaluator (``evaluation.score``) chooses the method for the evaluation — the mean, or the mean
  after dropping the highest and lowest score (used when enough experts scored; the number is data
  in indicators/review-rules.yaml) — and names the panel's experts: only a named account holding
  ``panel.score`` keeps a sheet (no names: nobody scores yet).
* Each expert (``panel.score``) keeps one sheet: saves it as often as needed, then submits it once.
  An expert sees only their own sheet until it is submitted, then the others' submitted sheets and
  the panel result (``domain.panel``).  Nobody — the evaluator included — ever sees another's
  unsubmitted scores: ``panel_view`` hands out a draft's scores to its author only.
* The evaluator sees every submitted sheet, the panel score per indicator with its spread and
  outliers, and applies the result to the evaluation's scores (``services.panel_apply``: shown
  first, the panel's record put beside the evaluator's own, undoable).

Experts score the indicators judged by people: rules ``manual`` (扣分制) and ``tiers`` (定性分档).
Indicators scored by a formula from figures (ratios, rates, bands, 每处扣分) are not put to the panel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.domain.base import fmt2
from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.panel import ExpertSheet, Panel, PanelMethod, PanelScore
from workbench.domain.rules import Deduction, TiersRule
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.formats.review_rules import load_review_rules
from workbench.services.access import deny, permissions_of, require
from workbench.services.actors import Actor
from workbench.services.kernel import check_version, fetch_editable, fetch_for
from workbench.services.ports import Stamp, StoredPanel, StoredSheet, UnitOfWork
from workbench.services.trail import evaluation_object, record

PART = "专家组评分"
PANEL_SOURCE = "专家组评分"  # the mark domain.panel leaves on a score it gave
JUDGED = ("manual", "tiers")  # rule kinds an expert panel scores
METHODS: tuple[PanelMethod, ...] = ("mean", "trimmed_mean")


@dataclass(frozen=True)
class PanelLeaf:
    code: str
    path: str  # 一级 › 二级 › 三级
    name: str
    weight: Decimal
    criteria: str
    rule: str


@dataclass(frozen=True)
class PanelView:
    """The panel as the actor may see it."""

    evaluation_id: str
    status: str
    panel: StoredPanel
    leaves: list[PanelLeaf]
    mine: StoredSheet | None  # the actor's own sheet
    may_score: bool  # the actor holds panel.score (and is on the panel, when it names experts)
    may_manage: bool  # the actor holds evaluation.score: method, experts, applying the result
    visible: list[StoredSheet]  # sheets whose scores the actor may see
    result: dict[str, PanelScore] | None  # None until the actor may see it and a sheet is submitted
    trim_min_experts: int = 5
    members: list[tuple[str, bool]] = field(default_factory=list)  # (expert name, submitted)


def judged_leaves(system: IndicatorSystem) -> list[PanelLeaf]:
    out = []
    for leaf in system.leaves():
        if leaf.rule is None or leaf.rule.kind not in JUDGED:
            continue
        path = " › ".join(n.name for n in system.path(leaf.code))
        rule = leaf.rule.describe()
        out.append(PanelLeaf(leaf.code, path, leaf.name, leaf.weight or Decimal(0), leaf.criteria, rule))
    return out


def domain_panel(panel: StoredPanel, *, submitted_only: bool = False) -> Panel:
    """The stored sheets as ``domain.panel.Panel``; experts named by display name (with the
    username when two share one)."""
    names = [s.expert_name for s in panel.counted]
    sheets = [
        ExpertSheet(
            expert=s.expert_name if names.count(s.expert_name) == 1 else f"{s.expert_name}（{s.expert}）",
            scores=dict(s.scores),
            submitted=s.submitted,
        )
        for s in panel.counted
        if s.submitted or not submitted_only
    ]
    return Panel(method=panel.method, sheets=sheets)


# --- reading -------------------------------------------------------------------------------


def panel_view(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> PanelView:
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view", PART)
        held = permissions_of(uow, actor)
        if not {"panel.score", "evaluation.score"} & held:
            require(uow, actor, "panel.score", what=evaluation_object(evaluation_id, PART))
        panel = uow.panels.get(evaluation_id)
        system = uow.systems.get(stored.evaluation.system)
    assert system is not None
    rules, _ = load_review_rules()
    leaves = judged_leaves(system)
    mine = panel.sheet(actor.username)
    sees_all = mine.submitted if mine else "evaluation.score" in held
    visible = [s for s in panel.sheets if s is mine or (sees_all and s.submitted and s in panel.counted)]
    shown = tuple(s if s.submitted or s is mine else replace(s, scores={}) for s in panel.sheets)
    result = None
    if sees_all and any(s.submitted for s in panel.counted):
        result = domain_panel(panel, submitted_only=True).result({x.code: x.weight for x in leaves}, rules)
    return PanelView(
        evaluation_id=evaluation_id,
        status=stored.evaluation.status,
        panel=replace(panel, sheets=shown),  # others' drafts without their scores
        leaves=leaves,
        mine=mine,
        may_score="panel.score" in held and actor.username in panel.experts,
        may_manage="evaluation.score" in held,
        visible=visible,
        result=result,
        trim_min_experts=rules.trim_min_experts,
        members=[(s.expert_name, s.submitted) for s in panel.counted],
    )


# --- the evaluator: method and experts -----------------------------------------------------


def set_panel(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    method: str,
    experts: list[str] | tuple[str, ...],
    expected_version: int,
) -> Stamp:
    """Choose the method (``mean`` | ``trimmed_mean``) and name the experts (usernames; empty:
    any account holding ``panel.score``)."""
    if method not in METHODS:
        raise InvalidInput(
            f"计分方法“{method}”无效，可选：mean（算术平均）、trimmed_mean（去掉最高最低分后平均）"
        )
    names = list(dict.fromkeys(e.strip() for e in experts if e.strip()))
    with uow:
        fetch_editable(uow, actor, evaluation_id, "evaluation.score", PART)
        panel = uow.panels.get(evaluation_id)
        check_version(panel.stamp, expected_version, "专家组设置")
        unknown = [n for n in names if uow.users.get(n) is None]
        if unknown:
            raise InvalidInput(f"找不到账号：{'、'.join(unknown)}（专家组成员请填写账号）")
        saved = uow.panels.save_panel(
            evaluation_id, {"method": method, "experts": names}, expected_version, actor
        )
        record(
            uow,
            actor,
            "设置专家组",
            evaluation_object(evaluation_id, PART),
            before={"method": panel.method, "experts": list(panel.experts)},
            after={"method": method, "experts": names},
        )
        uow.commit()
    return saved


# --- an expert's sheet ---------------------------------------------------------------------


def save_sheet(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    scores: Mapping[str, Any],
    expected_version: int,
    *,
    submit: bool = False,
) -> Stamp:
    """Save the actor's own sheet (leaf code -> 得分; blank: not scored yet); ``submit`` also
    submits it, which needs every indicator scored and is final."""
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, "panel.score", PART)
        panel = uow.panels.get(evaluation_id)
        _on_panel(actor, panel, evaluation_id)
        mine = panel.sheet(actor.username)
        if mine is not None and mine.submitted:
            raise Conflict("您的评分表已提交，不能再修改")
        check_version(mine.stamp if mine else None, expected_version, "您的评分表")
        system = uow.systems.get(stored.evaluation.system)
        assert system is not None
        leaves = {x.code: x for x in judged_leaves(system)}
        parsed = parse_scores(scores, leaves)
        if submit:
            missing = [code for code in leaves if code not in parsed]
            if missing:
                raise InvalidInput(f"提交前须为每项指标评分，尚缺：{'、'.join(missing)}")
        when = datetime.now(UTC) if submit else None
        saved = uow.panels.save_sheet(
            evaluation_id, actor.username, actor.display_name, parsed, when, expected_version, actor
        )
        record(
            uow,
            actor,
            "提交专家评分" if submit else "保存专家评分",
            evaluation_object(evaluation_id, f"{PART} / {actor.username}"),
            before=dict(mine.scores) if mine else None,
            after=parsed,
        )
        uow.commit()
    return saved


def parse_scores(scores: Mapping[str, Any], leaves: Mapping[str, PanelLeaf]) -> dict[str, Decimal]:
    """Typed scores as Decimals within [0, 分值]; one Chinese line per bad cell."""
    out, problems = {}, []
    for code, raw in scores.items():
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        place = f"指标 {code}"
        leaf = leaves.get(code)
        if leaf is None:
            problems.append(Problem("不是本评价中由专家评分的指标", place=place))
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            problems.append(
                Problem(f"应为数字，填写的是“{text}”", place=f"{place}（{leaf.name}）", field="得分")
            )
            continue
        if not value.is_finite() or value < 0 or value > leaf.weight:
            msg = f"得分应在 0 到 {fmt2(leaf.weight)} 分之间，填写的是 {text}"
            problems.append(Problem(msg, place=f"{place}（{leaf.name}）", field="得分"))
            continue
        out[code] = value
    if problems:
        raise InvalidInput(problems)
    return out


def _on_panel(actor: Actor, panel: StoredPanel, evaluation_id: str) -> None:
    """Only the experts the evaluator named keep a sheet."""
    if actor.username in panel.experts:
        return
    if not panel.experts:
        message = (
            "本评价的专家组尚未列出成员：请评价人员先在“专家组设置”中填写专家账号，列入名单的专家才能评分"
        )
    else:
        message = f"账号“{actor.username}”不在本评价的专家组名单中，不能评分"
    deny(actor, message, "专家评分", evaluation_object(evaluation_id, PART))


# --- the evaluator: applying the result ----------------------------------------------------


def panel_entry(system: IndicatorSystem, code: str, result: PanelScore) -> IndicatorScore:
    """The panel score as the indicator's score under its rule (扣分制 or 定性分档)."""
    leaf = system.find(code)
    assert leaf is not None and leaf.rule is not None
    if not isinstance(leaf.rule, TiersRule):
        return result.as_indicator_score()
    share = result.score / result.weight * 100 if result.weight else Decimal(0)
    tier = next((t for t in leaf.rule.tiers if t.min <= share <= t.max), leaf.rule.tiers[-1])
    how = result.describe()
    if result.score >= result.weight:
        return IndicatorScore(
            inputs={"tier": tier.label, "score": result.score}, rationale=f"{PANEL_SOURCE}：{how}"
        )
    reason = Deduction(reason=f"{PANEL_SOURCE} {fmt2(result.score)} 分：{how}", source=PANEL_SOURCE)
    return IndicatorScore(inputs={"tier": tier.label, "score": result.score}, deductions=[reason])


def from_panel(score: IndicatorScore | None) -> bool:
    """Whether a stored score is still the one a panel gave (not since rescored by hand)."""
    if score is None:
        return False
    return score.rationale.startswith(PANEL_SOURCE) or any(d.source == PANEL_SOURCE for d in score.deductions)


def panel_note(panel: StoredPanel, evaluation: Evaluation, trim_min_experts: int) -> str:
    """The score table's note on panel scores: which indicators, how many experts, which method."""
    applied = panel.applied or {}
    codes = [c for c in applied.get("codes", []) if from_panel(evaluation.scores.get(c))]
    if not codes:
        return ""
    experts = list(applied.get("experts", []))
    method = applied.get("method", "mean")
    how = "去掉一个最高分和一个最低分后取平均" if method == "trimmed_mean" else "取算术平均"
    if method == "trimmed_mean" and len(experts) < trim_min_experts:
        how = f"取算术平均（评分专家不足 {trim_min_experts} 人，未去掉最高分和最低分）"
    listed = "、".join(codes[:10]) + ("等" if len(codes) > 10 else "")
    return (
        f"指标 {listed}（共 {len(codes)} 项）的得分由专家组 {len(experts)} 人（{'、'.join(experts)}）"
        f"独立评分后{how}得出，每项的计算见“扣分理由 / 评分说明”栏。"
    )
