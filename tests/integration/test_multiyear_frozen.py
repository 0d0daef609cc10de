"""A 定稿 report never changes when the shared project is edited from another year (real SQLite
file and PostgreSQL): the demo project's 2018 evaluation taken through 提交/复核/定稿 keeps the
project facts and ledger it printed; the 2019 draft edits the unit's name and the 2020 plan; the
2018 report, score table and exported folder still show what was signed, the 2019 report the new
figures, and 重新打开 2018 lets it see the live project again."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from actors import EVALUATOR, REVIEWER, add_accounts, reopen
from docx import Document
from multiyear_steps import DEMO, PROJECT, TODAY, Y2018, Y2019, docx_text, score_from_folder

from workbench.bootstrap import ensure_database
from workbench.errors import InvalidInput
from workbench.services import cases, evaluations, project_forms, review, stored_reports
from workbench.services.next_year import next_year
from workbench.storage.uow import Database

OLD_UNIT, NEW_UNIT = "某县水务服务中心（示例数据）", "某县水务管理中心（示例数据）"
ABOUT = "为公益一类事业单位"  # the 项目单位 paragraph of the report's 项目概况


@pytest.fixture
def edited(database_url: str, database_templates) -> Iterator[Database]:
    """2018 定稿 through the workflow, 2019 started, and from 2019 the unit renamed and the 2020
    plan raised from 300 to 350 万元."""
    database_templates.copy(database_url, seed=True)
    db = ensure_database(database_url)
    add_accounts(db, EVALUATOR, REVIEWER)
    cases.import_case(db.uow(), EVALUATOR, DEMO / f"{PROJECT}-2018")  # stored 定稿, kept nothing
    reopen(db, Y2018)
    for actor, action in ((EVALUATOR, "submit"), (REVIEWER, "review"), (REVIEWER, "finalize")):
        review.advance(db.uow(), actor, Y2018, f"workflow.{action}")
    next_year(db.uow(), EVALUATOR, Y2018, 2019, today=TODAY)
    score_from_folder(db, Y2019, DEMO / f"{PROJECT}-2019")
    form = project_forms.open_project(db.uow(), EVALUATOR, Y2019)
    facts = form.project.model_dump(mode="json")
    facts["unit"]["name"] = NEW_UNIT
    version = project_forms.save_project(db.uow(), EVALUATOR, Y2019, facts, form.version).version
    tables = {k: [r.model_dump(mode="json") for r in getattr(form.ledger, k)] for k in project_forms.TABLES}
    tables["plan"] = [{**p, "amount": "350"} if p["year"] == 2020 else p for p in tables["plan"]]
    project_forms.save_ledger(db.uow(), EVALUATOR, Y2019, "950", tables, version)
    yield db
    db.dispose()


def _report(db: Database, evaluation_id: str) -> tuple[str, list[list[str]]]:
    content = stored_reports.report(db.uow(), EVALUATOR, evaluation_id, "seed", charts=False).content
    rows = [[c.text for c in r.cells] for t in Document(io.BytesIO(content)).tables for r in t.rows]
    return docx_text(content), rows


def _plan_2020(rows: list[list[str]]) -> str:
    return next(r[1] for r in rows if r[:1] == ["2020"] and len(r) == 6)


def test_the_定稿_2018_report_keeps_the_signed_facts_and_plan_while_the_2019_report_shows_the_edits(edited):
    text_2018, rows_2018 = _report(edited, Y2018)
    text_2019, rows_2019 = _report(edited, Y2019)

    assert f"{OLD_UNIT}{ABOUT}" in text_2018 and NEW_UNIT not in text_2018
    assert _plan_2020(rows_2018) == "300.00"
    assert f"{NEW_UNIT}{ABOUT}" in text_2019  # (整改 items name the unit as issued in 2018)
    assert _plan_2020(rows_2019) == "350.00"
    case_2018 = evaluations.get_case(edited.uow(), EVALUATOR, Y2018).case
    assert (case_2018.project.unit.name, case_2018.ledger.total_investment) == (OLD_UNIT, 900)
    assert project_forms.open_project(edited.uow(), EVALUATOR, Y2018).project.unit.name == OLD_UNIT


def test_the_2019_forms_say_the_定稿_2018_report_keeps_its_own_project_and_ledger(edited):
    form = project_forms.open_ledger(edited.uow(), EVALUATOR, Y2019)

    assert form.kept_by == (2018,)
    assert (
        form.kept_note() == "已定稿的2018年度评价保存了定稿时的项目信息与资金台账，此处修改不会改变其报告。"
    )
    assert project_forms.open_ledger(edited.uow(), EVALUATOR, Y2018).kept_note() == ""


def test_exporting_the_定稿_2018_case_writes_the_project_and_ledger_it_signed(edited, tmp_path: Path):
    cases.export_case(edited.uow(), EVALUATOR, Y2018, tmp_path / "2018")

    project = yaml.safe_load((tmp_path / "2018" / "project.yaml").read_text("utf-8"))
    ledger = yaml.safe_load((tmp_path / "2018" / "ledger.yaml").read_text("utf-8"))
    evaluation = yaml.safe_load((tmp_path / "2018" / "evaluation.yaml").read_text("utf-8"))
    assert project["unit"]["name"] == OLD_UNIT
    assert [p["amount"] for p in ledger["plan"] if p["year"] == 2020] == [300]
    assert "frozen" not in evaluation and evaluation["status"] == "定稿"


def test_reopening_2018_drops_what_it_kept_and_shows_the_live_project(edited):
    reopen(edited, Y2018)
    text_2018, rows_2018 = _report(edited, Y2018)

    assert f"{NEW_UNIT}{ABOUT}" in text_2018 and _plan_2020(rows_2018) == "350.00"
    assert evaluations.get_case(edited.uow(), EVALUATOR, Y2018).case.evaluation.frozen is None
    assert project_forms.open_ledger(edited.uow(), EVALUATOR, Y2019).kept_note() == ""


def test_what_2018_kept_is_not_carried_into_2019_nor_a_copy_and_no_header_edit_can_touch_it(edited):
    stored = evaluations.get_case(edited.uow(), EVALUATOR, Y2018)
    kept = stored.case.evaluation.frozen
    copy = cases.copy_evaluation(edited.uow(), EVALUATOR, Y2018, "copy-of-2018")

    assert kept is not None and kept.project.unit.name == OLD_UNIT
    assert evaluations.get_case(edited.uow(), EVALUATOR, Y2019).case.evaluation.frozen is None
    assert evaluations.get_case(edited.uow(), EVALUATOR, copy).case.project.unit.name == NEW_UNIT
    with pytest.raises(InvalidInput, match="不能在此修改：frozen"):
        evaluations.update_header(
            edited.uow(), EVALUATOR, Y2018, {"frozen": None}, stored.versions.evaluation.version
        )


def test_the_seeded_定稿_yiyang_report_keeps_its_plan_when_2019_changes_it(database_url: str):
    db = ensure_database(database_url)  # the reference case, seeded as 定稿 without a workflow move
    add_accounts(db, EVALUATOR)
    yiyang = "yiyang-smart-brain-2018-eval"
    before = stored_reports.report(db.uow(), EVALUATOR, yiyang, "seed", charts=False).content
    new_id = next_year(db.uow(), EVALUATOR, yiyang, 2019, today=TODAY)
    form = project_forms.open_ledger(db.uow(), EVALUATOR, new_id)
    tables = {k: [r.model_dump(mode="json") for r in getattr(form.ledger, k)] for k in project_forms.TABLES}
    tables["plan"] = [{**p, "amount": "1900"} if p["year"] == 2021 else p for p in tables["plan"]]
    project_forms.save_ledger(db.uow(), EVALUATOR, new_id, "14745", tables, form.version)

    after = stored_reports.report(db.uow(), EVALUATOR, yiyang, "seed", charts=False).content
    assert docx_text(after) == docx_text(before) and "1,900.00" not in docx_text(after)
    live = evaluations.get_case(db.uow(), EVALUATOR, new_id).case.ledger
    assert [p.amount for p in live.plan if p.year == 2021] == [1900]  # the 2019 draft sees the edit
    db.dispose()
