"""待办: the first page after sign-in for those who work from it, listing what waits for each role
with the reason, one click into the right page with that evaluation selected; an empty list says
so and what comes next; a 领导 with nothing waiting opens on its usual page."""

from __future__ import annotations

from actors import CLI, EXPERT, LEADER, REVIEWER, UNIT
from review_helpers import EXPERT_B, name_panel
from screen import APP, TIMEOUT, shown, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest
from test_page_workflow import press, with_reason

from workbench.services import evaluations, users, worklist
from workbench.services.actors import Actor
from workbench.ui import session

OTHER_UNIT = Actor("river-unit", "市水利局", "项目单位")
NO_PROJECT = Actor("new-unit", "新单位", "项目单位")


def landing(signed_in, actor) -> AppTest:
    """The app as ``actor`` finds it right after signing in (nothing selected yet)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[session.LOGIN] = signed_in(actor)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def reaching(app_db, signed_in, unit: Actor, *projects: str) -> Actor:
    """``unit``'s account (made by ``signed_in``) set by the 系统管理员 to reach ``projects``."""
    signed_in(unit)
    found = next(u for u in users.list_users(app_db.uow(), CLI) if u.username == unit.username)
    users.update_user(app_db.uow(), CLI, unit.username, {"projects": list(projects)}, found.version)
    return unit


def todo_list(at: AppTest):
    """The list of to-dos: one choice per to-do, its value the to-do's place in the whole list."""
    found = [r for r in at.radio if str(r.key or "").startswith("todo:")]
    assert len(found) <= 1
    return found[0] if found else None


def listed(at: AppTest) -> list[str]:
    """The to-dos as the user reads them: each line and the line under it."""
    radio = todo_list(at)
    return (
        []
        if radio is None
        else [f"{o}\n{c}" for o, c in zip(radio.options, radio.proto.captions, strict=True)]
    )


def seen(at: AppTest) -> str:
    """Every text on the page, the to-dos included."""
    return "\n".join([shown(at), *listed(at)])


def open_item(at: AppTest, app_db, eid: str) -> AppTest:
    """Click the first to-do listed for evaluation ``eid`` (its place as the service lists the
    signed-in person's to-dos)."""
    login = at.session_state[session.LOGIN]
    actor = Actor(login.username, login.display_name, login.role)
    places = [n for n, item in enumerate(worklist.todo(app_db.uow(), actor)) if item.evaluation_id == eid]
    assert places, listed(at)
    return todo_list(at).set_value(places[0]).run()


def test_an_evaluator_lands_on_todo_and_opens_the_returned_evaluation_with_its_reason(
    app_db, open_page, signed_in, draft
):
    press(open_page("overview", draft), draft, "workflow.submit")
    with_reason(
        open_page("overview", draft, as_=REVIEWER), draft, "workflow.return", "退回修改", "B25 缺运维记录"
    )

    at = landing(signed_in, PAGE_USER)

    assert texts(at.title) == ["待办"]
    assert "理由：B25 缺运维记录" in seen(at) and "wang（复核人）" in seen(at)
    at = open_item(at, app_db, draft)
    assert texts(at.title) == ["评分"] and at.session_state[session.EVALUATION] == draft
    assert "B25 缺运维记录" in shown(at)  # the page says it again where the work is done


def test_a_reviewer_opens_a_submitted_evaluation_from_todo_on_the_scoring_page(
    app_db, open_page, signed_in, draft
):
    press(open_page("overview", draft), draft, "workflow.submit")

    at = landing(signed_in, REVIEWER)

    assert texts(at.title) == ["待办"] and "待复核" in seen(at)
    at = open_item(at, app_db, draft)
    assert texts(at.title) == ["评分"] and at.session_state[session.EVALUATION] == draft
    assert any(b.label == "复核通过" for b in at.button)


def test_an_expert_named_on_a_panel_opens_it_and_another_expert_is_told_what_comes_next(
    app_db, signed_in, draft
):
    signed_in(EXPERT)
    name_panel(app_db, [EXPERT], draft)

    at = landing(signed_in, EXPERT)
    assert texts(at.title) == ["待办"] and "您是本评价专家组成员，尚未评分" in seen(at)
    at = open_item(at, app_db, draft)
    assert texts(at.title) == ["专家评分"] and at.session_state[session.EVALUATION] == draft

    other = landing(signed_in, EXPERT_B)
    assert "目前没有待办事项。" in texts(other.success)
    assert "列入某项评价的专家组后" in shown(other) and todo_list(other) is None


def test_a_unit_sees_only_its_own_self_evaluations_to_fill_and_opens_one(
    app_db, signed_in, draft, new_evaluation
):
    river = new_evaluation()
    at = landing(signed_in, UNIT)

    assert texts(at.title) == ["待办"] and "自评表尚未填报" in seen(at)
    assert "河道整治项目" not in seen(at)  # another unit's project
    at = open_item(at, app_db, draft)
    assert texts(at.title) == ["自评表"] and at.session_state[session.EVALUATION] == draft

    project = evaluations.get_case(app_db.uow(), REVIEWER, river).case.project.id
    other = landing(signed_in, reaching(app_db, signed_in, OTHER_UNIT, project))
    assert len(listed(other)) == 1 and "河道整治项目" in listed(other)[0]
    assert open_item(other, app_db, river).session_state[session.EVALUATION] == river


def test_a_leader_with_nothing_waiting_opens_on_the_overview_and_finds_todo_in_the_menu(signed_in):
    at = landing(signed_in, LEADER)

    assert texts(at.title) == ["项目总览"]
    at.switch_page("workbench/ui/views/todo.py").run()
    assert texts(at.title) == ["待办"] and "目前没有待办事项。" in texts(at.success)
    assert "可在左侧“当前评价”中选择评价查看。" in shown(at)


def test_a_unit_without_any_project_is_told_its_list_is_empty(app_db, signed_in):
    at = landing(signed_in, reaching(app_db, signed_in, NO_PROJECT))

    assert texts(at.title) == ["待办"] and "目前没有待办事项。" in texts(at.success)
    assert "没有需要本单位填报或修改的自评表" in shown(at)
