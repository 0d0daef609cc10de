"""Use cases on the project unit's self-evaluation (自评表, 10号 附件2) of an evaluation.

The 项目单位 fills the form in the app (or uploads it as .xlsx), saves drafts, and submits it once;
a submitted form is the unit's declaration and no longer changes.  Anyone holding
``selfeval.view`` on the project reads it and downloads it in the standard layout.  The scores are
never typed into storage: each read scores the form by the rules of the 10号 template
(``formats.selfeval_xlsx.template_options``) and the evaluation's grade bands.

A form not saved yet starts prefilled: project, unit, year, and one row per leaf of the
evaluation's indicator system (names and 分值), so the evaluator's comparison can match each
row to an indicator.  When that system has no level-1 预算执行率 of its own, the funds block is
prefilled with 分值 0 (its figures are still recorded and checked) so the form totals 100.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from workbench.domain.case import Case
from workbench.domain.funds import EXECUTION, Funds
from workbench.domain.limits import MAX_REASON, clean_file_name
from workbench.domain.scoring import Scorecard
from workbench.domain.selfeval import SelfEvalRow, SelfEvaluation
from workbench.domain.workflow import LOCKED
from workbench.errors import Conflict, InvalidInput, Problem, WorkbenchError
from workbench.services.access import permissions_of
from workbench.services.actors import Actor
from workbench.services.forms import parse
from workbench.services.kernel import case_of, check_version, fetch_for
from workbench.services.ports import StoredSelfEvaluation, UnitOfWork
from workbench.services.trail import evaluation_object, record, record_access, refusing_input

PART = "自评表"
MAX_UPLOAD = 20 * 1024 * 1024  # a 自评表 is a few dozen KB


@dataclass(frozen=True)
class SelfEvalView:
    """The form as stored (or prefilled), scored, with what the rules say about it."""

    evaluation_id: str
    form: SelfEvaluation
    version: int  # 0: not saved yet (the form is a prefilled blank)
    submitted: bool = False
    submitted_at: datetime | None = None
    submitted_by: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""
    card: Scorecard | None = None  # None when the form cannot be scored as it stands
    problems: list[Problem] = field(default_factory=list)
    returned_reason: str = ""  # why the evaluation team last sent the submitted form back
    returned_at: datetime | None = None
    returned_by: str = ""

    @property
    def scorable(self) -> bool:
        return self.card is not None


# --- reading -------------------------------------------------------------------------------


def get_selfeval(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> SelfEvalView:
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "selfeval.view", PART)
        case = case_of(uow, stored)
        found = uow.selfevals.get(evaluation_id)
    return view_of(case, found)


def export_selfeval(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> bytes:
    """The form in the standard layout (.xlsx), scores computed; a blank prefilled form when none
    is saved yet (to fill in Excel and upload)."""
    shown = get_selfeval(uow, actor, evaluation_id)
    if shown.card is None:
        raise InvalidInput([*shown.problems, Problem("自评表有不能计分的内容，改正后才能导出")])
    from workbench.formats.selfeval_xlsx import selfeval_bytes  # openpyxl: only for the workbook

    content = selfeval_bytes(shown.form, shown.card)
    record_access(
        uow, actor, "导出自评表", evaluation_object(evaluation_id, "自评表"), detail=f"{len(content)} 字节"
    )
    return content


def view_of(case: Case, found: StoredSelfEvaluation | None) -> SelfEvalView:
    form = found.form if found else blank_form(case)
    card, problems = score_form(form, case)
    if found is None:
        return SelfEvalView(case.evaluation.id, form, 0, card=card, problems=problems)
    return SelfEvalView(
        case.evaluation.id,
        form,
        found.stamp.version,
        found.submitted,
        found.submitted_at,
        found.submitted_by,
        found.stamp.updated_at,
        found.stamp.updated_by,
        card,
        problems,
        found.returned_reason,
        found.returned_at,
        found.returned_by,
    )


def options_for(form: SelfEvaluation) -> dict[str, Any]:
    """The 10号 template's rules; its 10/50/30/10 composition only for a form that uses its
    level-1 names (a form prefilled from another indicator system is not held to it)."""
    from workbench.formats.selfeval_xlsx import template_options  # openpyxl: only for the workbook

    options = template_options()
    tops = {EXECUTION[0], *(r.level1 for r in form.rows)}
    rules = options.get("composition") or []
    if not all(set(rule.names) <= tops for rule in rules):
        options["composition"] = []
    return options


def score_form(form: SelfEvaluation, case: Case) -> tuple[Scorecard | None, list[Problem]]:
    """The form's scorecard under the evaluation's grade bands, and every problem found."""
    options = options_for(form)
    try:
        card = form.scorecard(case.bands, **options)
    except WorkbenchError as exc:
        return None, exc.problems
    system = form.to_system(**options)
    return card, [*system.problems(), *form.problems(card, options.get("execution_rule"))]


def blank_form(case: Case) -> SelfEvaluation:
    """A new form for ``case``: its project and year, one row per leaf of its indicator system."""
    system, project = case.system, case.project
    rows, weight = [], Decimal(0)
    for leaf in system.leaves():
        names = [n.name for n in system.path(leaf.code)]
        if names[0] == EXECUTION[0]:
            weight += leaf.weight or Decimal(0)
            continue
        level2 = names[1] if len(names) > 1 else names[0]
        rows.append(
            SelfEvalRow(
                level1=names[0], level2=level2, level3="／".join(names[2:]), weight=leaf.weight or Decimal(0)
            )
        )
    return SelfEvaluation(
        project=project.name,
        department=project.department,
        unit=project.unit.name,
        year=case.evaluation.year,
        funds=Funds(weight=weight),
        rows=rows,
    )


# --- the unit's writing --------------------------------------------------------------------


def save_selfeval(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    form: SelfEvaluation | Mapping[str, Any],
    expected_version: int,
) -> SelfEvalView:
    """Save the unit's draft (``expected_version`` 0 for the first save).  A draft may still be
    incomplete; fields that are not what they must be (text where a number goes) are refused."""
    entry = parse(SelfEvaluation, form, PART)
    return _store(uow, actor, evaluation_id, entry, expected_version, "保存自评表", "")


def import_selfeval(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, data: bytes, file_name: str, expected_version: int
) -> SelfEvalView:
    """Replace the draft by an uploaded 自评表 (.xlsx in the 10号 layout).  Who may write this
    evaluation's form is checked before the file is read; a refused file is audited."""
    what = evaluation_object(evaluation_id, PART)
    with uow:
        fetch_for(uow, actor, evaluation_id, "selfeval.submit", PART)
    with refusing_input(uow, actor, f"{what} / {file_name}"):
        form = read_upload(data, file_name)
    return _store(uow, actor, evaluation_id, form, expected_version, "导入自评表", file_name)


def submit_selfeval(uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int) -> SelfEvalView:
    """Submit the saved form: every row scored, nothing the rules cannot score.  Final."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "selfeval.submit", PART)
        found = _open_form(uow, evaluation_id, expected_version)
        if found is None:
            raise InvalidInput("请先保存自评表，再提交")
        case = case_of(uow, stored)
        shown = view_of(case, found)
        _ready(shown)
        saved = uow.selfevals.submit(evaluation_id, expected_version, actor)
        total = shown.card.total if shown.card else None
        record(uow, actor, "提交自评表", evaluation_object(evaluation_id, PART), after={"total": total})
        uow.commit()
        found = replace(
            found, stamp=saved, submitted=True, submitted_at=saved.updated_at, submitted_by=actor.username
        )
    return view_of(case, found)


def return_selfeval(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, expected_version: int, reason: str
) -> SelfEvalView:
    """Send the unit's submitted form back to be corrected and submitted again (退回自评表): by
    the evaluator who checks it (``evaluation.score``) or the reviewer (``workflow.return``), with
    a reason the unit reads on its page.  Not once the evaluation is 定稿."""
    if not reason.strip():
        raise InvalidInput([Problem("请写明退回理由，项目单位将据此修改自评表", field="退回理由")])
    if len(reason.strip()) > MAX_REASON:
        raise InvalidInput([Problem(f"不能超过 {MAX_REASON:,} 字", field="退回理由")])
    with uow:
        held = permissions_of(uow, actor)
        permission = "evaluation.score" if "evaluation.score" in held else "workflow.return"
        stored = fetch_for(uow, actor, evaluation_id, permission, PART)
        if stored.evaluation.status in LOCKED:
            raise Conflict("评价已定稿，自评表不能退回；如需退回，请先由复核人“重新打开”评价")
        found = uow.selfevals.get(evaluation_id)
        if found is None or not found.submitted:
            raise Conflict("自评表尚未提交，无需退回：项目单位仍可直接修改")
        check_version(found.stamp, expected_version, PART)
        saved = uow.selfevals.send_back(evaluation_id, reason.strip(), expected_version, actor)
        record(uow, actor, "退回自评表", evaluation_object(evaluation_id, PART), detail=reason.strip())
        case = case_of(uow, stored)
        uow.commit()
        returned = StoredSelfEvaluation(
            found.form,
            saved,
            returned_reason=reason.strip(),
            returned_at=saved.updated_at,
            returned_by=actor.username,
        )
    return view_of(case, returned)


def _store(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    form: SelfEvaluation,
    expected_version: int,
    event: str,
    detail: str,
) -> SelfEvalView:
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "selfeval.submit", PART)
        found = _open_form(uow, evaluation_id, expected_version)
        saved = uow.selfevals.save(evaluation_id, form, expected_version, actor)
        record(
            uow,
            actor,
            event,
            evaluation_object(evaluation_id, PART),
            before=found.form if found else None,
            after=form,
            detail=detail,
        )
        case = case_of(uow, stored)
        uow.commit()
    kept = replace(found, form=form, stamp=saved) if found else StoredSelfEvaluation(form, saved)
    return view_of(case, kept)


def _open_form(uow: UnitOfWork, evaluation_id: str, expected_version: int) -> StoredSelfEvaluation | None:
    """The stored form, when it is the version the user saw and not yet submitted."""
    found = uow.selfevals.get(evaluation_id)
    if found is not None and found.submitted:
        when = found.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M") if found.submitted_at else ""
        raise Conflict(f"自评表已由 {found.submitted_by} 于 {when} 提交，不能再修改")
    check_version(found.stamp if found else None, expected_version, PART)
    return found


def _ready(shown: SelfEvalView) -> None:
    if shown.card is None:
        raise InvalidInput([*shown.problems, Problem("自评表有不能计分的内容，改正后才能提交")])
    problems = []
    if shown.form.year is None:
        problems.append(Problem("请填写自评年度", field="年度"))
    if not shown.form.rows:
        problems.append(Problem("自评表还没有指标行"))
    pending = [n for n in shown.card.leaves() if n.status == "pending"]
    for node in pending:
        what = "执行率（填写全年预算数和全年执行数）" if node.code == "1.1" else "得分或实际完成值"
        problems.append(Problem(f"尚未计分：请填写{what}", place=f"指标 {node.code}（{node.name}）"))
    if problems:
        raise InvalidInput([*problems, Problem("自评表未提交：请补全以上内容后再提交")])


def read_upload(data: bytes, file_name: str) -> SelfEvaluation:
    """An uploaded 自评表 read through a private temporary file named like the upload, so every
    message names the user's file."""
    with uploaded_file(data, file_name) as path:
        from workbench.formats.selfeval_xlsx import read_selfeval  # openpyxl: only for the workbook

        return read_selfeval(path)


class uploaded_file:
    """``with uploaded_file(data, name) as path``: the bytes in a private temporary folder."""

    def __init__(self, data: bytes, file_name: str):
        name = clean_file_name(file_name, "上传的文件.xlsx")
        if len(data) > MAX_UPLOAD:
            size = f"{len(data) / 1024 / 1024:.1f} MB"
            raise InvalidInput(
                [Problem(f"文件过大（{size}），超过 {MAX_UPLOAD // 1024 // 1024} MB", file=name)]
            )
        self.data, self.name = data, name

    def __enter__(self) -> Path:
        self.folder = tempfile.TemporaryDirectory(prefix="wb-upload-")
        path = Path(self.folder.name) / self.name
        path.write_bytes(self.data)
        return path

    def __exit__(self, *exc: object) -> None:
        self.folder.cleanup()
