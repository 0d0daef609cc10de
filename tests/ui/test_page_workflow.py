"""The review workflow in the page header: each role sees the steps it may take now; 提交复核,
退回修改 (reason required), 复核通过, 定稿 and 重新打开 (reason required) move the status; the
history lists every move with who and why."""

from __future__ import annotations

from actors import LEADER, REVIEWER
from screen import texts
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations

# Pop-overs that are no workflow step: the name, and the 领导看板's details.
NOT_STEPS = {"修改名称", "全部绩效目标（目标值与实际值）", "全部问题与扣分最多的指标"}


def step_labels(at: AppTest) -> list[str]:
    steps = [b.label for b in at.button if str(b.key or "").startswith("workflow:")]
    popovers = [p.proto.popover.label for p in at.get("popover")]  # popovers are plain blocks here
    workflow_popovers = [p for p in popovers if p not in NOT_STEPS and not p.startswith("项目历年")]
    return steps + workflow_popovers


def press(at: AppTest, eid: str, action: str) -> AppTest:
    return at.button(key=f"workflow:{eid}:{action}").click().run()


def with_reason(at: AppTest, eid: str, action: str, label: str, reason: str) -> AppTest:
    at.text_area(key=f"workflow_reason:{eid}:{action}").set_value(reason)
    return at.button(key=f"FormSubmitter:workflow_form:{eid}:{action}-确认{label}").click().run()


def status(app_db, eid: str) -> str:  # type: ignore[no-untyped-def]
    return evaluations.get_case(app_db.uow(), REVIEWER, eid).case.evaluation.status


def test_an_evaluator_submits_a_draft_and_then_has_no_step_left(open_page, draft, app_db):
    at = open_page("overview", draft)
    assert step_labels(at) == ["提交复核"]

    at = press(at, draft, "workflow.submit")

    assert "已提交复核：评价现为“已提交”。" in texts(at.success)
    assert ":blue-badge[状态：已提交]" in texts(at.markdown)
    assert step_labels(at) == [] and status(app_db, draft) == "已提交"


def test_a_reviewer_returns_with_a_reason_then_approves_finalises_and_reopens(open_page, draft, app_db):
    press(open_page("overview", draft), draft, "workflow.submit")
    at = open_page("overview", draft, as_=REVIEWER)
    assert set(step_labels(at)) == {"复核通过", "退回修改"}

    at = with_reason(at, draft, "workflow.return", "退回修改", "  ")
    assert "“退回修改”须填写理由" in texts(at.error) and status(app_db, draft) == "已提交"
    at = with_reason(at, draft, "workflow.return", "退回修改", "B25 扣分依据不足，请补充运维记录")
    assert status(app_db, draft) == "退回修改"

    press(open_page("overview", draft), draft, "workflow.submit")
    at = press(open_page("overview", draft, as_=REVIEWER), draft, "workflow.review")
    assert status(app_db, draft) == "已复核" and step_labels(at) == ["定稿"]
    at = press(at, draft, "workflow.finalize")
    assert ":green-badge[状态：定稿]" in texts(at.markdown)
    at = with_reason(at, draft, "workflow.reopen", "重新打开", "审计意见要求调整 C51")
    assert status(app_db, draft) == "重新打开"

    at = at.toggle(key=f"workflow_history:{draft}").set_value(True).run()
    history = next(d.value for d in at.dataframe if "操作" in d.value.columns)
    assert list(history["操作"]) == ["提交复核", "退回修改", "提交复核", "复核通过", "定稿", "重新打开"]
    assert history["理由"].iloc[1] == "B25 扣分依据不足，请补充运维记录"
    assert history["状态"].iloc[-1] == "定稿 → 重新打开" and history["人员"].iloc[-1] == "wang（复核人）"


def test_a_leader_sees_the_status_but_no_step_to_take(open_page, draft):
    at = open_page("dashboard", draft, as_=LEADER)
    assert ":gray-badge[状态：草稿]" in texts(at.markdown)
    assert step_labels(at) == []


def test_a_reviewer_reopens_the_finalised_case_from_the_scoring_page(open_page, app_db):
    at = open_page("scoring", "yiyang-smart-brain-2018-eval", as_=REVIEWER)
    assert "重新打开" in step_labels(at)
    at = with_reason(at, "yiyang-smart-brain-2018-eval", "workflow.reopen", "重新打开", "补充评分依据")
    assert "已重新打开：评价现为“重新打开”。" in texts(at.success)
    assert status(app_db, "yiyang-smart-brain-2018-eval") == "重新打开"
