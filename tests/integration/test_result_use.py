"""结果应用 on SQLite and PostgreSQL: the Yiyang 2018 evaluation (良好, 分期实施) is advised 据实保障,
each plan year is paid by its own O&M score under the contract's (assumed) bands, and an
override needs a reason, is audited with it, and never touches the ledger."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from actors import EVALUATOR, REVIEWER, YIYANG, add_accounts, audit_rows

from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import evaluations, result_use


def test_yiyang_2018_is_advised_to_be_funded_as_needed_and_labelled_advice(seeded_db):
    advice = result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG)

    assert (advice.grade, advice.kind, advice.suggested.text) == ("良好", "分期实施", "据实保障")
    assert advice.label == "建议：据实保障"
    assert advice.override is None and advice.version == 0


def test_each_year_is_paid_by_its_own_om_score_against_the_plan_with_the_bands_marked_assumed(seeded_db):
    scores = {2019: D("92"), 2020: D("85"), 2021: D("59.5")}
    advice = result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG, trial=scores)

    rows = {r.year: r for r in advice.payments}
    assert sorted(rows) == list(range(2018, 2026))
    assert all(r.planned == D(1835) for r in rows.values())
    assert rows[2018].due is None and rows[2018].status == "付款条款自 2019 年起执行"
    # 50% advance (917.50) plus the remaining 917.50 at the band's share: 100%, 95%, 0%.
    assert [rows[y].due.total for y in (2019, 2020, 2021)] == [D("1835.00"), D("1789.13"), D("917.50")]
    assert rows[2022].due is None and rows[2022].status == "待运维考评"
    assert advice.bands_assumed and advice.bands.endswith("（假设）")
    assert "90 分及以上付 100%" in advice.bands


def test_an_om_score_above_100_is_refused_in_chinese(seeded_db):
    with pytest.raises(InvalidInput, match="0–100"):
        result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG, trial={2019: D("101")})


def test_an_override_without_a_reason_is_refused_and_nothing_is_stored(seeded_db):
    add_accounts(seeded_db, REVIEWER)
    before = len(audit_rows(seeded_db))

    with pytest.raises(InvalidInput, match="须填写理由"):
        result_use.override(seeded_db.uow(), REVIEWER, YIYANG, {"advice": "核减", "percent": 5}, "  ", 0)

    assert result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG).override is None
    assert len(audit_rows(seeded_db)) == before


def test_an_override_with_a_reason_is_stored_audited_and_leaves_the_money_alone(seeded_db):
    add_accounts(seeded_db, REVIEWER)
    ledger_before = evaluations.get_case(seeded_db.uow(), REVIEWER, YIYANG).case.ledger

    result_use.override(
        seeded_db.uow(), REVIEWER, YIYANG, {"advice": "核减", "percent": 5}, "后期维护与管理有待加强", 0
    )

    advice = result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG)
    assert advice.label == "建议（已人工调整）：核减 5%"
    assert advice.suggested.text == "据实保障"
    assert (advice.override.reason, advice.override.by, advice.version) == (
        "后期维护与管理有待加强",
        "wang",
        1,
    )
    last = audit_rows(seeded_db)[-1]
    assert (last.event, last.detail, last.before, last.after) == (
        "调整结果应用建议",
        "后期维护与管理有待加强",
        None,
        "核减 5%",
    )
    assert evaluations.get_case(seeded_db.uow(), REVIEWER, YIYANG).case.ledger == ledger_before
    with pytest.raises(Conflict):
        result_use.override(seeded_db.uow(), REVIEWER, YIYANG, {"advice": "取消"}, "再议", 0)


def test_an_evaluator_may_read_the_advice_but_not_override_it(seeded_db):
    add_accounts(seeded_db, EVALUATOR)
    assert result_use.advice_for(seeded_db.uow(), EVALUATOR, YIYANG).suggested.text == "据实保障"
    with pytest.raises(Forbidden):
        result_use.override(seeded_db.uow(), EVALUATOR, YIYANG, {"advice": "取消"}, "理由", 0)


def test_a_recorded_om_score_pays_its_year_on_every_later_reading_and_is_audited(seeded_db):
    add_accounts(seeded_db, EVALUATOR, REVIEWER)

    result_use.record_om_score(seeded_db.uow(), EVALUATOR, YIYANG, 2019, "85", "2019年度运维考评报告", 0)

    advice = result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG)
    row = next(r for r in advice.payments if r.year == 2019)
    assert (row.om_score, row.due.total, row.basis) == (D("85"), D("1789.13"), "已录入")
    tried = result_use.advice_for(seeded_db.uow(), REVIEWER, YIYANG, trial={2019: D("95")})
    assert next(r for r in tried.payments if r.year == 2019).basis == "试算"
    assert advice.om_versions == {2019: 1}
    last = audit_rows(seeded_db)[-1]
    assert (last.event, last.object) == ("录入运维考评得分", "项目 yiyang-smart-brain-2018 / 2019年运维考评")


def test_an_om_score_for_a_year_the_contract_does_not_pay_by_is_refused(seeded_db):
    add_accounts(seeded_db, EVALUATOR)
    with pytest.raises(InvalidInput, match="2018年不按运维考评结果付款"):
        result_use.record_om_score(seeded_db.uow(), EVALUATOR, YIYANG, 2018, "85", "", 0)
    with pytest.raises(InvalidInput, match="运维考评得分"):
        result_use.record_om_score(seeded_db.uow(), EVALUATOR, YIYANG, 2019, "120", "", 0)
    assert result_use.advice_for(seeded_db.uow(), EVALUATOR, YIYANG).om_versions == {}
