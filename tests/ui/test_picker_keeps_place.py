"""The selected evaluation is held by its id: it stays through every workflow step and the
流程记录 switch (even when the copy is named like the reference case), it is reopened at the
user's next sign-in, and a copy gets a name of its own."""

from __future__ import annotations

import re

from actors import REVIEWER
from screen import APP, TIMEOUT, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest
from test_page_workflow import press, status, with_reason

from workbench.services import cases, choices, evaluations
from workbench.ui import session

YIYANG = "yiyang-smart-brain-2018-eval"


def picked(at: AppTest) -> str:
    return at.sidebar.selectbox(key=session.PICKER).value


def test_the_selected_copy_stays_selected_through_every_workflow_step(open_page, draft, app_db):
    at = press(open_page("overview", draft), draft, "workflow.submit")
    at = at.run()  # the next click after the step
    assert picked(at) == draft and session.EVALUATION in at.session_state

    at = open_page("overview", draft, as_=REVIEWER)
    at = with_reason(at, draft, "workflow.return", "退回修改", "请补充 B25 的运维记录")
    assert picked(at.run()) == draft and status(app_db, draft) == "退回修改"
    at = press(open_page("overview", draft), draft, "workflow.submit")
    at = press(open_page("overview", draft, as_=REVIEWER), draft, "workflow.review")
    assert picked(at.run()) == draft
    at = press(at, draft, "workflow.finalize")
    assert picked(at.run()) == draft and status(app_db, draft) == "定稿"
    at = with_reason(at, draft, "workflow.reopen", "重新打开", "审计意见要求调整 C51")
    at = at.toggle(key=f"workflow_history:{draft}").set_value(True).run()
    assert picked(at) == draft and status(app_db, draft) == "重新打开"


def test_the_evaluation_picked_last_is_reopened_at_the_next_sign_in(open_page, draft, signed_in):
    at = open_page("overview", YIYANG)
    at = at.sidebar.selectbox(key=session.PICKER).set_value(draft).run()
    assert picked(at.run()) == draft

    again = AppTest.from_file(APP, default_timeout=TIMEOUT)  # a new tab: a new sign-in
    again.session_state[session.LOGIN] = signed_in(REVIEWER)
    again.run()
    assert picked(again) != draft  # another person's place is their own
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)

    again.session_state[session.LOGIN] = signed_in(PAGE_USER)
    again.run()
    assert picked(again) == draft


def test_a_copy_is_named_apart_from_its_source_and_the_picker_shows_short_labels(app_db, open_page):

    first = cases.copy_evaluation(app_db.uow(), PAGE_USER, YIYANG)
    second = cases.copy_evaluation(app_db.uow(), PAGE_USER, first)
    offered = {c.id: c for c in choices.evaluation_choices(app_db.uow(), PAGE_USER)}

    names = [offered[i].name for i in (YIYANG, first, second)]
    assert len(set(names)) == 3 and all(n.startswith(names[0]) for n in names)
    assert re.fullmatch(r"（副本 \d+）", names[2].removeprefix(names[0]))  # a copy of a copy: one suffix
    at = open_page("overview", second)
    box = at.sidebar.selectbox(key=session.PICKER)
    label = offered[second].short_label()
    assert label in box.options and "副本" in label and label != offered[first].short_label()
    assert len(label) <= 20 and second not in label
    assert second not in " ".join(m.value for m in at.main.markdown)  # no raw id as a heading


def test_an_evaluator_renames_a_draft_and_the_picker_shows_the_new_name(open_page, draft, app_db):
    at = open_page("overview", draft)
    at.text_input(key=f"evaluation_name:{draft}").set_value("益阳 2018 复评稿")
    at = at.button(key=f"FormSubmitter:evaluation_name_form:{draft}-保存名称").click().run()

    assert "评价名称已改为“益阳 2018 复评稿”。" in texts(at.success)
    assert picked(at) == draft
    assert "2018 益阳 2018 复评稿（草稿）" in at.sidebar.selectbox(key=session.PICKER).options
    assert evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.title == "益阳 2018 复评稿"


def test_a_finalised_evaluation_offers_no_rename(open_page):
    at = open_page("overview", YIYANG)
    assert not [t for t in at.text_input if str(t.key).startswith("evaluation_name:")]
