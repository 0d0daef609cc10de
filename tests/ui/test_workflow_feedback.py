"""Workflow feedback: the evaluator sent back reads the reason where they start working, and
while the evaluation is in review the page says who acts next."""

from __future__ import annotations

from actors import REVIEWER
from screen import texts
from test_page_workflow import press, with_reason


def test_the_evaluator_sees_the_return_reason_prominently_and_who_acts_next(open_page, draft):
    at = press(open_page("overview", draft), draft, "workflow.submit")
    assert any("下一步由复核人复核" in i for i in texts(at.info))

    with_reason(
        open_page("overview", draft, as_=REVIEWER), draft, "workflow.return", "退回修改", "B25 缺运维记录"
    )
    at = open_page("scoring", draft)

    warning = next(w for w in texts(at.warning) if "退回修改，理由" in w)
    assert "wang（复核人）" in warning and warning.endswith("B25 缺运维记录")

    press(at, draft, "workflow.submit")
    at = press(open_page("overview", draft, as_=REVIEWER), draft, "workflow.review")
    assert any("已复核：下一步由复核人定稿" in i for i in texts(at.info))
