"""Reports of stored evaluations: the report checks, the Word report, the 评分表 and a PDF.

The app's 报告 page calls these; they load the evaluation for the actor behind the
``evaluation.report`` permission (role and project scope checked, so a download cannot reach
someone the role table does not allow) and hand the domain ``Case`` to ``services.reporting``
(the same path as ``workbench report``); the page never builds a document itself.
"""

from __future__ import annotations

from workbench.errors import Problem
from workbench.reports import pdf, templates
from workbench.services import reporting
from workbench.services.actors import Actor
from workbench.services.evaluations import StoredCase, case_of, fetch_for
from workbench.services.ports import UnitOfWork
from workbench.services.reporting import Output


def template_names() -> list[str]:
    """The report templates on offer (the .docx files in report_templates/), seed first."""
    names = list(templates.available())
    return sorted(names, key=lambda n: (n != "seed", n))


def _for_report(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> StoredCase:
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.report", "报告")
        return StoredCase(case_of(uow, stored), stored.versions)


def check(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[Problem]:
    """Every report check on the stored evaluation; errors first."""
    stored = _for_report(uow, actor, evaluation_id)
    return reporting.check_report(stored.case, stored.scorecard)


def report(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, template: str = "seed", *, charts: bool = True
) -> Output:
    """The Word report; raises ``InvalidInput`` listing the problems when a check finds errors."""
    return reporting.build_report(_for_report(uow, actor, evaluation_id).case, template, charts=charts)


def score_table(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> Output:
    """The printable 评分表 (.xlsx)."""
    return reporting.export_score_table(_for_report(uow, actor, evaluation_id).case)


def pdf_available() -> bool:
    return pdf.soffice() is not None


def to_pdf(docx: bytes) -> bytes:
    """The PDF of a finished report (LibreOffice); ``NotFound`` when it is not installed."""
    return pdf.docx_to_pdf(docx)
