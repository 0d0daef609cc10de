"""评分 for daily work: 上一项/下一项 through the indicators with the scored ones marked, the saved
message stating the new total and grade, save-and-next, multi-line reasons, a deduction's 扣分处数
kept, a locked evaluation shown read-only, and the Word report one click away in the bar."""

from __future__ import annotations

import io

from docx import Document
from screen import button, metric, shown, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations, review
from workbench.services.actors import Actor

REVIEWER = Actor("wang", "王复核", "复核人")


def picker(at: AppTest, eid: str):  # type: ignore[no-untyped-def]
    return at.selectbox(key=f"score_code:{eid}")


def save_button(at: AppTest, eid: str, code: str, label: str = "保存评分"):  # type: ignore[no-untyped-def]
    return at.button(key=f"FormSubmitter:score:{eid}:{code}:form-{label}")


def stored_entry(app_db, eid: str, code: str):  # type: ignore[no-untyped-def]
    return evaluations.get_case(app_db.uow(), PAGE_USER, eid).case.evaluation.scores.get(code)


def test_next_and_previous_walk_through_the_indicators_in_order(open_page, draft):
    at = open_page("scoring", draft)
    codes = picker(at, draft).options
    assert picker(at, draft).value == "A11"
    assert button(at, "上一项").disabled  # nothing before the first

    at = button(at, "下一项").click().run()
    assert picker(at, draft).value == "A12"
    assert "立项程序规范性" in shown(at)
    at = button(at, "下一项").click().run()
    at = button(at, "上一项").click().run()

    assert picker(at, draft).value == "A12"
    assert "第 2 / 24 项" in picker(at, draft).label
    assert len(codes) == 24


def test_the_picker_marks_which_indicators_are_scored(open_page, draft, app_db):
    version = evaluations.get_case(app_db.uow(), PAGE_USER, draft).versions.of_score("A12")
    evaluations.clear_score(app_db.uow(), PAGE_USER, draft, "A12", version)

    at = open_page("scoring", draft)
    labels = picker(at, draft).options

    assert labels[0].startswith("✓ A11 立项依据充分性 · 4.00 / 4.00")
    assert labels[1].startswith("○ A12") and labels[1].endswith("未评分")
    assert "已评 23 项" in picker(at, draft).label
    assert metric(at, "已评") == "23 / 24 项"


def test_the_saved_message_states_the_new_total_and_grade(open_page, draft):
    at = picker(open_page("scoring", draft), draft).set_value("A11").run()
    at.text_area(key=f"score:{draft}:A11:d0:reason").set_value("立项依据不充分：未见发展规划依据")
    at.text_input(key=f"score:{draft}:A11:d0:points").set_value("4")

    at = save_button(at, draft, "A11").click().run()

    message = " ".join(texts(at.success))
    assert "已保存指标 A11 的评分（第 2 版），本项得分 0.00 / 4.00" in message
    assert "总分 79.00 / 100.00，等级“合格”" in message
    assert metric(at, "总分") == "79.00 / 100.00"


def test_save_and_next_saves_and_opens_the_next_indicator_with_the_message(open_page, draft, app_db):
    at = picker(open_page("scoring", draft), draft).set_value("A22").run()
    at.text_input(key=f"score:{draft}:A22:d0:points").set_value("1")

    at = save_button(at, draft, "A22", "保存并转到下一项").click().run()

    assert picker(at, draft).value == "A31"  # the indicator after A22
    assert any("已保存指标 A22" in s and "总分 84.00 / 100.00" in s for s in texts(at.success))
    assert str(stored_entry(app_db, draft, "A22").deductions[0].points) == "1"


def test_long_reasons_and_sources_are_multi_line_boxes_holding_the_whole_text(open_page, draft, app_db):
    at = picker(open_page("scoring", draft), draft).set_value("B25").run()
    recorded = stored_entry(app_db, draft, "B25").deductions[0]

    reason = at.text_area(key=f"score:{draft}:B25:d0:reason")
    source = at.text_area(key=f"score:{draft}:B25:d0:source")

    assert reason.value == recorded.reason and len(reason.value) > 40
    assert source.value == recorded.source
    form = next(f for f in at.get("form") if f.proto.form.form_id == f"score:{draft}:B25:form")
    assert form.proto.form.enter_to_submit is False  # Enter in a box does not save


def test_saving_an_indicator_keeps_the_count_of_items_of_its_deduction(open_page, draft, app_db):
    at = picker(open_page("scoring", draft), draft).set_value("B22").run()
    assert at.text_input(key=f"score:{draft}:B22:d0:items").value == "2"

    at = save_button(at, draft, "B22").click().run()

    assert not at.error, texts(at.error)
    assert stored_entry(app_db, draft, "B22").deductions[0].items == 2


def test_a_finalised_evaluation_is_shown_read_only_with_the_way_to_change_it(open_page):
    at = picker(open_page("scoring"), "yiyang-smart-brain-2018-eval").set_value("B22").run()

    assert not [b for b in at.button if b.label in ("保存评分", "保存并转到下一项", "确认清除")]
    assert not at.text_area and not [t for t in at.text_input if str(t.key).startswith("score:")]
    page = shown(at)
    assert "本评价已定稿，评分只读。修改须由复核人“重新打开”" in page
    assert "扣 2.00 分（2 处）：后期维护已制定考评制度" in page
    assert "依据：七、（一）“单位应健全项目维护、使用、管理等制度”" in page
    assert button(at, "复制为新的草稿并打开")


def test_a_submitted_evaluation_is_read_only_and_says_who_acts_next(open_page, draft, app_db):
    review.advance(app_db.uow(), PAGE_USER, draft, "workflow.submit", expected_version=1)

    at = open_page("scoring", draft)

    assert not [b for b in at.button if b.label == "保存评分"]
    assert any("评分只读" in c and "已提交" in c for c in texts(at.caption))
    assert any("下一步由复核人复核" in i for i in texts(at.info))
    assert "在此保存会被拒绝" not in shown(at)


def test_clearing_waits_for_the_confirmation_in_its_popover(open_page, draft, app_db):
    at = picker(open_page("scoring", draft), draft).set_value("A22").run()
    popover = next(p for p in at.get("popover") if p.proto.popover.label == "清除本项评分（改为未评分）")
    confirm = at.button(key=f"score:{draft}:A22:clear")

    at = at.button(key=f"score:{draft}:A22:reload").click().run()  # any other click clears nothing
    assert popover and confirm and stored_entry(app_db, draft, "A22") is not None

    at = at.button(key=f"score:{draft}:A22:clear").click().run()
    assert stored_entry(app_db, draft, "A22") is None
    assert any("该项现为未评分" in w for w in texts(at.warning))


def test_the_bar_downloads_the_word_report_holding_the_total_shown(open_page, draft, app_db, downloads):
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft)
    note = {"reconstructed": "本评分表依据报告正文重构。"}  # the copied note states 83: say no total
    evaluations.update_header(app_db.uow(), PAGE_USER, draft, note, stored.versions.evaluation.version)
    at = picker(open_page("scoring", draft), draft).set_value("A22").run()
    at.text_input(key=f"score:{draft}:A22:d0:points").set_value("1")
    at = save_button(at, draft, "A22").click().run()

    found = [b for b in at.get("download_button") if b.label == "下载 Word 报告"]
    document = Document(io.BytesIO(downloads(found[0])))

    assert metric(at, "总分") == "84.00 / 100.00"
    assert "得分84分，被评为“良好”等级" in "\n".join(p.text for p in document.paragraphs)


def test_the_bar_names_what_stops_the_report_and_links_to_the_report_page(open_page, draft):
    at = picker(open_page("scoring", draft), draft).set_value("A22").run()
    at.text_input(key=f"score:{draft}:A22:d0:points").set_value("1")
    at = save_button(at, draft, "A22").click().run()  # the copied note still states 83

    assert not [b for b in at.get("download_button") if b.label == "下载 Word 报告"]
    assert "报告暂不能生成：1 项须先改正" in texts(at.caption)
    assert [link for link in at.get("page_link") if link.proto.label == "到“报告”页查看"]
