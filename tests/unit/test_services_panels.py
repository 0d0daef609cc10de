"""Expert panels through the services, on the in-memory unit of work: only named experts keep a
sheet, scores are checked against the 分值, and nobody sees another's draft."""

from __future__ import annotations

from decimal import Decimal

import pytest
from service_fakes import EVALUATOR, FULL, add_user, stocked_uow

from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import panels
from workbench.services.actors import Actor
from workbench.services.ports import FAILURE

ZHAO = Actor("zj1", "赵专家", "专家")
QIAN = Actor("zj2", "钱专家", "专家")
SUN = Actor("zj3", "孙专家", "专家")


def panel_uow(*named: Actor):
    """The stocked fake (judged by experts: A1 manual 10, C1 tiers 50) with ``named`` on the panel."""
    uow = stocked_uow(FULL)
    for expert in (ZHAO, QIAN, SUN):
        add_user(uow, expert)
    panels.set_panel(uow, EVALUATOR, "e", "mean", [e.username for e in named], 0)
    return uow


def test_an_expert_not_named_on_the_panel_is_refused_and_the_refusal_is_audited():
    uow = panel_uow(ZHAO, QIAN)
    with pytest.raises(Forbidden, match="账号“zj3”不在本评价的专家组名单中，不能评分"):
        panels.save_sheet(uow, SUN, "e", {"A1": "8"}, 0)
    assert uow.state.panels["e"].sheets == ()
    assert (uow.state.audit[-1].username, uow.state.audit[-1].result) == ("zj3", FAILURE)


def test_nobody_scores_while_the_evaluator_has_named_no_expert():
    uow = panel_uow()
    with pytest.raises(Forbidden, match="专家组尚未列出成员"):
        panels.save_sheet(uow, ZHAO, "e", {"A1": "8"}, 0)


def test_an_expert_named_without_an_account_is_refused_by_name():
    uow = panel_uow(ZHAO)
    with pytest.raises(InvalidInput, match="找不到账号：wang"):
        panels.set_panel(uow, EVALUATOR, "e", "mean", ["zj1", "wang"], 1)
    assert uow.state.panels["e"].experts == ("zj1",)


def test_a_score_above_the_weight_or_not_a_number_is_refused_naming_the_indicator():
    uow = panel_uow(ZHAO)
    with pytest.raises(InvalidInput) as refused:
        panels.save_sheet(uow, ZHAO, "e", {"A1": "12", "C1": "优"}, 0)
    text = str(refused.value)
    assert "指标 A1（指标A1）" in text and "得分应在 0 到 10.00 分之间，填写的是 12" in text
    assert "应为数字，填写的是“优”" in text
    assert uow.state.panels["e"].sheets == ()


def test_a_sheet_is_submitted_only_with_every_indicator_scored_and_then_is_final():
    uow = panel_uow(ZHAO)
    with pytest.raises(InvalidInput, match="尚缺：C1"):
        panels.save_sheet(uow, ZHAO, "e", {"A1": "8"}, 0, submit=True)
    panels.save_sheet(uow, ZHAO, "e", {"A1": "8", "C1": "45"}, 0, submit=True)
    with pytest.raises(Conflict, match="您的评分表已提交，不能再修改"):
        panels.save_sheet(uow, ZHAO, "e", {"A1": "9", "C1": "45"}, 1)


def test_the_evaluator_sees_an_experts_scores_only_once_the_sheet_is_submitted():
    uow = panel_uow(ZHAO, QIAN)
    panels.save_sheet(uow, ZHAO, "e", {"A1": "8"}, 0)
    draft = panels.panel_view(uow, EVALUATOR, "e")
    assert draft.visible == [] and draft.result is None
    assert [(s.expert, dict(s.scores)) for s in draft.panel.sheets] == [("zj1", {})]
    assert panels.panel_view(uow, ZHAO, "e").mine.scores == {"A1": Decimal(8)}
    panels.save_sheet(uow, ZHAO, "e", {"A1": "8", "C1": "40"}, 1, submit=True)
    panels.save_sheet(uow, QIAN, "e", {"A1": "6", "C1": "44"}, 0, submit=True)
    done = panels.panel_view(uow, EVALUATOR, "e")
    assert [s.expert for s in done.visible] == ["zj1", "zj2"]
    assert (done.result["A1"].score, done.result["C1"].score) == (Decimal(7), Decimal(42))
