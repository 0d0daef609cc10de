"""Project facts and ledger saved from forms, on SQLite and PostgreSQL: versioned, and never
changed underneath an evaluation that is 定稿."""

from decimal import Decimal as D

import pytest
from actors import EVALUATOR

from workbench.errors import Conflict, InvalidInput
from workbench.services import cases, evaluations, project_forms

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


def test_a_draft_sharing_its_project_with_a_final_evaluation_cannot_change_that_ledger(seeded_db):
    draft = cases.copy_evaluation(seeded_db.uow(), EVALUATOR, YIYANG, "yiyang-draft-ledger")
    form = project_forms.open_ledger(seeded_db.uow(), EVALUATOR, draft)

    with pytest.raises(Conflict) as caught:
        project_forms.save_ledger(seeded_db.uow(), EVALUATOR, draft, "1", {}, form.version)

    assert not form.editable and YIYANG in str(caught.value)
    final = evaluations.get_case(seeded_db.uow(), EVALUATOR, YIYANG)
    assert final.case.ledger.total_investment == D(14680) and f"{final.scorecard.total}" == "83.00"


def test_an_absurdly_large_amount_is_refused_instead_of_breaking_the_sums(editable_db, river):
    form = project_forms.open_ledger(editable_db.uow(), EVALUATOR, river)
    lines = [{"year": "2025", "category": "工程款", "amount": "1e999999", "unit": "万元"}]

    with pytest.raises(InvalidInput) as caught:
        project_forms.save_ledger(
            editable_db.uow(), EVALUATOR, river, "300", {"spend_lines": lines}, form.version
        )

    (problem,) = caught.value.problems
    assert "支出明细 第 1 行" in str(problem) and "数字过大" in str(problem)
