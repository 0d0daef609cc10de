"""Two small forms a user comes back to: 修改名称 in the page header (a copy named so colleagues
can tell it from its source) and the report's 落款 on 报告, both kept across a reload."""

from __future__ import annotations

from screen import button, shown, texts
from signin import PAGE_USER

from workbench.services import evaluations
from workbench.ui import session

YIYANG = "yiyang-smart-brain-2018-eval"


def _rename(at, evaluation_id: str, name: str):
    at.text_input(key=f"evaluation_name:{evaluation_id}").set_value(name)
    return button(at, "保存名称").click().run()


def test_renaming_a_draft_shows_the_new_name_in_the_header_and_the_picker_after_a_reload(
    open_page, draft, app_db
):
    at = _rename(open_page("scoring", draft), draft, "益阳智慧大脑 2018 复评稿")

    assert "评价名称已改为“益阳智慧大脑 2018 复评稿”。" in texts(at.success)
    assert (
        evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.title
        == "益阳智慧大脑 2018 复评稿"
    )

    again = open_page("scoring", draft)  # a new browser tab: everything read from the database
    assert "益阳智慧大脑 2018 复评稿" in shown(again)
    picker = again.sidebar.selectbox(key=session.PICKER)
    assert picker.value == draft
    assert "益阳智慧大脑 2018 复评稿" in picker.help  # the whole name; the list shows it cut to fit
    labels = picker.options  # as the list shows them
    assert len(set(labels)) == len(labels)  # told apart from the Yiyang evaluation it was copied from


def test_an_empty_name_is_refused_in_chinese_and_the_old_name_stays(open_page, draft, app_db):
    before = evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.title

    at = _rename(open_page("scoring", draft), draft, "   ")

    assert any("评价名称不能为空，未修改" in t for t in texts(at.error))
    assert evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.title == before


def test_a_finalised_evaluation_offers_no_rename(open_page):
    at = open_page("scoring", YIYANG)

    assert not [b for b in at.button if b.label == "保存名称"]
    assert not [t for t in at.text_input if str(t.key or "").startswith("evaluation_name:")]


def test_the_signature_saved_on_the_report_page_is_shown_again_after_a_reload(open_page, draft, app_db):
    at = open_page("report", draft)
    at.text_input(key="signature_organization").set_value("湖南某会计师事务所")
    at.text_input(key="signature_date").set_value("2019年6月")
    at.text_input(key="signature_unnamed").set_value("")
    at = button(at, "保存落款").click().run()
    assert "已保存落款" in shown(at)

    again = open_page("report", draft)  # reload: the form is filled from what was stored

    assert again.text_input(key="signature_organization").value == "湖南某会计师事务所"
    assert again.text_input(key="signature_date").value == "2019年6月"
    assert again.text_input(key="signature_unnamed").value == ""
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation
    assert (stored.evaluator.organization, stored.written, stored.evaluator.unnamed) == (
        "湖南某会计师事务所",
        "2019年6月",
        "",
    )
