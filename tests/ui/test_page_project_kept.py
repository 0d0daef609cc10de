"""项目信息 of a draft whose project is shared with a 定稿 evaluation of another year says that the
定稿 report keeps what it printed, so an edit here cannot change a signed report."""

from __future__ import annotations

from actors import REVIEWER, add_accounts
from multiyear_steps import DEMO, PROJECT, Y2018
from screen import texts
from signin import PAGE_USER

from workbench.services import cases, review
from workbench.services.next_year import next_year

NOTE = "已定稿的2018年度评价保存了定稿时的项目信息与资金台账，此处修改不会改变其报告。"


def test_the_2019_project_page_says_the_定稿_2018_report_keeps_its_own_project_and_ledger(open_page, app_db):
    add_accounts(app_db, REVIEWER)
    cases.import_case(app_db.uow(), PAGE_USER, DEMO / f"{PROJECT}-2018")
    review.advance(app_db.uow(), REVIEWER, Y2018, "workflow.reopen", reason="重新定稿")
    review.advance(app_db.uow(), PAGE_USER, Y2018, "workflow.submit")
    review.advance(app_db.uow(), REVIEWER, Y2018, "workflow.review")
    review.advance(app_db.uow(), REVIEWER, Y2018, "workflow.finalize")
    draft = next_year(app_db.uow(), PAGE_USER, Y2018, 2019)

    assert NOTE in texts(open_page("project", draft).info)
    assert NOTE not in texts(open_page("project", Y2018).info)
