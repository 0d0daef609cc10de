"""Steps shared by the multi-year tests: the demo project's folders, its 2018 targets and a
year of the evaluator's work taken from a demo folder."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from actors import EVALUATOR, REVIEWER
from docx import Document

from workbench.domain.multiyear import Period, PeriodTarget
from workbench.formats.cases import load_case
from workbench.services import evaluations, findings, review
from workbench.storage.uow import Database

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "projects"
PROJECT = "demo-water-monitoring"
Y2018, Y2019, Y2020 = (f"{PROJECT}-{y}-eval" for y in (2018, 2019, 2020))
SECTION = "上年度评价发现问题整改情况"
TODAY = date(2019, 6, 30)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def store_2018_targets(db: Database) -> None:
    """The 2018 targets as recorded before that evaluation was 定稿 (the demo folder holds none)."""
    period = Period(
        project=PROJECT,
        year=2018,
        targets=[
            PeriodTarget(
                name="在线监测点数量",
                unit="个",
                baseline=Decimal(0),
                target=Decimal(120),
                actual=Decimal(112),
            ),
            PeriodTarget(name="数据上传及时率", unit="%", target=Decimal(95), actual=Decimal(96)),
        ],
    )
    with db.uow() as uow:
        uow.periods.save(period, 0, EVALUATOR)
        uow.commit()


def score_from_folder(db: Database, evaluation_id: str, folder: Path) -> None:
    """The evaluator's scores of the year, taken from the demo folder."""
    for code, score in load_case(folder).evaluation.scores.items():
        evaluations.save_score(db.uow(), EVALUATOR, evaluation_id, code, score, 0)


def complete_from_folder(db: Database, evaluation_id: str, folder: Path) -> None:
    """The evaluator's year of work, taken from the demo folder: scores, findings, recommendations,
    the 落款 date; then 提交复核 → 复核通过 → 定稿."""
    source = load_case(folder).evaluation
    score_from_folder(db, evaluation_id, folder)
    for finding in source.findings:
        findings.add_finding(db.uow(), EVALUATOR, evaluation_id, finding)
    for recommendation in source.recommendations:
        findings.add_recommendation(db.uow(), EVALUATOR, evaluation_id, recommendation)
    version = evaluations.get_case(db.uow(), EVALUATOR, evaluation_id).versions.evaluation.version
    evaluations.update_header(db.uow(), EVALUATOR, evaluation_id, {"written": source.written}, version)
    review.advance(db.uow(), EVALUATOR, evaluation_id, "workflow.submit")
    review.advance(db.uow(), REVIEWER, evaluation_id, "workflow.review")
    review.advance(db.uow(), REVIEWER, evaluation_id, "workflow.finalize")
