"""项目信息: the project's facts in a form — a valid save keeps what the form does not show,
invalid values are named in Chinese, a save on top of someone else's is refused, 定稿 locks it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from screen import fill as screen_fill
from screen import texts
from signin import PAGE_USER

from workbench.services import evaluations, project_forms
from workbench.services.ports import AuditFilter

YIYANG = "yiyang-smart-brain-2018-eval"


@pytest.fixture
def own_project(new_evaluation) -> str:
    unit = {"name": "市水利局", "description": "负责全市水利工作"}
    contents = [{"title": "堤防加固", "text": "加固堤防 3 公里", "source": "实施方案"}]
    return new_evaluation({"name": "河道整治项目", "year": 2025, "unit": unit, "contents": contents})


def fill(at, eid: str, values: dict[str, str]):
    return screen_fill(at, f"project:{eid}", values)


def save(at):
    return next(b for b in at.button if b.label == "保存项目信息").click().run()


def stored_project(app_db, eid):
    return evaluations.get_case(app_db.uow(), PAGE_USER, eid).case.project


def test_a_valid_save_changes_the_facts_and_keeps_what_the_form_does_not_show(open_page, own_project, app_db):
    at = open_page("project", own_project)
    fill(at, own_project, {"unit.staffing.authorized": "13", "procurement.contractor": "某建设公司"})
    fill(
        at,
        own_project,
        {"targets:0:name": "堤防达标率", "targets:0:target": "100%", "targets:0:target_value": "100"},
    )
    fill(at, own_project, {"targets:0:actual_value": "96", "targets:0:unit": "%"})

    at = save(at)

    assert not at.error, texts(at.error)
    assert any("已保存项目信息" in s for s in texts(at.success))
    project = stored_project(app_db, own_project)
    assert project.unit.staffing.authorized == 13 and project.procurement.contractor == "某建设公司"
    assert (project.targets[0].target_value, project.targets[0].actual_value) == (D(100), D(96))
    assert project.unit.description == "负责全市水利工作" and project.contents[0].source == "实施方案"
    uow = app_db.uow()
    with uow:
        _, total = uow.audit.query(AuditFilter(event="修改项目信息", object=own_project), 10, 0)
    assert total == 1


def test_invalid_values_are_refused_naming_the_field_and_nothing_changes(open_page, own_project, app_db):
    at = open_page("project", own_project)
    fill(at, own_project, {"name": "", "unit.staffing.authorized": "十三", "targets:0:name": "达标率"})
    fill(at, own_project, {"targets:0:target_value": "百分之百"})

    at = save(at)

    errors = " ".join(texts(at.error))
    assert "项目信息" in errors and "百分之百" in errors and "十三" in errors
    assert stored_project(app_db, own_project).name == "河道整治项目"


def test_a_save_on_top_of_someone_elses_is_refused(open_page, own_project, app_db):
    at = open_page("project", own_project)
    form = project_forms.open_project(app_db.uow(), PAGE_USER, own_project)
    theirs = {**form.project.model_dump(), "region": "北区"}
    project_forms.save_project(app_db.uow(), PAGE_USER, own_project, theirs, form.version)

    at = save(fill(at, own_project, {"region": "南区"}))

    assert "本次修改未保存" in " ".join(texts(at.error))
    assert stored_project(app_db, own_project).region == "北区"


def test_the_project_of_a_final_evaluation_is_locked(open_page):
    at = open_page("project", YIYANG)

    assert at.text_input(key=f"project:{YIYANG}:name").disabled
    assert next(b for b in at.button if b.label == "保存项目信息").disabled


def test_the_project_type_is_chosen_in_the_form_and_stored(open_page, own_project, app_db):
    at = open_page("project", own_project)
    box = next(s for s in at.selectbox if s.label.startswith("项目类型"))
    assert box.value == "未填写"

    box.set_value("连续性")
    at = save(at)

    assert not at.error, texts(at.error)
    assert stored_project(app_db, own_project).kind == "连续性"
