"""Project facts and ledger saved from forms, on SQLite and PostgreSQL: versioned, and never
changed underneath an evaluation that is 定稿."""

from decimal import Decimal as D

import pytest
from actors import EVALUATOR

from workbench.errors import Conflict, InvalidInput
from workbench.services import cases, evaluations, project_forms
from workbench.services.ports import AuditFilter

YIYANG = "yiyang-smart-brain-2018-eval"


@pytest.fixture
def river(editable_db) -> str:
    project = {"name": "河道整治项目", "year": 2025, "unit": {"name": "市水利局"}}
    return cases.new_evaluation(editable_db.uow(), EVALUATOR, project, "yiyang-2018", "excellent-good")


def test_a_ledger_saved_twice_from_the_same_version_keeps_the_first_and_refuses_the_second(
    editable_db, river
):
    form = project_forms.open_ledger(editable_db.uow(), EVALUATOR, river)
    lines = [{"year": "2025", "category": "空调维修费", "amount": "8.4", "unit": "元", "planned": "否"}]

    project_forms.save_ledger(
        editable_db.uow(), EVALUATOR, river, "300", {"spend_lines": lines}, form.version
    )
    with pytest.raises(Conflict) as caught:
        project_forms.save_ledger(editable_db.uow(), EVALUATOR, river, "999", {}, form.version)

    assert "本次修改未保存" in str(caught.value)
    ledger = evaluations.get_case(editable_db.uow(), EVALUATOR, river).case.ledger
    assert ledger.total_investment == D(300)
    assert (ledger.spend_lines[0].amount, ledger.spend_lines[0].unit, ledger.spend_lines[0].planned) == (
        D("8.4"),
        "元",
        False,
    )


def test_a_spend_line_with_an_unknown_unit_is_refused_naming_row_and_field(editable_db, river):
    form = project_forms.open_ledger(editable_db.uow(), EVALUATOR, river)
    lines = [{"year": "2025", "category": "工程款", "amount": "10", "unit": "千元"}]

    with pytest.raises(InvalidInput) as caught:
        project_forms.save_ledger(
            editable_db.uow(), EVALUATOR, river, "300", {"spend_lines": lines}, form.version
        )

    (problem,) = caught.value.problems
    assert "支出明细 第 1 行" in str(problem) and "单位" in str(problem)


def test_a_draft_sharing_its_project_with_a_final_evaluation_gets_its_own_copy_on_save(seeded_db):
    draft = cases.copy_evaluation(seeded_db.uow(), EVALUATOR, YIYANG, "yiyang-draft-ledger")
    form = project_forms.open_ledger(seeded_db.uow(), EVALUATOR, draft)
    tables = {"spend_lines": [{"year": "2018", "category": "软硬件建设费", "amount": "1835"}]}

    saved = project_forms.save_ledger(seeded_db.uow(), EVALUATOR, draft, "15000", tables, form.version)

    assert form.editable and form.shared_with == (YIYANG,)
    assert saved.project_id == "yiyang-smart-brain-2018-v2" and YIYANG in saved.note
    mine = evaluations.get_case(seeded_db.uow(), EVALUATOR, draft).case
    assert (mine.project.id, mine.ledger.total_investment, mine.project.name) == (
        saved.project_id,
        D(15000),
        "益阳智慧大脑+政务服务项目",
    )
    final = evaluations.get_case(seeded_db.uow(), EVALUATOR, YIYANG)
    assert final.case.project.id == "yiyang-smart-brain-2018"
    assert final.case.ledger.total_investment == D(14680) and len(final.case.ledger.spend_lines) == 5
    assert f"{final.scorecard.total}" == "83.00"
    with seeded_db.uow() as uow:
        (event,), _ = uow.audit.query(
            AuditFilter(object=draft, event="修改资金台账（另存为本评价的项目副本）"), 0, 0
        )
    assert saved.project_id in event.detail and "yiyang-smart-brain-2018 " in event.detail


def test_after_its_copy_a_draft_saves_into_its_own_project_without_copying_again(seeded_db):
    draft = cases.copy_evaluation(seeded_db.uow(), EVALUATOR, YIYANG, "yiyang-draft-facts")
    form = project_forms.open_project(seeded_db.uow(), EVALUATOR, draft)
    facts = form.project.model_dump(mode="python", exclude={"id"})
    first = project_forms.save_project(
        seeded_db.uow(), EVALUATOR, draft, {**facts, "region": "益阳市赫山区"}, form.version
    )

    again = project_forms.open_project(seeded_db.uow(), EVALUATOR, draft)
    second = project_forms.save_project(
        seeded_db.uow(), EVALUATOR, draft, {**facts, "region": "益阳市资阳区"}, again.version
    )

    assert again.shared_with == () and second.project_id == first.project_id and second.note == ""
    assert evaluations.get_case(seeded_db.uow(), EVALUATOR, draft).case.project.region == "益阳市资阳区"
    assert evaluations.get_case(seeded_db.uow(), EVALUATOR, YIYANG).case.project.region == "益阳市"


def test_a_stale_form_on_a_shared_project_is_refused_before_any_copy_is_made(seeded_db):
    draft = cases.copy_evaluation(seeded_db.uow(), EVALUATOR, YIYANG, "yiyang-draft-stale")
    form = project_forms.open_ledger(seeded_db.uow(), EVALUATOR, draft)

    with pytest.raises(Conflict):
        project_forms.save_ledger(seeded_db.uow(), EVALUATOR, draft, "1", {}, form.version + 1)

    mine = evaluations.get_case(seeded_db.uow(), EVALUATOR, draft).case
    assert mine.project.id == "yiyang-smart-brain-2018" and mine.ledger.total_investment == D(14680)


def test_an_absurdly_large_amount_is_refused_instead_of_breaking_the_sums(editable_db, river):
    form = project_forms.open_ledger(editable_db.uow(), EVALUATOR, river)
    lines = [{"year": "2025", "category": "工程款", "amount": "1e999999", "unit": "万元"}]

    with pytest.raises(InvalidInput) as caught:
        project_forms.save_ledger(
            editable_db.uow(), EVALUATOR, river, "300", {"spend_lines": lines}, form.version
        )

    (problem,) = caught.value.problems
    assert "支出明细 第 1 行" in str(problem) and "数字过大" in str(problem)
