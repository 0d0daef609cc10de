"""结果应用 travels with the case folder: ``export-case`` writes the override of the suggested
advice (with its reason, who decided it and when) and the project's 运维考评得分 as
``result-use-record.yaml``; importing the folder into another database stores them, audited
as imported; a score stored otherwise, or for a year the contract does not pay by, refuses the
import naming the file, with nothing stored."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from actors import EVALUATOR, REVIEWER, YIYANG, add_accounts, audit_rows

from workbench.bootstrap import ensure_database
from workbench.errors import Conflict, InvalidInput
from workbench.services import cases, result_use
from workbench.services.casefiles import validate_path

COPY = "yiyang-carried"


@pytest.fixture
def other_db(tmp_path, database_templates):
    """A second bureau's database (SQLite, seeded as shipped) to carry the folder to."""
    url = f"sqlite:///{tmp_path / 'other.db'}"
    database_templates.copy(url, seed=True)
    db = ensure_database(url)
    add_accounts(db, EVALUATOR, REVIEWER)
    yield db
    db.dispose()


def decided(db, tmp_path: Path) -> Path:
    """The Yiyang evaluation with its advice overridden and its 2019 运维考评得分 recorded, exported."""
    add_accounts(db, EVALUATOR, REVIEWER)
    result_use.override(
        db.uow(), REVIEWER, YIYANG, {"advice": "核减", "percent": 5}, "后期维护与管理有待加强", 0
    )
    result_use.record_om_score(db.uow(), EVALUATOR, YIYANG, 2019, "85", "2019年度运维考评报告", 0)
    out = tmp_path / "exported"
    cases.export_case(db.uow(), EVALUATOR, YIYANG, out)
    return out


def test_the_override_and_the_om_scores_read_back_in_another_database(seeded_db, other_db, tmp_path):
    out = decided(seeded_db, tmp_path)
    text = (out / "result-use-record.yaml").read_text("utf-8")
    assert "后期维护与管理有待加强" in text and "by: wang" in text

    cases.import_case(other_db.uow(), EVALUATOR, out, evaluation_id=COPY)

    advice = result_use.advice_for(other_db.uow(), REVIEWER, COPY)
    assert (
        advice.label == "建议（已人工调整）：核减 5%" and advice.override.reason == "后期维护与管理有待加强"
    )
    row = next(r for r in advice.payments if r.year == 2019)
    assert (row.om_score, row.due.total, row.basis) == (D("85"), D("1789.13"), "已录入")
    events = {r.event: r.detail for r in audit_rows(other_db)}
    assert "原由 wang 于" in events["导入结果应用建议调整"] and "随案例导入" in events["导入结果应用建议调整"]
    assert "导入运维考评得分" in events
    # again into the first database, as a copy: the 2019 score is stored the same there
    cases.import_case(seeded_db.uow(), EVALUATOR, out, evaluation_id=COPY)
    assert result_use.advice_for(seeded_db.uow(), REVIEWER, COPY).label == "建议（已人工调整）：核减 5%"


def test_a_score_stored_otherwise_refuses_the_import_and_nothing_is_stored(seeded_db, tmp_path):
    out = decided(seeded_db, tmp_path)
    text = (out / "result-use-record.yaml").read_text("utf-8")
    (out / "result-use-record.yaml").write_text(text.replace("score: 85", "score: 90"), "utf-8")
    before = len(audit_rows(seeded_db))

    with pytest.raises(Conflict) as refused:
        cases.import_case(seeded_db.uow(), EVALUATOR, out, evaluation_id=COPY)

    problem = refused.value.problems[0]
    assert "2019年的运维考评得分，且与本文件不同" in problem.message
    assert str(problem.file).endswith("result-use-record.yaml")
    with seeded_db.uow() as uow:
        assert uow.evaluations.get(COPY) is None
    assert audit_rows(seeded_db)[before:] == []  # the whole transaction rolled back


def test_a_score_for_a_year_not_paid_by_it_is_refused_naming_the_file(seeded_db, other_db, tmp_path):
    out = decided(seeded_db, tmp_path)
    text = (out / "result-use-record.yaml").read_text("utf-8")
    (out / "result-use-record.yaml").write_text(text.replace("year: 2019", "year: 2018"), "utf-8")

    with pytest.raises(InvalidInput) as refused:
        cases.import_case(other_db.uow(), EVALUATOR, out, evaluation_id=COPY)

    problem = refused.value.problems[0]
    assert (problem.message, problem.field) == (
        "2018年不按运维考评结果付款（见资金台账的付款条款与分年计划）",
        "年度",
    )
    assert str(problem.file).endswith("result-use-record.yaml")
    with other_db.uow() as uow:
        assert uow.evaluations.get(COPY) is None


def test_validate_names_a_bad_score_in_the_record_file(tmp_path):
    path = tmp_path / "result-use-record.yaml"
    path.write_text("om_scores:\n- year: 2019\n  score: 101\n", "utf-8")

    found = validate_path(path)

    assert [(Path(str(p.file)).name, p.place) for p in found] == [("result-use-record.yaml", "第 3 行")], (
        found
    )
    assert "100" in found[0].message
