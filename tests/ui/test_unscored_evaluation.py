"""A new evaluation with nothing scored says 未评分 (never “0.00 / 100.00 · 不合格”), its empty pages
say what to do next, and 报告 lists what is missing on the page."""

from __future__ import annotations

import pytest
from screen import metric, shown, texts


@pytest.fixture
def blank(new_evaluation) -> str:
    return new_evaluation()


def test_scoring_and_the_sidebar_say_not_scored_instead_of_zero_and_fail(open_page, blank):
    at = open_page("scoring", blank)

    assert metric(at, "总分") == "未评分" and metric(at, "等级") == "未评分"
    assert any(c.endswith("· 未评分") for c in texts(at.sidebar.caption))
    assert "不合格" not in shown(at) and "0.00 / 100.00" not in shown(at)


def test_the_dashboard_of_an_unscored_evaluation_says_to_score_first(open_page, blank):
    at = open_page("dashboard", blank)

    assert not at.metric and "0.00 分" not in shown(at)  # no total of 0.00 that would read as 不合格
    assert any("尚未评分" in i and "评分”页" in i for i in texts(at.info))
    assert not at.get("plotly_chart") and "主要扣分" not in shown(at)


def test_the_report_page_lists_the_unscored_leaves_and_a_refused_report_says_why_on_the_page(
    open_page, blank
):
    at = open_page("report", blank)

    warning = " ".join(texts(at.warning))
    assert "尚有 24 项末级指标未评分" in warning and "A11 立项依据充分性" in warning

    at = next(b for b in at.button if b.label == "生成报告").click().run()

    errors = " ".join(texts(at.error))
    assert "报告未生成：以下" in errors and "A11" in errors
    assert not at.get("download_button")


def test_the_list_of_evaluations_shows_an_unscored_one_as_not_scored(open_page, blank):
    table = open_page("start").dataframe[0].value

    row = table[table["评价编号"] == blank].iloc[0]
    assert (row["总分"], row["等级"]) == ("未评分", "未评分")


def test_the_findings_page_of_an_unscored_evaluation_says_to_score_first(open_page, blank):
    at = open_page("findings", blank)

    assert any("尚未评分" in i and "“评分”页" in i for i in texts(at.info))


def test_save_and_next_moves_the_form_on_and_says_the_total_is_provisional(open_page, blank):
    at = open_page("scoring", blank)
    assert at.selectbox(key=f"score_code:{blank}").value == "A11"

    at = next(b for b in at.button if b.label == "保存并转到下一项").click().run()  # no deduction: full marks

    assert not at.exception and at.selectbox(key=f"score_code:{blank}").value == "A12"
    assert any("已保存指标 A11 的评分" in s and "暂计：尚有" in s for s in texts(at.success))
