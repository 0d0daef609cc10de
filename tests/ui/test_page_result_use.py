"""结果应用: the advice labelled 建议 for the Yiyang 2018 evaluation (良好, 分期实施 → 据实保障), the
payment per plan year for the O&M scores typed in with the assumed bands marked 假设 beside them,
and the override, which a reviewer may save only with a reason."""

from __future__ import annotations

from actors import LEADER, REVIEWER
from screen import button, shown, texts

YEARS = [str(y) for y in range(2018, 2026)]


def table(at) -> list[dict]:
    (found,) = at.table
    return found.value.to_dict("records")


def test_a_leader_reads_the_advice_and_the_plan_with_the_assumed_bands_but_no_override(open_page):
    at = open_page("result_use", as_=LEADER)

    assert texts(at.info) == ["建议：据实保障"]
    page = shown(at)
    assert "评价等级：良好（83.00 分）；项目类型：分期实施" in page
    assert "**考评分档**：90 分及以上付 100%；80 分及以上付 95%" in page and "0 分及以上付 0%（假设）" in page
    assert "下列分档为假设" in " ".join(texts(at.warning))
    rows = table(at)
    assert [r["年度"] for r in rows] == YEARS
    assert {r["计划（万元）"] for r in rows} == {"1,835.00"}
    assert rows[1]["说明"] == "待运维考评"
    assert not [b for b in at.button if b.label in ("保存调整", "保存为运维考评得分")]


def test_an_om_score_typed_in_gives_that_years_payment_against_the_plan(open_page):
    at = open_page("result_use", as_=REVIEWER)
    eid = "yiyang-smart-brain-2018-eval"
    at.text_input(key=f"om:{eid}:2019").set_value("92")
    at.text_input(key=f"om:{eid}:2020").set_value("85")
    at.text_input(key=f"om:{eid}:2021").set_value("九十")

    at = button(at, "试算").click().run()

    rows = {r["年度"]: r for r in table(at)}
    assert (rows["2019"]["应付合计（万元）"], rows["2019"]["较计划扣减（万元）"]) == ("1,835.00", "0.00")
    assert (rows["2020"]["年末结算比例"], rows["2020"]["应付合计（万元）"]) == ("95%", "1,789.13")
    assert "2021年运维考评得分应为 0–100 的数字，填写的是“九十”" in texts(at.error)


def test_a_reviewer_may_override_only_with_a_reason_and_the_page_says_who_and_why(open_page):
    at = open_page("result_use", as_=REVIEWER)
    at.selectbox(key="ov_kind:yiyang-smart-brain-2018-eval").set_value("核减")
    at.text_input(key="ov_percent:yiyang-smart-brain-2018-eval").set_value("5")

    at = button(at, "保存调整").click().run()
    assert any("须填写理由" in e for e in texts(at.error))
    assert texts(at.info) == ["建议：据实保障"]

    at.text_area(key="ov_reason:yiyang-smart-brain-2018-eval").set_value("后期维护与管理有待加强")
    at = button(at, "保存调整").click().run()

    assert texts(at.info) == ["建议（已人工调整）：核减 5%"]
    assert "已保存调整后的结果应用建议" in texts(at.success)
    assert "理由：后期维护与管理有待加强" in shown(at)


def test_an_evaluator_saves_a_years_om_score_and_the_year_is_paid_by_it_from_then_on(open_page):
    eid = "yiyang-smart-brain-2018-eval"
    at = open_page("result_use")
    at.text_input(key=f"om:{eid}:2019").set_value("85")
    at.text_input(key=f"om_note:{eid}").set_value("2019年度运维考评报告")

    at = button(at, "保存为运维考评得分").click().run()

    assert "已保存 2019年运维考评得分" in texts(at.success)
    assert at.text_input(key=f"om:{eid}:2019").value == ""
    row = {r["年度"]: r for r in table(at)}["2019"]
    assert (row["运维考评得分"], row["应付合计（万元）"], row["依据"]) == ("85", "1,789.13", "已录入")
    reopened = {r["年度"]: r for r in table(open_page("result_use", as_=LEADER))}
    assert reopened["2019"]["依据"] == "已录入"


def test_a_score_above_100_is_refused_in_chinese_and_the_page_still_shows_the_advice(open_page):
    at = open_page("result_use", as_=REVIEWER)
    at.text_input(key="om:yiyang-smart-brain-2018-eval:2022").set_value("101")

    at = button(at, "试算").click().run()

    assert any("0–100" in e for e in texts(at.error))
    assert texts(at.info)[0].startswith("建议")
    assert len(table(at)) == 8
