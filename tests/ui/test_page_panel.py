"""专家评分: an expert scores every indicator in a form and submits; another expert sees nothing of
it before submitting their own; the evaluator sees the panel score with its spread and outliers,
chooses the method and applies the result to the evaluation's scores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from actors import EXPERT
from review_helpers import EXPERT_B, EXPERT_C, expert_scores, name_panel, submit_sheet
from screen import metric, shown, texts
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations, panels
from workbench.services.panels import judged_leaves

D = Decimal


@pytest.fixture
def draft(draft, app_db, signed_in):
    """The test's own 草稿, its panel naming the three experts (their accounts exist)."""
    for actor in (EXPERT, EXPERT_B, EXPERT_C):
        signed_in(actor)
    name_panel(app_db, [EXPERT, EXPERT_B, EXPERT_C], draft)
    return draft


def leaves(app_db, eid: str):
    return judged_leaves(evaluations.get_case(app_db.uow(), EXPERT, eid).case.system)


def fill(at: AppTest, app_db, eid: str, less: str = "0", version: int = 0) -> None:
    for leaf in leaves(app_db, eid):
        at.text_input(key=f"panel_sheet:{eid}:{version}:{leaf.code}").set_value(str(leaf.weight - D(less)))


def press(at: AppTest, eid: str, label: str, version: int = 0) -> AppTest:
    return at.button(key=f"FormSubmitter:panel_sheet:{eid}:{version}-{label}").click().run()


def columns(at: AppTest) -> set[str]:
    return {c for frame in at.dataframe for c in frame.value.columns}


def test_an_expert_scores_every_indicator_and_sees_the_others_only_after_submitting(open_page, draft, app_db):
    at = open_page("panel", draft, as_=EXPERT)
    fill(at, app_db, draft)
    at = press(at, draft, "保存评分")
    assert "已保存评分（尚未提交）。" in texts(at.success)
    assert "提交评分后才能看到其他专家的评分。" in texts(at.caption)

    other = open_page("panel", draft, as_=EXPERT_B)
    assert "赵专家" not in columns(other) and not other.dataframe  # a draft is its author's alone
    fill(other, app_db, draft, less="1")
    other = press(other, draft, "提交评分")
    assert "提交前请勾选“确认提交”：提交后评分不能修改。" in texts(other.warning)  # asked first
    assert panels.panel_view(app_db.uow(), EXPERT_B, draft).mine is None
    other.checkbox(key=f"panel_sheet:{draft}:0:sure").check()
    other = press(other, draft, "提交评分")
    assert "已提交评分。" in texts(other.success)
    assert "赵专家" not in columns(other)  # 赵专家 has saved, not submitted

    at = open_page("panel", draft, as_=EXPERT)
    at.checkbox(key=f"panel_sheet:{draft}:1:sure").check()
    at = press(at, draft, "提交评分", version=1)

    assert {"赵专家", "钱专家", "专家组得分", "极差"} <= columns(at)
    result = next(f.value for f in at.dataframe if "专家组得分" in f.value.columns)
    a11 = result[result["指标"] == "A11 立项依据充分性"].iloc[0]
    assert (a11["赵专家"], a11["钱专家"], a11["极差"], a11["专家组得分"]) == ("4.00", "3.00", "1.00", "3.50")
    assert a11["计分说明"] == "2 位专家评分的算术平均：3.50"
    full = sum((leaf.weight for leaf in leaves(app_db, draft)), D(0))
    assert metric(at, "专家组得分合计") == f"{full - D('9.5'):.2f}"  # 19 indicators, half a point each
    assert metric(at, "已提交专家") == "2 人"


def test_a_score_out_of_range_is_one_chinese_line_and_the_typed_values_stay(open_page, draft, app_db):
    at = open_page("panel", draft, as_=EXPERT)
    fill(at, app_db, draft)
    at.text_input(key=f"panel_sheet:{draft}:0:A11").set_value("9")

    at = press(at, draft, "保存评分")

    assert texts(at.error) == [
        "指标 A11（立项依据充分性），字段「得分」：得分应在 0 到 4.00 分之间，填写的是 9"
    ]
    assert at.text_input(key=f"panel_sheet:{draft}:0:A11").value == "9"
    assert panels.panel_view(app_db.uow(), EXPERT, draft).mine is None


def test_the_evaluator_sees_spread_and_outliers_and_applies_the_panel_score(open_page, draft, app_db):
    for actor, a11 in ((EXPERT, "4"), (EXPERT_B, "3.5"), (EXPERT_C, "1")):
        open_page(as_=actor)  # the expert's account exists from here on
        submit_sheet(app_db, actor, {**expert_scores(app_db, actor, draft), "A11": a11}, draft)
    before = evaluations.get_case(app_db.uow(), EXPERT, draft).scorecard.total

    at = open_page("panel", draft)

    assert "赵专家（已提交）、钱专家（已提交）、孙专家（已提交）" in shown(at)
    assert any("偏离该指标全部评分的中位数较多" in w for w in texts(at.warning))
    result = next(f.value for f in at.dataframe if "专家组得分" in f.value.columns)
    a11 = result[result["指标"] == "A11 立项依据充分性"].iloc[0]
    assert (a11["孙专家"], a11["极差"], a11["专家组得分"]) == ("1.00（离群）", "3.00", "2.83")

    reasons = evaluations.get_case(app_db.uow(), EXPERT, draft).case.evaluation.scores["A11"].deductions
    at = at.button(key="panel_apply:1:3").click().run()

    preview = next(f.value for f in at.dataframe if "当前得分" in f.value.columns)
    row = preview[preview["指标"] == "A11 立项依据充分性"].iloc[0]
    assert (row["专家组得分"], len(preview)) == ("2.83", 19)
    assert evaluations.get_case(app_db.uow(), EXPERT, draft).scorecard.total == before  # not yet
    at = at.button(key="panel_apply_confirm:1:3").click().run()

    assert "已将专家组评分应用到 19 项指标，原有扣分理由和依据已保留。" in texts(at.success)
    card = evaluations.get_case(app_db.uow(), EXPERT, draft).scorecard
    assert card.find("A11").score == D("2.83") and card.total != before
    assert card.find("A11").deductions[0].reason == "专家组评分 2.83 分：3 位专家评分的算术平均：2.83"
    assert [d.reason for d in card.find("A11").deductions[1:]] == [d.reason for d in reasons]

    at = at.button(key="panel_undo:2").click().run()

    assert any(s.startswith("已撤销专家组评分，恢复了 19 项") for s in texts(at.success))
    assert evaluations.get_case(app_db.uow(), EXPERT, draft).scorecard.total == before


def test_the_evaluator_chooses_the_trimmed_mean_for_the_evaluation(open_page, draft, app_db):
    at = open_page("panel", draft)
    at.radio(key=f"panel_settings:{draft}:1:method").set_value("trimmed_mean")

    at = at.button(key=f"FormSubmitter:panel_settings:{draft}:1-保存专家组设置").click().run()

    assert "已保存专家组设置。" in texts(at.success)
    assert panels.panel_view(app_db.uow(), EXPERT, draft).panel.method == "trimmed_mean"
    assert any("计分方法：去掉一个最高分和一个最低分后平均" in c for c in texts(at.caption))
