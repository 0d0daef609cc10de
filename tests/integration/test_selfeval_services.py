"""The unit's self-evaluation through the services: a prefilled form, drafts, the rules' scores,
submission (final), the standard .xlsx out and back in, and bad uploads that change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from actors import EVALUATOR, LEADER, REVIEWER, UNIT, YIYANG, add_accounts, audit_rows
from review_helpers import filled_form, finalise, saved_selfeval

from workbench.errors import Conflict, InvalidInput
from workbench.formats.selfeval_xlsx import read_selfeval
from workbench.services import cases, selfeval

D = Decimal


def test_a_new_self_evaluation_starts_prefilled_from_the_evaluations_indicators(unit_db):
    shown = selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG)

    form = shown.form
    assert shown.version == 0 and not shown.submitted
    assert (form.project, form.department, form.unit, form.year) == (
        "益阳智慧大脑+政务服务项目",
        "市人民政府办公室",
        "市电子政务管理办公室",
        2018,
    )
    assert len(form.rows) == 24
    assert (form.rows[0].level1, form.rows[0].level2, form.rows[0].level3) == (
        "项目决策",
        "项目立项",
        "立项依据充分性",
    )
    assert sum((r.weight for r in form.rows), D(0)) + form.funds.weight == D(100)
    assert shown.card is not None and shown.card.total == D("0.00")  # nothing claimed yet


def test_the_units_draft_is_scored_by_the_rules_and_recorded(unit_db):
    shown = saved_selfeval(unit_db)

    assert shown.version == 1 and shown.updated_by == UNIT.username
    assert shown.card is not None and shown.card.total == D("100.00") and shown.card.complete
    assert shown.form.funds.rate() == D("95")
    last = audit_rows(unit_db)[-1]
    assert (last.username, last.event, last.object) == (
        UNIT.username,
        "保存自评表",
        f"评价 {YIYANG} / 自评表",
    )


def test_text_in_a_score_field_is_refused_in_chinese_and_nothing_is_saved(unit_db):
    form = filled_form(unit_db)
    form["rows"][2]["score"] = "三分"

    with pytest.raises(InvalidInput) as refused:
        selfeval.save_selfeval(unit_db.uow(), UNIT, YIYANG, form, 0)

    assert "自评表" in str(refused.value) and "三分" in str(refused.value)
    assert selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG).version == 0


def test_submitting_needs_every_row_scored_and_names_the_rows_left(unit_db):
    form = filled_form(unit_db)
    form["rows"][3]["score"] = None
    form["rows"][3]["actual"] = ""
    saved = selfeval.save_selfeval(unit_db.uow(), UNIT, YIYANG, form, 0)

    with pytest.raises(InvalidInput) as refused:
        selfeval.submit_selfeval(unit_db.uow(), UNIT, YIYANG, saved.version)

    assert "指标 2.2.2（绩效指标明确性）：尚未计分：请填写得分或实际完成值" in refused.value.messages
    assert not selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG).submitted


def test_a_submitted_self_evaluation_is_final(unit_db):
    saved = saved_selfeval(unit_db)
    submitted = selfeval.submit_selfeval(unit_db.uow(), UNIT, YIYANG, saved.version)

    assert submitted.submitted and submitted.submitted_by == UNIT.username
    with pytest.raises(Conflict, match=r"自评表已由 yiyang-unit 于 .* 提交，不能再修改"):
        selfeval.save_selfeval(unit_db.uow(), UNIT, YIYANG, filled_form(unit_db), submitted.version)
    assert audit_rows(unit_db)[-1].event == "提交自评表"


def test_the_evaluation_team_sends_a_submitted_form_back_with_a_reason_the_unit_reads(unit_db):
    add_accounts(unit_db, EVALUATOR, REVIEWER)
    submitted = selfeval.submit_selfeval(unit_db.uow(), UNIT, YIYANG, saved_selfeval(unit_db).version)
    with pytest.raises(InvalidInput, match="请写明退回理由"):
        selfeval.return_selfeval(unit_db.uow(), EVALUATOR, YIYANG, submitted.version, "  ")

    returned = selfeval.return_selfeval(
        unit_db.uow(), EVALUATOR, YIYANG, submitted.version, "全年执行数与账面不符"
    )

    shown = selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG)
    assert not shown.submitted and shown.version == returned.version == submitted.version + 1
    assert (shown.returned_reason, shown.returned_by) == ("全年执行数与账面不符", EVALUATOR.username)
    last = audit_rows(unit_db)[-1]
    assert (last.event, last.username, last.detail) == (
        "退回自评表",
        EVALUATOR.username,
        "全年执行数与账面不符",
    )
    form = {
        **filled_form(unit_db),
        "goals_achieved": "已核对执行数",
    }  # the unit corrects it and submits again
    again = selfeval.save_selfeval(unit_db.uow(), UNIT, YIYANG, form, shown.version)
    resubmitted = selfeval.submit_selfeval(unit_db.uow(), UNIT, YIYANG, again.version)
    assert resubmitted.submitted and resubmitted.form.goals_achieved == "已核对执行数"
    with pytest.raises(Conflict, match="被 yiyang-unit"):  # a stale page cannot send it back again
        selfeval.return_selfeval(unit_db.uow(), REVIEWER, YIYANG, submitted.version, "再次退回")


def test_a_draft_or_a_finalised_evaluations_form_is_not_sent_back(unit_db):
    add_accounts(unit_db, EVALUATOR, REVIEWER)
    draft = saved_selfeval(unit_db)
    with pytest.raises(Conflict, match="自评表尚未提交，无需退回"):
        selfeval.return_selfeval(unit_db.uow(), EVALUATOR, YIYANG, draft.version, "理由")
    submitted = selfeval.submit_selfeval(unit_db.uow(), UNIT, YIYANG, draft.version)
    finalise(unit_db)

    with pytest.raises(Conflict, match="评价已定稿，自评表不能退回"):
        selfeval.return_selfeval(unit_db.uow(), REVIEWER, YIYANG, submitted.version, "理由")
    assert selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG).submitted


def test_two_tabs_saving_on_the_same_version_keep_the_first_and_name_who_saved_it(unit_db):
    first = saved_selfeval(unit_db)
    form = filled_form(unit_db)
    selfeval.save_selfeval(
        unit_db.uow(), UNIT, YIYANG, {**form, "goals_achieved": "第一个标签页"}, first.version
    )

    with pytest.raises(
        Conflict, match=r"自评表已被 yiyang-unit 于 .*修改（当前为第 2 版，您看到的是第 1 版）"
    ):
        selfeval.save_selfeval(
            unit_db.uow(), UNIT, YIYANG, {**form, "goals_achieved": "第二个"}, first.version
        )
    assert selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG).form.goals_achieved == "第一个标签页"


def test_exported_form_imports_back_with_the_same_scores_and_notes(unit_db, tmp_path):
    form = filled_form(unit_db)
    assert form["rows"][13]["level3"] == "后期运行维护管理"  # 4 分
    form["rows"][13].update(score=D("1"), actual="未达成")
    form["rows"][13]["deviation"] = "运维外包给建设方，无专人跟踪；下一年度配备专职人员"
    form["rows"][5]["not_applicable"] = True  # 资金到位率, 3 分
    form["rows"][5]["score"] = None
    saved = selfeval.save_selfeval(unit_db.uow(), UNIT, YIYANG, form, 0)
    data = selfeval.export_selfeval(unit_db.uow(), UNIT, YIYANG)
    (tmp_path / "自评表.xlsx").write_bytes(data)
    copy = cases.copy_evaluation(unit_db.uow(), EVALUATOR, YIYANG, "yiyang-copy")

    back = selfeval.import_selfeval(unit_db.uow(), UNIT, copy, data, "自评表.xlsx", 0)

    assert back.card is not None and saved.card is not None
    assert back.card.total == saved.card.total == D("94.00")  # 3 lost on 后期运行维护管理, 3 not applicable
    pairs = zip(back.form.rows, saved.form.rows, strict=True)
    assert all(
        (a.names, a.score, a.deviation, a.not_applicable) == (b.names, b.score, b.deviation, b.not_applicable)
        for a, b in pairs
    )
    assert {n.code: n.score for n in back.card.leaves()} == {n.code: n.score for n in saved.card.leaves()}
    assert back.form.funds.total == saved.form.funds.total
    assert read_selfeval(tmp_path / "自评表.xlsx").goals_achieved == "已建成并通过验收，运维管理有待加强"


def test_a_bad_upload_ends_in_one_message_naming_the_file_and_keeps_the_saved_draft(unit_db):
    before = saved_selfeval(unit_db)

    with pytest.raises(InvalidInput) as refused:
        selfeval.import_selfeval(
            unit_db.uow(), UNIT, YIYANG, b"%PDF-1.4 not a workbook", "益阳自评.xlsx", before.version
        )

    assert len(refused.value.messages) == 1 and "益阳自评.xlsx" in refused.value.messages[0]
    after = selfeval.get_selfeval(unit_db.uow(), UNIT, YIYANG)
    assert (after.version, after.form) == (before.version, before.form)


def test_a_score_table_without_the_funds_block_is_not_taken_for_a_self_evaluation(unit_db, tmp_path):
    from xlsx_tables import published

    data = published(tmp_path / "评分表.xlsx").read_bytes()

    with pytest.raises(InvalidInput, match="没有“项目资金”栏"):
        selfeval.import_selfeval(unit_db.uow(), UNIT, YIYANG, data, "评分表.xlsx", 0)


@pytest.mark.parametrize("reader", [EVALUATOR, REVIEWER])
def test_the_evaluation_side_reads_the_form_but_cannot_write_it(unit_db, reader):
    saved_selfeval(unit_db)

    assert selfeval.get_selfeval(unit_db.uow(), reader, YIYANG).version == 1
    with pytest.raises(Exception, match="无权填报自评表"):
        selfeval.save_selfeval(unit_db.uow(), reader, YIYANG, filled_form(unit_db), 1)


def test_a_leader_reads_results_not_the_units_working_form(unit_db):
    saved_selfeval(unit_db)

    with pytest.raises(Exception, match="角色“领导”无权"):
        selfeval.get_selfeval(unit_db.uow(), LEADER, YIYANG)
