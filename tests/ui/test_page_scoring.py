"""评分: the page shows total, grade and the way to the next grade; edits change them, survive a
page switch and a restart, and a refused edit keeps what the user typed."""

from __future__ import annotations

from screen import button, metric, shown, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations
from workbench.services.actors import Actor
from workbench.ui import backend

OTHER = Actor("zhang", "张评价", "评价人员")


def pick(at: AppTest, evaluation_id: str, code: str) -> AppTest:
    return at.selectbox(key=f"score_code:{evaluation_id}").set_value(code).run()


LONG_TEXT = ("reason", "source", "rationale", "evidence")  # multi-line boxes on the form


def field(at: AppTest, evaluation_id: str, code: str, name: str):
    boxes = at.text_area if name.split(":")[-1] in LONG_TEXT else at.text_input
    return boxes(key=f"score:{evaluation_id}:{code}:{name}")


def save(at: AppTest, evaluation_id: str, code: str) -> AppTest:
    return at.button(key=f"FormSubmitter:score:{evaluation_id}:{code}:form-保存评分").click().run()


def test_scoring_page_shows_total_grade_and_the_fewest_points_to_the_next_grade(open_page):
    at = open_page("scoring")

    assert metric(at, "总分") == "83.00 / 100.00"
    assert metric(at, "等级") == "良好"
    gap = " ".join(texts(at.info))
    assert "再得 7.00 分可达“优秀”" in gap
    assert "B25 后期运行维护管理（扣 3.00）" in gap and "C51 服务对象满意度（扣 3.00）" in gap


def test_the_full_score_table_shows_every_indicator_and_its_whole_reason(open_page):
    at = open_page("scoring")

    table = next(t.value for t in at.table if "扣分理由" in t.value.columns)  # no box scrolling inside
    assert len(table) == 37 and {"A", "A1", "A11", "C51"} <= set(table["代码"])  # every indicator
    upkeep = table[table["代码"] == "B25"].iloc[0]
    assert (upkeep["扣分"], len(upkeep["扣分理由"]) > 40) == ("3.00", True)


def test_the_finalised_yiyang_case_shows_its_status_and_offers_a_draft_copy(open_page):
    at = open_page("scoring")
    assert ":green-badge[状态：定稿]" in texts(at.markdown)
    assert any("已定稿" in w for w in texts(at.warning))

    at = button(at, "复制为新的草稿并打开").click().run()

    assert at.session_state["evaluation_id"] != "yiyang-smart-brain-2018-eval"
    assert ":gray-badge[状态：草稿]" in texts(at.markdown)
    assert metric(at, "总分") == "83.00 / 100.00"
    assert any("现在编辑的是这份草稿" in s for s in texts(at.success))


def test_a_new_deduction_changes_the_total_and_the_grade(open_page, draft):
    at = pick(open_page("scoring", draft), draft, "A11")
    field(at, draft, "A11", "d0:reason").set_value("立项依据不充分：未见发展规划依据")
    field(at, draft, "A11", "d0:points").set_value("4")

    at = save(at, draft, "A11")

    assert not at.error, texts(at.error)
    assert metric(at, "总分") == "79.00 / 100.00"
    assert metric(at, "等级") == "合格"
    assert metric(at, "本项得分") == "0.00"


def test_a_saved_score_survives_a_page_switch_and_an_app_restart(open_page, draft):
    at = pick(open_page("scoring", draft), draft, "A22")
    field(at, draft, "A22", "d0:points").set_value("1")
    at = save(at, draft, "A22")
    assert metric(at, "总分") == "84.00 / 100.00"

    at.switch_page("workbench/ui/views/overview.py").run()
    at.switch_page("workbench/ui/views/scoring.py").run()
    assert metric(at, "总分") == "84.00 / 100.00"

    backend.forget_databases()  # a restarted server opens the database file anew
    again = pick(open_page("scoring", draft), draft, "A22")
    assert metric(again, "总分") == "84.00 / 100.00"
    assert field(again, draft, "A22", "d0:points").value == "1"


def test_a_save_over_someone_elses_newer_save_is_refused_and_the_typed_input_is_kept(
    open_page, draft, app_db
):
    at = pick(open_page("scoring", draft), draft, "A22")
    seen = evaluations.get_case(app_db.uow(), OTHER, draft)
    entry = seen.case.evaluation.scores["A22"].model_dump()
    entry["deductions"][0]["points"] = "1.5"
    evaluations.save_score(app_db.uow(), OTHER, draft, "A22", entry, seen.versions.of_score("A22"))

    field(at, draft, "A22", "d0:points").set_value("0.5")
    at = save(at, draft, "A22")

    errors = " ".join(texts(at.error))
    assert "已被 zhang" in errors and "您看到的是第 1 版" in errors
    assert field(at, draft, "A22", "d0:points").value == "0.5"
    assert metric(at, "总分") == "83.50 / 100.00"  # the other user's save, not this one

    at = button(at, "载入已保存的评分（放弃未保存的修改）").click().run()
    assert field(at, draft, "A22", "d0:points").value == "1.5"


def test_points_written_in_words_are_refused_in_chinese_and_nothing_is_saved(open_page, draft):
    at = pick(open_page("scoring", draft), draft, "A22")
    field(at, draft, "A22", "d0:points").set_value("两分")

    at = save(at, draft, "A22")

    assert "应为数字，实际为“两分”" in " ".join(texts(at.error))
    assert field(at, draft, "A22", "d0:points").value == "两分"
    assert metric(at, "总分") == "83.00 / 100.00"
    assert not at.exception


def test_the_rule_inputs_of_a_ratio_indicator_score_it(open_page, draft):
    at = pick(open_page("scoring", draft), draft, "C11")
    assert field(at, draft, "C11", "in:actual").value == "9"

    field(at, draft, "C11", "in:actual").set_value("6")
    at = save(at, draft, "C11")

    assert metric(at, "本项得分") == "2.67"  # 6 / 9 × 4
    assert metric(at, "总分") == "81.67 / 100.00"


def test_a_qualitative_tier_sets_the_score_of_a_tiered_indicator(open_page, draft):
    at = pick(open_page("scoring", draft), draft, "C42")
    assert at.selectbox(key=f"score:{draft}:C42:in:tier").value == "部分达成"

    at.selectbox(key=f"score:{draft}:C42:in:tier").set_value("达成")
    field(at, draft, "C42", "in:score").set_value("")
    field(at, draft, "C42", "d0:reason").set_value("")
    at = save(at, draft, "C42")
    assert "字段「扣分理由」：不能为空" in " ".join(texts(at.error))  # the row still has its source

    field(at, draft, "C42", "d0:source").set_value("")  # a row cleared entirely is deleted
    at = save(at, draft, "C42")

    assert metric(at, "本项得分") == "5.00"
    assert metric(at, "总分") == "84.00 / 100.00"


def test_not_applicable_needs_a_reason_and_then_rescales_the_total(open_page, draft):
    at = pick(open_page("scoring", draft), draft, "C51")
    at.checkbox(key=f"score:{draft}:C51:na").check()
    at = save(at, draft, "C51")
    assert "须说明理由" in " ".join(texts(at.error))

    field(at, draft, "C51", "na_reason").set_value("本年度未要求开展满意度调查")
    at = save(at, draft, "C51")

    assert metric(at, "本项得分") == "不适用"
    assert metric(at, "总分") == "85.11 / 100.00"  # 80 of the 94 points that apply
    assert "尚有" not in shown(at)


def test_clearing_a_score_asks_first_and_then_leaves_the_indicator_unscored(open_page, draft, app_db):
    at = pick(open_page("scoring", draft), draft, "A11")
    popover = next(p for p in at.get("popover") if p.proto.popover.label == "清除本项评分（改为未评分）")
    assert "确认清除吗" in " ".join(str(m.value) for m in at.markdown)
    assert (
        popover is not None
        and "A11" in evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.scores
    )

    at = at.button(key=f"score:{draft}:A11:clear").click().run()

    assert "A11" not in evaluations.get_case(app_db.uow(), PAGE_USER, draft).case.evaluation.scores
