"""The report of a stored evaluation includes 自评与评价得分对比 when the unit submitted a
self-evaluation, in both shipped templates, and leaves the section out when there is none; a
role without ``evaluation.report`` gets none of the documents."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from actors import EVALUATOR, UNIT, YIYANG, add_accounts, assert_role_decision, reopen
from docx import Document
from review_helpers import saved_selfeval, submitted_selfeval

from workbench.bootstrap import ensure_database
from workbench.services import cases, evaluations, reconciliation, stored_reports
from workbench.services.actors import SYSTEM
from workbench.storage.uow import Database

TABLE_TITLE = "表5  自评与评价得分对比"


DRAFT = "yiyang-with-draft"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Iterator[Database]:
    """The Yiyang case with a submitted self-evaluation (and one 核对说明); a copy of it whose
    self-evaluation is still the unit's draft."""
    opened = ensure_database(f"sqlite:///{tmp_path_factory.mktemp('report') / 'workbench.db'}")
    add_accounts(opened, UNIT)
    reopen(opened)
    cases.copy_evaluation(opened.uow(), EVALUATOR, YIYANG, DRAFT)
    saved_selfeval(opened, DRAFT)
    submitted_selfeval(opened)
    reconciliation.save_note(opened.uow(), EVALUATOR, YIYANG, "3.2.5", "运维外包后无专人跟踪，扣分属实", 0)
    yield opened
    opened.dispose()


def document(db: Database, template: str, evaluation_id: str = YIYANG):
    built = stored_reports.report(db.uow(), EVALUATOR, evaluation_id, template, charts=False)
    return Document(io.BytesIO(built.content))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def comparison_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "自评指标")


@pytest.mark.parametrize("template", ["seed", "mof2020"])
def test_without_a_submitted_self_evaluation_the_report_has_no_comparison(db, template):
    doc = document(db, template, DRAFT)  # a draft is the unit's own business

    assert TABLE_TITLE not in texts(doc)
    assert not any(t.rows[0].cells[0].text == "自评指标" for t in doc.tables)
    assert not any(p.startswith("项目单位自评得分") for p in texts(doc))


@pytest.mark.parametrize("template", ["seed", "mof2020"])
def test_with_a_submitted_self_evaluation_the_report_compares_it_row_by_row(db, template):
    doc = document(db, template)

    paragraphs = texts(doc)
    assert TABLE_TITLE in paragraphs
    assert any(
        p.startswith("项目单位自评得分100分，评价得分83分（相差+17分）。其中9项指标自评虚高")
        for p in paragraphs
    )
    rows = [[c.text for c in r.cells] for r in comparison_table(doc).rows]
    assert [
        "后期运行维护管理",
        "4",
        "4",
        "1",
        "+3",
        "自评虚高：运维外包后无专人跟踪，扣分属实",
    ] in rows
    assert ["立项依据充分性", "4", "4", "4", "0", ""] in rows
    assert rows[-1] == ["合计", "", "100", "83", "+17", ""]


@pytest.mark.parametrize(
    "call",
    [
        lambda db, actor, _: stored_reports.report(db.uow(), actor, YIYANG, charts=False),
        lambda db, actor, _: stored_reports.score_table(db.uow(), actor, YIYANG),
        lambda db, actor, _: stored_reports.check(db.uow(), actor, YIYANG),
        lambda db, actor, _: stored_reports.check_opened(
            db.uow(), actor, evaluations.get_case(db.uow(), SYSTEM, YIYANG)
        ),
    ],
    ids=["report", "score_table", "check", "check_opened"],
)
def test_the_project_unit_is_refused_the_report_the_score_table_and_the_checks(db, call):
    assert_role_decision(db, UNIT, call, {"评价人员", "复核人", "领导", "系统"}, None)


def test_the_checks_of_an_opened_evaluation_are_the_checks_of_the_stored_one(db):
    opened = evaluations.get_case(db.uow(), EVALUATOR, YIYANG)

    assert stored_reports.check_opened(db.uow(), EVALUATOR, opened) == stored_reports.check(
        db.uow(), EVALUATOR, YIYANG
    )
