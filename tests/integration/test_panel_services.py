"""Expert panels through the services: independent sheets (nobody sees another's scores before
submitting their own), the panel score with spread and outliers, the method chosen per
evaluation, and the result applied to the evaluation's scores with how each was reached."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from actors import EVALUATOR, EXPERT, UNIT, YIYANG, add_accounts, audit_rows, reopen
from docx import Document
from openpyxl import load_workbook
from review_helpers import EXPERT_B, EXPERT_C, EXPERT_D, EXPERT_E, expert_scores, name_panel, submit_sheet

from workbench.bootstrap import ensure_database
from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import evaluations, panel_apply, panels, stored_reports
from workbench.storage.uow import Database

D = Decimal
FIVE = (EXPERT, EXPERT_B, EXPERT_C, EXPERT_D, EXPERT_E)


@pytest.fixture
def db(tmp_path, database_templates) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'workbench.db'}"
    database_templates.copy(url, seed=True)
    opened = ensure_database(url)
    add_accounts(opened, *FIVE, EVALUATOR, UNIT)
    reopen(opened)
    name_panel(opened, [*FIVE, EVALUATOR])
    yield opened
    opened.dispose()


def view(db: Database, actor):
    return panels.panel_view(db.uow(), actor, YIYANG)


def with_a11(db: Database, actor, a11: str) -> dict[str, str]:
    return {**expert_scores(db, actor), "A11": a11}


def test_an_expert_sees_only_their_own_sheet_until_they_submit_it(db):
    panels.save_sheet(db.uow(), EXPERT, YIYANG, with_a11(db, EXPERT, "3"), 0)
    assert [s.expert for s in view(db, EXPERT).visible] == ["zhao"]
    assert view(db, EXPERT_B).visible == [] and view(db, EXPERT_B).result is None
    assert view(db, EVALUATOR).visible == []  # a draft is its author's alone
    assert view(db, EVALUATOR).members == [("赵专家", False)]

    submit_sheet(db, EXPERT_B, with_a11(db, EXPERT_B, "4"))
    seen_by_b = view(db, EXPERT_B)
    assert [s.expert for s in seen_by_b.visible] == ["qian"]  # 赵专家 has not submitted yet
    assert seen_by_b.result is not None and seen_by_b.result["A11"].score == D("4.00")
    assert [s.expert for s in view(db, EXPERT).visible] == ["zhao"]  # still before submitting

    submit_sheet(db, EXPERT, with_a11(db, EXPERT, "3"))
    assert {s.expert for s in view(db, EXPERT).visible} == {"zhao", "qian"}
    assert view(db, EXPERT_B).result["A11"].score == D("3.50")


def test_the_panel_score_is_the_mean_with_its_spread(db):
    submit_sheet(db, EXPERT, with_a11(db, EXPERT, "3"))
    submit_sheet(db, EXPERT_B, with_a11(db, EXPERT_B, "2"))

    a11 = view(db, EVALUATOR).result["A11"]

    assert (a11.score, a11.spread, a11.counted) == (D("2.50"), D("1"), 2)
    assert a11.describe() == "2 位专家评分的算术平均：2.50"


def test_with_five_experts_the_trimmed_mean_drops_the_highest_and_lowest_and_flags_outliers(db):
    name_panel(db, [*FIVE, EVALUATOR], method="trimmed_mean")
    for actor, a11 in zip(FIVE, ("4", "3.5", "3", "2", "1"), strict=True):
        submit_sheet(db, actor, with_a11(db, actor, a11))

    a11 = view(db, EVALUATOR).result["A11"]

    assert a11.score == D("2.83")  # (3.5 + 3 + 2) / 3
    assert [(m.expert, m.dropped) for m in a11.marks if m.dropped] == [
        ("赵专家", "最高分"),
        ("周专家", "最低分"),
    ]
    assert [m.expert for m in a11.outliers] == [
        "赵专家",
        "李专家",
        "周专家",
    ]  # over 0.80 (20 % of 4) from the median 3
    assert (
        a11.describe()
        == "5 位专家评分，去掉最高分 4.00（赵专家）和最低分 1.00（周专家），取其余 3 位的平均：2.83"
    )


def test_trimmed_mean_with_fewer_experts_than_the_rule_asks_falls_back_to_the_mean_and_says_so(db):
    name_panel(db, [*FIVE, EVALUATOR], method="trimmed_mean")
    for actor, a11 in zip(FIVE[:3], ("4", "3", "1"), strict=True):
        submit_sheet(db, actor, with_a11(db, actor, a11))

    a11 = view(db, EVALUATOR).result["A11"]

    assert (a11.method, a11.score) == ("mean", D("2.67"))
    assert "评分专家不足 5 人，未去掉最高分和最低分" in a11.describe()


def test_applying_the_result_scores_each_indicator_with_how_it_was_reached(db):
    name_panel(db, [*FIVE, EVALUATOR], method="trimmed_mean")
    for actor, a11 in zip(FIVE, ("4", "3.5", "3", "2", "1"), strict=True):
        submit_sheet(db, actor, {**expert_scores(db, actor, less="1"), "A11": a11})
    shown = view(db, EVALUATOR)

    codes = panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, shown.panel.version, 5)

    assert codes == [leaf.code for leaf in shown.leaves]
    card = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard
    a11 = card.find("A11")
    assert a11.score == D("2.83")
    assert a11.deductions[0].reason.startswith("专家组评分 2.83 分：5 位专家评分，去掉最高分 4.00（赵专家）")
    c31 = card.find("C31")  # a 定性分档 indicator: the panel score picks its tier
    assert c31.score == c31.weight - 1 and "专家组评分" in c31.deductions[0].reason
    assert card.total == sum((n.score for n in card.nodes), D(0))
    events = [r.event for r in audit_rows(db)]
    assert events.count("应用专家组评分") == len(codes) + 1


def test_the_score_table_and_the_report_say_how_panel_scores_were_reached(db):
    for actor in FIVE[:2]:
        submit_sheet(db, actor, expert_scores(db, actor, less="1"))
    panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, view(db, EVALUATOR).panel.version, 2)
    # the panel changed the total: the copied note stating 83 would stop both documents
    version = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).versions.evaluation.version
    evaluations.update_header(db.uow(), EVALUATOR, YIYANG, {"reconstructed": ""}, version)

    table = stored_reports.score_table(db.uow(), EVALUATOR, YIYANG).content
    cells = [
        str(c.value) for row in load_workbook(io.BytesIO(table)).active.iter_rows() for c in row if c.value
    ]
    note = next(c for c in cells if "专家组 2 人" in c)
    assert "（赵专家、钱专家）独立评分后取算术平均得出" in note and "共 19 项" in note
    assert any(c.startswith("专家组评分 3.00 分：2 位专家评分的算术平均：3.00") for c in cells)

    report = stored_reports.report(db.uow(), EVALUATOR, YIYANG, charts=False).content
    paragraphs = [p.text for p in Document(io.BytesIO(report)).paragraphs]
    assert note in paragraphs


def test_a_sheet_submitted_after_the_evaluator_looked_stops_the_apply(db):
    submit_sheet(db, EXPERT, expert_scores(db, EXPERT))
    seen = view(db, EVALUATOR)
    submit_sheet(db, EXPERT_B, expert_scores(db, EXPERT_B, less="1"))
    before = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard.total

    with pytest.raises(Conflict, match="又有专家提交了评分（现为 2 份，您看到的是 1 份）"):
        panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, seen.panel.version, len(seen.panel.sheets))

    assert evaluations.get_case(db.uow(), EVALUATOR, YIYANG).scorecard.total == before


def test_nothing_is_applied_before_a_sheet_is_submitted(db):
    panels.save_sheet(db.uow(), EXPERT, YIYANG, expert_scores(db, EXPERT), 0)

    with pytest.raises(Conflict, match="还没有专家提交评分"):
        panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, 1, 0)


def test_submitting_needs_every_indicator_scored_and_a_submitted_sheet_is_final(db):
    partial = dict(list(expert_scores(db, EXPERT).items())[:3])
    with pytest.raises(InvalidInput, match="提交前须为每项指标评分，尚缺：A22、A31"):
        panels.save_sheet(db.uow(), EXPERT, YIYANG, partial, 0, submit=True)

    submit_sheet(db, EXPERT, expert_scores(db, EXPERT))
    with pytest.raises(Conflict, match="您的评分表已提交，不能再修改"):
        panels.save_sheet(db.uow(), EXPERT, YIYANG, expert_scores(db, EXPERT), 1)


def test_each_bad_score_gets_its_own_line_and_nothing_is_saved(db):
    scores = {**expert_scores(db, EXPERT), "A11": "五分", "A12": "4.5", "B21": "-1"}

    with pytest.raises(InvalidInput) as refused:
        panels.save_sheet(db.uow(), EXPERT, YIYANG, scores, 0)

    assert refused.value.messages == [
        "指标 A11（立项依据充分性），字段「得分」：应为数字，填写的是“五分”",
        "指标 A12（立项程序规范性），字段「得分」：得分应在 0 到 4.00 分之间，填写的是 4.5",
        "指标 B21（组织机构与人员保障），字段「得分」：得分应在 0 到 4.00 分之间，填写的是 -1",
    ]
    assert view(db, EXPERT).mine is None


def test_an_expert_not_named_on_the_panel_is_refused_and_the_refusal_is_audited(db):
    name_panel(db, ["zhao", "qian"])

    with pytest.raises(Forbidden, match="账号“sun”不在本评价的专家组名单中"):
        panels.save_sheet(db.uow(), EXPERT_C, YIYANG, expert_scores(db, EXPERT_C), 0)

    assert not view(db, EXPERT_C).may_score
    last = audit_rows(db)[-1]
    assert (last.username, last.event, last.result) == ("sun", "越权操作", "失败")


def test_an_evaluator_who_also_scores_sees_the_others_only_after_submitting(db):
    submit_sheet(db, EXPERT, expert_scores(db, EXPERT))
    panels.save_sheet(db.uow(), EVALUATOR, YIYANG, expert_scores(db, EVALUATOR, less="1"), 0)

    assert view(db, EVALUATOR).result is None
    with pytest.raises(Conflict, match="您本人在专家组中的评分尚未提交"):
        panel_apply.apply_panel(db.uow(), EVALUATOR, YIYANG, 1, 1)


@pytest.mark.parametrize("outsider", [UNIT])
def test_the_project_unit_never_sees_expert_scores(db, outsider):
    submit_sheet(db, EXPERT, expert_scores(db, EXPERT))

    with pytest.raises(Forbidden, match="角色“项目单位”无权专家评分"):
        panels.panel_view(db.uow(), outsider, YIYANG)


def test_naming_the_panel_leaves_out_the_sheets_of_experts_not_on_it(db):
    submit_sheet(db, EXPERT_C, with_a11(db, EXPERT_C, "0"))
    submit_sheet(db, EXPERT, with_a11(db, EXPERT, "4"))

    name_panel(db, ["zhao"])

    shown = view(db, EVALUATOR)
    assert shown.result["A11"].score == D("4.00")
    assert shown.members == [("赵专家", True)]
    assert [s.expert for s in shown.visible] == ["zhao"]


def test_nobody_scores_until_the_evaluator_names_the_experts(tmp_path):
    opened = ensure_database(f"sqlite:///{tmp_path / 'unnamed.db'}")
    add_accounts(opened, EXPERT, EVALUATOR)
    reopen(opened)
    for actor in (EXPERT, EVALUATOR):  # the evaluator's role holds panel.score too
        with pytest.raises(Forbidden, match="专家组尚未列出成员"):
            panels.save_sheet(opened.uow(), actor, YIYANG, expert_scores(opened, actor), 0)
        assert not view(opened, actor).may_score
    opened.dispose()


def test_an_evaluator_not_on_the_panel_cannot_add_a_sheet_or_see_a_draft(db):
    name_panel(db, [EXPERT, EXPERT_B])
    panels.save_sheet(db.uow(), EXPERT, YIYANG, with_a11(db, EXPERT, "3"), 0)  # a draft

    shown = view(db, EVALUATOR)
    with pytest.raises(Forbidden, match="不在本评价的专家组名单中"):
        panels.save_sheet(db.uow(), EVALUATOR, YIYANG, expert_scores(db, EVALUATOR), 0)

    assert shown.visible == [] and shown.result is None
    assert all(dict(s.scores) == {} for s in shown.panel.sheets)  # the draft's scores stay its author's
    assert [dict(s.scores) != {} for s in view(db, EXPERT).panel.sheets] == [True]
