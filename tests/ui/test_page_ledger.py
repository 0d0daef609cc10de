"""资金台账: the ledger edited in a form — a valid save, invalid values named in Chinese, a save on
top of someone else's refused, and the form locked when the evaluation is 定稿."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from screen import fill as screen_fill
from screen import texts
from signin import PAGE_USER

from workbench.services import cases, evaluations, project_forms
from workbench.services.ports import AuditFilter

YIYANG = "yiyang-smart-brain-2018-eval"


@pytest.fixture
def own_project(new_evaluation) -> str:
    """A new 草稿 evaluation of a project of its own (the Yiyang ledger is shared with a 定稿)."""
    return new_evaluation(ledger={"total_investment": "300", "plan": [{"year": 2025, "amount": "300"}]})


def fill(at, eid: str, values: dict[str, str]):
    return screen_fill(at, f"ledger:{eid}", values)


def save(at):
    return next(b for b in at.button if b.label == "保存台账").click().run()


def stored_ledger(app_db, eid):
    return evaluations.get_case(app_db.uow(), PAGE_USER, eid).case.ledger


def test_a_valid_ledger_with_a_spend_line_in_yuan_is_saved_and_audited(open_page, own_project, app_db):
    at = open_page("ledger", own_project)
    fill(
        at, own_project, {"years:0:year": "2025", "years:0:arranged": "300", "years:0:stated_spend": "118.5"}
    )
    fill(at, own_project, {"lines:0:year": "2025", "lines:0:category": "工程款", "lines:0:amount": "118.5"})
    fill(at, own_project, {"lines:0:payee": "某建设公司"})

    at = save(at)

    assert not at.exception and not at.error, texts(at.error)
    assert any("已保存资金台账" in s for s in texts(at.success))
    ledger = stored_ledger(app_db, own_project)
    assert ledger.funds(2025).arranged == D(300) and ledger.spend(2025) == D("118.5")
    assert ledger.spend_lines[0].payee == "某建设公司" and ledger.spend_lines[0].unit == "万元"
    uow = app_db.uow()
    with uow:
        records, total = uow.audit.query(AuditFilter(event="修改资金台账", object=own_project), 10, 0)
    assert total == 1 and records[0].username == PAGE_USER.username


def test_invalid_amounts_and_years_are_refused_naming_table_row_and_field(open_page, own_project, app_db):
    at = open_page("ledger", own_project)
    fill(at, own_project, {"total": "三百万", "plan:0:year": "二〇二五", "lines:0:year": "2025"})
    fill(at, own_project, {"lines:0:category": "工程款", "lines:0:amount": "-5"})

    at = save(at)

    errors = " ".join(texts(at.error))
    assert "总投资" in errors and "三百万" in errors
    assert "分年支付计划 第 1 行" in errors and "年度" in errors
    assert "支出明细 第 1 行" in errors and "金额" in errors
    assert stored_ledger(app_db, own_project).total_investment == D(300)


def test_a_save_on_top_of_someone_elses_is_refused_and_keeps_theirs(open_page, own_project, app_db):
    at = open_page("ledger", own_project)
    form = project_forms.open_ledger(app_db.uow(), PAGE_USER, own_project)
    project_forms.save_ledger(app_db.uow(), PAGE_USER, own_project, "320", {"plan": []}, form.version)

    at = save(fill(at, own_project, {"total": "999"}))

    errors = " ".join(texts(at.error))
    assert "已被" in errors and "本次修改未保存" in errors
    assert stored_ledger(app_db, own_project).total_investment == D(320)
    assert any(b.label == "放弃我的修改，载入最新台账" for b in at.button)


def test_the_ledger_of_a_final_evaluation_is_locked(open_page):
    at = open_page("ledger", YIYANG)

    assert at.text_input(key=f"ledger:{YIYANG}:total").disabled
    assert next(b for b in at.button if b.label == "保存台账").disabled
    assert at.text_input(key=f"ledger:{YIYANG}:total").value == "14680"


def test_a_draft_sharing_the_final_evaluations_project_saves_into_a_copy_and_says_so(open_page, app_db):
    draft = cases.copy_evaluation(app_db.uow(), PAGE_USER, YIYANG, "yiyang-ledger-copy")
    at = open_page("ledger", draft)
    assert any(YIYANG in s and "项目副本" in s for s in texts(at.info))

    at = save(fill(at, draft, {"total": "15000"}))

    assert not at.exception
    (message,) = [s for s in texts(at.success) if "已保存资金台账" in s]
    assert "yiyang-smart-brain-2018-v2" in message and YIYANG in message
    assert stored_ledger(app_db, draft).total_investment == D(15000)
    assert stored_ledger(app_db, YIYANG).total_investment == D(14680)
    assert not any("项目副本" in s for s in texts(at.info))  # the draft's project is its own now
