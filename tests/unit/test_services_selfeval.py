"""The unit's self-evaluation and the evaluator's reconciliation notes through the services, on the
in-memory unit of work: drafts, the one final submission, sending back, and 核对说明."""

from __future__ import annotations

from decimal import Decimal

import pytest
from service_fakes import EVALUATOR, FULL, OTHER_UNIT, UNIT, unit_uow

from workbench.domain.funds import Funds, FundsLine
from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import reconciliation, selfeval
from workbench.services.ports import FAILURE


def filled_form(uow):
    """The prefilled form with every row achieved at full score and the budget fully spent."""
    form = selfeval.get_selfeval(uow, UNIT, "e").form
    rows = [r.model_copy(update={"target": "达成", "actual": "达成", "score": r.weight}) for r in form.rows]
    line = FundsLine(initial=Decimal(100), budget=Decimal(100), executed=Decimal(100))
    funds = Funds(total=line, current=line, weight=form.funds.weight)
    return form.model_copy(update={"rows": rows, "funds": funds})


def submitted(uow):
    selfeval.save_selfeval(uow, UNIT, "e", filled_form(uow), 0)
    return selfeval.submit_selfeval(uow, UNIT, "e", 1)


def test_a_new_self_evaluation_is_prefilled_with_one_row_per_indicator_of_the_system():
    shown = selfeval.get_selfeval(unit_uow(), UNIT, "e")
    assert shown.version == 0 and (shown.form.project, shown.form.year) == ("测试项目", 2024)
    assert [(r.level2, r.weight) for r in shown.form.rows] == [
        ("指标A1", 10),
        ("指标A2", 10),
        ("指标B1", 30),
        ("指标C1", 50),
    ]


def test_a_unit_saves_a_draft_submits_it_and_can_no_longer_change_it():
    uow = unit_uow()
    draft = selfeval.save_selfeval(uow, UNIT, "e", filled_form(uow), 0)
    assert (draft.version, draft.submitted, draft.card.total) == (1, False, Decimal("100.00"))
    shown = selfeval.submit_selfeval(uow, UNIT, "e", 1)
    assert shown.submitted and shown.submitted_by == "dw"
    assert selfeval.get_selfeval(uow, EVALUATOR, "e").submitted
    with pytest.raises(Conflict, match=r"自评表已由 dw 于 .* 提交，不能再修改"):
        selfeval.save_selfeval(uow, UNIT, "e", filled_form(uow), 2)
    assert [e.event for e in uow.state.audit] == ["保存自评表", "提交自评表"]


def test_a_form_not_saved_yet_cannot_be_submitted():
    uow = unit_uow()
    with pytest.raises(InvalidInput, match="请先保存自评表，再提交"):
        selfeval.submit_selfeval(uow, UNIT, "e", 0)


def test_a_draft_with_rows_not_scored_is_not_submitted_and_each_row_is_named():
    uow = unit_uow()
    blank = selfeval.get_selfeval(uow, UNIT, "e").form
    selfeval.save_selfeval(uow, UNIT, "e", blank, 0)
    with pytest.raises(InvalidInput, match="尚未计分") as refused:
        selfeval.submit_selfeval(uow, UNIT, "e", 1)
    assert "指标A1" in str(refused.value) and "指标C1" in str(refused.value)
    assert not selfeval.get_selfeval(uow, UNIT, "e").submitted


def test_a_unit_cannot_open_the_self_evaluation_of_another_units_project():
    uow = unit_uow()
    with pytest.raises(Forbidden, match="只能访问本单位的项目"):
        selfeval.get_selfeval(uow, OTHER_UNIT, "e")
    assert (uow.state.audit[-1].username, uow.state.audit[-1].result) == ("qt", FAILURE)


def test_a_form_sent_back_with_a_reason_is_a_draft_the_unit_may_correct_again():
    uow = unit_uow()
    submitted(uow)
    with pytest.raises(InvalidInput, match="请写明退回理由"):
        selfeval.return_selfeval(uow, EVALUATOR, "e", 2, "  ")
    back = selfeval.return_selfeval(uow, EVALUATOR, "e", 2, "满意度数据缺少调查问卷")
    assert not back.submitted and back.returned_reason == "满意度数据缺少调查问卷"
    seen = selfeval.get_selfeval(uow, UNIT, "e")
    assert (seen.returned_reason, seen.returned_by, seen.version) == ("满意度数据缺少调查问卷", "zhang", 3)
    assert selfeval.save_selfeval(uow, UNIT, "e", filled_form(uow), 3).version == 4


def test_no_reconciliation_note_is_written_before_the_unit_submits():
    uow = unit_uow()
    with pytest.raises(Conflict, match="项目单位尚未提交自评表，无需核对"):
        reconciliation.save_note(uow, EVALUATOR, "e", "2.1", "已核实", 0)


def test_an_inflated_self_score_is_flagged_until_the_evaluator_explains_it_in_a_note():
    uow = unit_uow({**FULL, "A1": {"deductions": [{"reason": "制度缺失", "points": 5}]}})
    submitted(uow)
    flagged = reconciliation.compare(uow, EVALUATOR, "e").comparison
    assert [r.code for r in flagged.rows if r.inflated] == ["2.1"]
    (problem,) = flagged.finalization_problems()
    assert "自评 10.00 分，评价 5.00 分" in problem.message
    stamp = reconciliation.save_note(uow, EVALUATOR, "e", "2.1", "单位未建立管理制度，自评偏高", 0)
    explained = reconciliation.compare(uow, EVALUATOR, "e")
    assert explained.comparison.finalization_problems() == [] and explained.version_of("2.1") == stamp.version
    with pytest.raises(InvalidInput, match="自评表中没有这个指标"):
        reconciliation.save_note(uow, EVALUATOR, "e", "9.9", "无此行", 0)
