"""Starting evaluations (blank form, copy) and storing indicator systems, on the in-memory fake."""

from decimal import Decimal as D

import pytest
from service_fakes import EVALUATOR, FULL, stocked_uow

from workbench.errors import Conflict, InvalidInput, NotFound
from workbench.services import cases, catalog, evaluations

FORM = {"name": "乡村道路建设项目", "year": 2025, "unit": {"name": "县交通运输局"}}

SYSTEM_YAML = """\
id: roads-2025
name: 道路项目指标体系
indicators:
  - code: A
    name: 决策
    weight: 40
    children:
      - {code: A1, name: 立项依据, weight: 40, rule: {kind: manual}}
  - code: B
    name: 产出
    weight: 60
    children:
      - {code: B1, name: 完成率, weight: 50, rule: {kind: ratio, target: 100}}
"""


def test_new_evaluation_from_a_blank_project_form_starts_as_an_unscored_draft():
    uow = stocked_uow(FULL)

    new_id = cases.new_evaluation(uow, EVALUATOR, FORM, "t", "mof-2020")

    opened = evaluations.get_case(uow, EVALUATOR, new_id)
    assert (new_id, opened.case.project.id) == ("project-2025-eval", "project-2025")
    assert opened.case.evaluation.status == "草稿"
    assert (opened.scorecard.complete, opened.scorecard.total) == (False, D("0.00"))
    assert opened.case.ledger.total_investment == 0


def test_project_form_with_a_blank_name_names_the_field():
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput, match="项目基本情况，字段「名称」：不能为空"):
        cases.new_evaluation(uow, EVALUATOR, {**FORM, "name": ""}, "t", "mof-2020")
    assert uow.commits == 0


def test_new_evaluation_on_an_unknown_indicator_system_is_not_found():
    with pytest.raises(NotFound, match="找不到指标体系“nope”"):
        cases.new_evaluation(stocked_uow(FULL), EVALUATOR, FORM, "nope", "mof-2020")


def test_copy_for_the_next_year_keeps_the_scores_and_starts_as_a_draft():
    uow = stocked_uow(FULL, status="定稿")

    new_id = cases.copy_evaluation(uow, EVALUATOR, "e", year=2025)

    copy = evaluations.get_case(uow, EVALUATOR, new_id)
    assert new_id == "p-2025-eval"
    assert (copy.case.evaluation.year, copy.case.evaluation.status) == (2025, "草稿")
    assert copy.scorecard.total == D("100.00")
    assert evaluations.get_case(uow, EVALUATOR, "e").case.evaluation.status == "定稿"


def test_copy_onto_an_existing_evaluation_number_is_refused():
    with pytest.raises(Conflict, match="评价记录“e”已存在"):
        cases.copy_evaluation(stocked_uow(FULL), EVALUATOR, "e", "e")


def test_indicator_system_text_with_wrong_weights_names_the_file_and_line():
    uow = stocked_uow(FULL)
    with pytest.raises(InvalidInput) as err:
        catalog.import_system(uow, EVALUATOR, SYSTEM_YAML.encode(), "道路.yaml")
    assert err.value.messages == [
        "文件 道路.yaml，第 9 行，指标 B（产出），字段「分值」：下级指标分值合计 50.00，应等于本级分值 60.00（相差 -10.00）"
    ]
    assert [s.id for s in catalog.list_systems(uow, EVALUATOR)] == ["t"]


def test_the_same_system_twice_is_stored_once_and_a_changed_one_under_its_id_is_refused():
    uow = stocked_uow(FULL)
    good = SYSTEM_YAML.replace("weight: 50", "weight: 60")

    first = catalog.import_system(uow, EVALUATOR, good, "道路.yaml")
    again = catalog.import_system(uow, EVALUATOR, good, "道路-副本.yaml")
    with pytest.raises(Conflict, match="指标体系“roads-2025”已存在且内容不同"):
        catalog.import_system(uow, EVALUATOR, good.replace("立项依据", "立项依据充分性"), "道路-改.yaml")

    assert (first.created, again.created) == (True, False)
    assert catalog.get_system(uow, EVALUATOR, "roads-2025").find("A1").name == "立项依据"


def test_a_system_file_that_is_not_utf8_is_refused_with_its_name():
    with pytest.raises(InvalidInput, match=r"文件 旧表\.yaml：文件不是 UTF-8 编码的文本"):
        catalog.import_system(stocked_uow(FULL), EVALUATOR, SYSTEM_YAML.encode("gb18030"), "旧表.yaml")
