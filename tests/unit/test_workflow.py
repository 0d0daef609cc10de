"""The review workflow's states and transitions."""

import pytest

from workbench.domain.workflow import available, ensure_editable, transition
from workbench.errors import Conflict, InvalidInput


@pytest.mark.parametrize(
    ("status", "action", "target"),
    [
        ("草稿", "workflow.submit", "已提交"),
        ("已提交", "workflow.review", "已复核"),
        ("已复核", "workflow.finalize", "定稿"),
        ("退回修改", "workflow.submit", "已提交"),
        ("重新打开", "workflow.submit", "已提交"),
    ],
)
def test_the_normal_path_moves_step_by_step(status, action, target):
    assert transition(status, action).target == target


def test_returning_for_changes_needs_a_reason():
    with pytest.raises(InvalidInput, match="“退回修改”须填写理由"):
        transition("已提交", "workflow.return", "  ")
    assert transition("已提交", "workflow.return", "C51 扣分依据不足").target == "退回修改"


def test_reopening_a_final_evaluation_needs_a_reason():
    with pytest.raises(InvalidInput, match="须填写理由"):
        transition("定稿", "workflow.reopen")
    assert transition("定稿", "workflow.reopen", "财政局要求补充满意度调查").target == "重新打开"


def test_a_draft_cannot_be_finalised_without_review():
    with pytest.raises(Conflict, match="当前状态为“草稿”，不能执行“定稿”"):
        transition("草稿", "workflow.finalize")


@pytest.mark.parametrize("status", ["定稿", "已提交", "已复核"])
def test_scores_are_locked_outside_editable_states(status):
    with pytest.raises(Conflict):
        ensure_editable(status)


@pytest.mark.parametrize("status", ["草稿", "退回修改", "重新打开"])
def test_scores_can_change_in_editable_states(status):
    ensure_editable(status)


def test_available_actions_follow_the_status():
    assert [t.label for t in available("已提交")] == ["退回修改", "复核通过"]
    assert [t.label for t in available("定稿")] == ["重新打开"]
