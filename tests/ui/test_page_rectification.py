"""整改台账: last year's problems in the selected evaluation with deadline, status and 逾期; the
project unit starts, reports its result with 佐证材料 and asks for 延期; the evaluator approves the
extension and 销号 — each move through the page's forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from actors import UNIT, YIYANG
from screen import metric, shown, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import cases, evidence
from workbench.services import rectification as rect
from workbench.storage.uow import Database

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ISSUED = date.today() - timedelta(days=400)  # a one-year deadline has passed


@pytest.fixture(scope="module")
def ledger(app_db: Database, signed_in: Callable) -> tuple[str, list[str]]:  # type: ignore[type-arg]
    """A next-year evaluation of the Yiyang project with 2018's two problems carried into it, the
    second made 长期 (not overdue), and one 佐证材料 the unit uploaded to it."""
    signed_in(UNIT)
    target = cases.copy_evaluation(app_db.uow(), PAGE_USER, YIYANG, "rect-next")
    ids = rect.issue_items(app_db.uow(), PAGE_USER, YIYANG, target, today=ISSUED)
    rect.edit_item(app_db.uow(), PAGE_USER, ids[1], 1, kind="长期")
    evidence.upload_evidence(app_db.uow(), UNIT, target, "B25", "运维管理制度.pdf", PDF)
    return target, ids


def submit(at: AppTest, item_id: str, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:rect:{item_id}:form:{form}-{label}").click().run()


def test_the_ledger_lists_each_item_with_its_deadline_and_flags_the_overdue_one(open_page, ledger):
    target, _ = ledger
    at = open_page("rectification", target)
    kinds = rect.deadline_rules()

    assert (metric(at, "整改事项"), metric(at, "逾期")) == ("2", "1")
    table = at.dataframe[0].value
    assert list(table["问题"]) == ["该项目后期维护与管理有待加强", "专业技术人才不足"]
    assert list(table["逾期"]) == ["逾期", ""]
    assert list(table["期限"]) == [str(kinds.kind(k).deadline(ISSUED)) for k in ("短期", "长期")]
    heads = [m for m in at.markdown if "期限" in m.value]
    assert ":red[**逾期**]" in heads[0].value and "逾期" not in heads[1].value
    assert not [b for b in at.button if b.label == "开始整改"]  # the evaluator does not report


def test_the_unit_reports_with_evidence_asks_for_time_and_the_evaluator_approves_and_closes(
    open_page, ledger
):
    target, (first, second) = ledger
    at = open_page("rectification", target, as_=UNIT)
    at.button(key=f"rect:{first}:start").click().run()
    assert "已开始整改。" in texts(at.success)

    at = submit(at, first, "done", "报送整改结果")  # nothing written, nothing chosen
    assert any("请填写整改情况" in e for e in texts(at.error))
    at.text_area(key=f"rect:{first}:form:progress").set_value("已明确专人负责运维监管，建立巡检台账")
    choice = at.multiselect(key=f"rect:{first}:form:evidence")
    assert [o for o in choice.options if o.endswith("运维管理制度.pdf")]
    choice.set_value([o for o in choice.options if o.endswith("运维管理制度.pdf")])
    at = submit(at, first, "done", "报送整改结果")
    assert "已报送整改结果，待销号。" in texts(at.success)

    at.date_input(key=f"rect:{second}:form:until").set_value(date.today() + timedelta(days=2000))
    at.text_area(key=f"rect:{second}:form:why").set_value("技术人员招聘需经编制审批")
    at = submit(at, second, "ask", "提交延期申请")
    assert "已申请延期，待评价人员审批。" in texts(at.success)

    at = open_page("rectification", target)
    at = submit(at, second, "decide", "批准延期")
    assert "已批准延期，期限已调整。" in texts(at.success)
    at = submit(at, first, "check", "销号")
    assert "已销号。" in texts(at.success)
    assert list(at.dataframe[0].value["状态"]) == ["销号", "整改中"]
    assert str(date.today() + timedelta(days=2000)) in list(at.dataframe[0].value["期限"])
    assert "运维管理制度.pdf" in shown(at)
