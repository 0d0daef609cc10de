"""Reports of stored evaluations: the report checks, the Word report, the 评分表 and a PDF.

The app's 报告 page calls these; they load the evaluation for the actor behind the
``evaluation.report`` permission (role and project scope checked, so a download cannot reach
someone the role table does not allow) and hand the domain ``Case`` to ``services.reporting``
(the same path as ``workbench report``); the page never builds a document itself.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.domain.case import Case
from workbench.errors import Problem
from workbench.formats.review_rules import load_review_rules
from workbench.reports import templates
from workbench.reports.context import Supplements
from workbench.services import evaluations, reporting
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.kernel import StoredCase, case_of, fetch_for
from workbench.services.panels import panel_note
from workbench.services.ports import StoredEvaluation, UnitOfWork
from workbench.services.prior import prior_year
from workbench.services.reconciliation import comparison_of
from workbench.services.reporting import Checklist, Output
from workbench.services.trail import evaluation_object, record_access


def template_names() -> list[str]:
    """The report templates on offer (the .docx files in report_templates/), seed first."""
    names = list(templates.available())
    return sorted(names, key=lambda n: (n != "seed", n))


def template_titles() -> dict[str, str]:
    """The templates on offer, seed first, each with the name people know it by (its title)."""
    found = templates.available()
    return {name: templates.title(found[name]) for name in template_names()}


def _with_supplements(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> tuple[Case, Supplements]:
    """The case, with the unit's submitted self-evaluation compared and the expert-panel note."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.report", "报告")
        case, extra = case_of(uow, stored), supplements_of(uow, stored)
    prior = prior_year(uow, actor, stored.evaluation)
    return case, replace(extra, prior=prior) if prior else extra


def supplements_of(uow: UnitOfWork, stored: StoredEvaluation) -> Supplements:
    """Inside an open unit of work: what the report adds beside the case."""
    rules, _ = load_review_rules()
    note = panel_note(uow.panels.get(stored.evaluation.id), stored.evaluation, rules.trim_min_experts)
    return Supplements(comparison_of(uow, stored).comparison, note)


def check(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> list[Problem]:
    """Every report check on the stored evaluation; errors first.  The checks are a pure function
    of the case, kept by the case's identity (the 评分 page's bar asks on every rerun)."""
    return _checks(uow, evaluations.report_case(uow, actor, evaluation_id).case)


def check_opened(uow: UnitOfWork, actor: Actor, opened: StoredCase) -> list[Problem]:
    """``check`` on the evaluation a page has just opened (``evaluations.get_case`` in the same
    run): the same permission checks, without reading the evaluation a second time."""
    ev = opened.case.evaluation
    what = evaluation_object(ev.id, "报告")
    with uow:
        require(uow, actor, "evaluation.report", what=what)
        require(uow, actor, "evaluation.report", project=ev.project, what=what)
    return _checks(uow, opened.case)


def _checks(uow: UnitOfWork, case: Case) -> list[Problem]:
    found: list[Problem] | None = uow.caches.report_checks.get((case,))
    if found is None:
        found = uow.caches.report_checks.put((case,), reporting.check_report(case, memo=uow.caches.passages))
    return list(found)


def checklist(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> Checklist:
    """报告核对清单 of the stored evaluation: checks, ledger decisions, notes kept out of the
    report and the 报告质量自检."""
    return reporting.checklist(evaluations.report_case(uow, actor, evaluation_id).case)


def report(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, template: str = "seed", *, charts: bool = True
) -> Output:
    """The Word report; raises ``InvalidInput`` listing the problems when a check finds errors."""
    case, extra = _with_supplements(uow, actor, evaluation_id)
    output = reporting.build_report(case, template, charts=charts, supplements=extra)
    what = evaluation_object(evaluation_id, "报告")
    record_access(uow, actor, "生成报告", what, detail=f"模板 {template}，{len(output.content)} 字节")
    return output


def score_table(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> Output:
    """The printable 评分表 (.xlsx)."""
    case, extra = _with_supplements(uow, actor, evaluation_id)
    output = reporting.export_score_table(case, extra)
    what = evaluation_object(evaluation_id, "评分表")
    record_access(uow, actor, "生成评分表", what, detail=f"{len(output.content)} 字节")
    return output


def pdf_available() -> bool:
    from workbench.reports import pdf  # the PDF path only for a PDF

    return pdf.soffice() is not None


def to_pdf(docx: bytes) -> bytes:
    """The PDF of a finished report (LibreOffice); ``NotFound`` when it is not installed."""
    from workbench.reports import pdf

    return pdf.docx_to_pdf(docx)
