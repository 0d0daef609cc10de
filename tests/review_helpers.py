"""Small helpers for the self-evaluation and expert-panel tests: a unit's filled 自评表 of the
Yiyang evaluation, expert sheets, and the review steps, done through the services as a user would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from actors import EVALUATOR, REVIEWER, UNIT, YIYANG

from workbench.services import panels, reconciliation, review, selfeval
from workbench.services.actors import Actor
from workbench.services.selfeval import SelfEvalView
from workbench.storage.uow import Database

D = Decimal
EXPERT_B = Actor("qian", "钱专家", "专家")
EXPERT_C = Actor("sun", "孙专家", "专家")
EXPERT_D = Actor("li4", "李专家", "专家")
EXPERT_E = Actor("zhou", "周专家", "专家")


def filled_form(db: Database, evaluation_id: str = YIYANG, actor: Actor = UNIT) -> dict[str, Any]:
    """The prefilled form as the unit completes it: every row claimed at full 分值 (so every
    indicator where the evaluator deducted points shows a gap), budget 1,835.00 / executed 1,743.25 万元."""
    form = selfeval.get_selfeval(db.uow(), actor, evaluation_id).form.model_dump()
    for row in form["rows"]:
        row["score"] = row["weight"]
        row["actual"] = "达成"
    line = {"initial": D("1835"), "budget": D("1835"), "executed": D("1743.25")}
    form["funds"]["total"] = line
    form["funds"]["current"] = line
    form["goals_expected"] = "建成益阳智慧大脑，实现政务服务事项集中办理"
    form["goals_achieved"] = "已建成并通过验收，运维管理有待加强"
    return form


def saved_selfeval(db: Database, evaluation_id: str = YIYANG, actor: Actor = UNIT) -> SelfEvalView:
    return selfeval.save_selfeval(db.uow(), actor, evaluation_id, filled_form(db, evaluation_id, actor), 0)


def submitted_selfeval(db: Database, evaluation_id: str = YIYANG, actor: Actor = UNIT) -> SelfEvalView:
    saved = saved_selfeval(db, evaluation_id, actor)
    return selfeval.submit_selfeval(db.uow(), actor, evaluation_id, saved.version)


def expert_scores(db: Database, actor: Actor, evaluation_id: str = YIYANG, less: str = "0") -> dict[str, str]:
    """A sheet giving every panel indicator its 分值 less ``less`` points (never below 0)."""
    shown = panels.panel_view(db.uow(), actor, evaluation_id)
    return {leaf.code: str(max(leaf.weight - D(less), D(0))) for leaf in shown.leaves}


def name_panel(db: Database, experts, evaluation_id: str = YIYANG, method: str = "mean") -> None:
    """The evaluator names the panel (usernames or actors) and chooses the method."""
    names = [getattr(e, "username", e) for e in experts]
    with db.uow() as uow:
        version = uow.panels.get(evaluation_id).version
    panels.set_panel(db.uow(), EVALUATOR, evaluation_id, method, names, version)


def submit_sheet(db: Database, actor: Actor, scores: dict[str, str], evaluation_id: str = YIYANG) -> None:
    mine = panels.panel_view(db.uow(), actor, evaluation_id).mine
    version = mine.stamp.version if mine else 0
    panels.save_sheet(db.uow(), actor, evaluation_id, scores, version, submit=True)


def to_reviewed(db: Database) -> None:
    """Submitted and reviewed; a 核对说明 on every 自评虚高 gap first, as 复核通过 needs."""
    review.advance(db.uow(), EVALUATOR, YIYANG, "workflow.submit")
    shown = reconciliation.compare(db.uow(), EVALUATOR, YIYANG)
    for row in shown.comparison.flagged if shown.comparison else []:
        if not row.note:
            reconciliation.save_note(db.uow(), EVALUATOR, YIYANG, row.code, "评价组核实：扣分依据见评分表", 0)
    review.advance(db.uow(), REVIEWER, YIYANG, "workflow.review")


def finalise(db: Database) -> None:
    """The Yiyang evaluation (reopened, its self-evaluation submitted) taken to 定稿: submitted,
    reviewed, a 核对说明 on every 自评虚高 gap, finalised."""
    to_reviewed(db)
    review.advance(db.uow(), REVIEWER, YIYANG, "workflow.finalize")
