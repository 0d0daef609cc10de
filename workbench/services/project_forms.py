"""The project's facts and its ledger edited in forms.  The ledger: total investment, payment plan per year, funds per year
(arranged / 到位 / paid / spent) and spend lines with payee, amount and an explicit unit.

Inputs are the form's text, one mapping per table row; every field is checked on save with one
Chinese line naming the table, the row and the field.  The save names the project version it was
based on (a conflict is refused as on 评分), is audited, and is refused while the evaluation itself
is under review or 定稿.  A project is shared by its evaluations; when another evaluation of it
of the same year is under review or 定稿 (it must never change underneath), the save is
copy-on-write: the draft gets a project of its own (``<id>-v2`` …) holding the change, and the
other evaluations keep the old one.  Evaluations of other years share the project across years:
their facts are the project's, and a year whose evaluation is 定稿 is locked — a ledger save that
changes that year's plan, funds or spend lines is refused (``services.periods``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from workbench.domain.ledger import Ledger
from workbench.domain.limits import MAX_FIGURE
from workbench.domain.messages import field_label, translate
from workbench.domain.project import PROJECT_KINDS as PROJECT_KINDS  # the page's 项目类型 choices
from workbench.domain.project import Project
from workbench.domain.workflow import EDITABLE, LOCKED
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.services.actors import Actor
from workbench.services.forms import next_version_id, parse
from workbench.services.kernel import check_version, fetch_editable, fetch_for
from workbench.services.periods import locked_ledger_changes, locked_years
from workbench.services.ports import StoredEvaluation, UnitOfWork
from workbench.services.trail import evaluation_object, record

PLACE = "资金台账"
FACTS_PLACE = "项目信息"
TABLES = {"plan": "分年支付计划", "years": "年度资金", "spend_lines": "支出明细"}
FLAGS = {"是": True, "否": False}
LABELS = {
    "terms": "支付条件",
    "scope": "资金范围",
    "category": "支出事项",
    "payee": "收款单位",
    "source": "出处",
}


@dataclass(frozen=True)
class ProjectForm:
    project: Project
    ledger: Ledger
    version: int  # the project's version, to pass back when saving
    editable: bool
    shared_with: tuple[
        str, ...
    ] = ()  # evaluations of the same year under review or 定稿 that use this project
    locked_years: tuple[int, ...] = ()  # years of the ledger locked by a 定稿 (or reviewed) evaluation
    kept_by: tuple[int, ...] = ()  # years of other 定稿 evaluations that kept their own project and ledger

    def kept_note(self) -> str:
        """The line a page shows when a save here cannot change a signed report ("" when none)."""
        if not self.kept_by or not self.editable:
            return ""
        years = "、".join(f"{y}年度" for y in self.kept_by)
        return f"已定稿的{years}评价保存了定稿时的项目信息与资金台账，此处修改不会改变其报告。"


@dataclass(frozen=True)
class SavedProject:
    """What a save left: the project now used by the evaluation, its version, and a note in
    Chinese when the save gave the evaluation a copy of its own (else "")."""

    project_id: str
    version: int
    note: str = ""


def open_project(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> ProjectForm:
    """The project and ledger of an evaluation as stored, with the version to save against."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.view")
        project_id = stored.evaluation.project
        found = uow.projects.get(project_id)
        stamp = uow.projects.stamp(project_id)
        if found is None or stamp is None:
            raise Conflict(f"找不到评价所属的项目“{project_id}”")
        ev = stored.evaluation
        project, ledger = ev.frozen.parts if ev.frozen is not None else found  # what its report prints
        shared = tuple(_locked_siblings(uow, project_id, evaluation_id, ev.year))
        years = tuple(sorted(locked_years(uow, project_id)))
        kept = _kept_by(uow, project_id, evaluation_id)
        return ProjectForm(project, ledger, stamp.version, ev.status in EDITABLE, shared, years, kept)


open_ledger = open_project


def save_ledger(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    total_investment: str,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    expected_version: int,
) -> SavedProject:
    """Check and store the ledger; ``tables`` holds the rows of plan, years and spend_lines."""
    ledger = ledger_from_form(total_investment, tables)
    return _store(uow, actor, evaluation_id, expected_version, PLACE, lambda p, _: (p, ledger))


def save_project(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, facts: Mapping[str, Any], expected_version: int
) -> SavedProject:
    """Check and store the project's facts (its id stays); ``facts`` as the form gives them."""

    def change(project: Project, ledger: Ledger) -> tuple[Project, Ledger]:
        data = {**_pruned(facts), "id": project.id}
        return parse(Project, data, FACTS_PLACE), ledger

    return _store(uow, actor, evaluation_id, expected_version, FACTS_PLACE, change)


def _store(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    expected_version: int,
    what: str,
    change: Callable[[Project, Ledger], tuple[Project, Ledger]],
) -> SavedProject:
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, "evaluation.score", what)
        project_id = stored.evaluation.project
        found = uow.projects.get(project_id)
        if found is None:
            raise Conflict(f"找不到评价所属的项目“{project_id}”")
        check_version(uow.projects.stamp(project_id), expected_version, f"项目“{found[0].name}”的{what}")
        project, ledger = change(*found)
        before, after = (found[1], ledger) if what == PLACE else (found[0], project)
        locked = _locked_siblings(uow, project_id, evaluation_id, stored.evaluation.year)
        if not locked and what == PLACE:
            refused = locked_ledger_changes(found[1], ledger, locked_years(uow, project_id))
            if refused:
                raise Conflict(refused)
        if locked:
            saved = _own_copy(uow, actor, stored, project, ledger, locked)
            event = f"修改{what}（另存为本评价的项目副本）"
            detail = (
                f"项目 {project_id} 由评价 {'、'.join(locked)} 使用，保持不变；本评价改用 {saved.project_id}"
            )
        else:
            stamp = uow.projects.update(project, ledger, expected_version, actor)
            saved, event, detail = SavedProject(project_id, stamp.version), f"修改{what}", ""
        obj = evaluation_object(evaluation_id, what)
        record(uow, actor, event, obj, before=before, after=after, detail=detail)
        uow.commit()
    return saved


def _own_copy(
    uow: UnitOfWork,
    actor: Actor,
    stored: StoredEvaluation,
    project: Project,
    ledger: Ledger,
    locked: list[str],
) -> SavedProject:
    """Store the changed project under a new id and point the evaluation at it."""
    evaluation = stored.evaluation
    new_id = next_version_id(evaluation.project, lambda i: uow.projects.stamp(i) is not None)
    uow.projects.add(project.model_copy(update={"id": new_id}), ledger, actor)
    moved = evaluation.model_copy(update={"project": new_id})
    uow.evaluations.save_header(moved, stored.versions.evaluation.version, actor)
    stamp = uow.projects.stamp(new_id)
    assert stamp is not None
    note = (
        f"该项目也用于已定稿或复核中的评价“{'、'.join(locked)}”，其项目信息与台账保持不变；"
        f"本评价已改用一份自己的项目副本（{new_id}），修改保存在副本中"
    )
    return SavedProject(new_id, stamp.version, note)


def _pruned(value: Any) -> Any:
    """Form values without blanks: empty text is no value, so defaults apply."""
    if isinstance(value, Mapping):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", {}, [])}
    if isinstance(value, list | tuple):
        return [x for x in (_pruned(v) for v in value) if x not in (None, "", {}, [])]
    return value.strip() if isinstance(value, str) else value


def ledger_from_form(total_investment: str, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Ledger:
    """Form text into a ledger: blank cells are empty, 是/否 are flags; every problem named."""
    data: dict[str, Any] = {"total_investment": _blank(total_investment)}
    for key in TABLES:
        rows = [{k: _cell(v) for k, v in row.items()} for row in tables.get(key, ())]
        data[key] = [{k: v for k, v in row.items() if v is not None} for row in rows]
        data[key] = [row for row in data[key] if row]
    problems = []
    if data["total_investment"] is None:
        problems.append(Problem("请填写总投资（万元）", place=PLACE, field="总投资"))
    try:
        ledger = Ledger.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(err) for err in exc.errors()]
        raise InvalidInput(problems) from exc
    problems += _too_large(ledger)
    if problems:
        raise InvalidInput(problems)
    return ledger


def _too_large(ledger: Ledger) -> list[Problem]:
    """Figures far beyond any project (a slip such as 1e20) would break sums and formatting."""
    out = []
    if ledger.total_investment >= MAX_FIGURE:
        out.append(Problem("数值过大，请核对单位与位数", place=PLACE, field="总投资"))
    for key, title in TABLES.items():
        for i, row in enumerate(getattr(ledger, key), start=1):
            for name, value in row:
                if isinstance(value, Decimal) and value >= MAX_FIGURE:
                    place = f"{PLACE}·{title} 第 {i} 行"
                    out.append(Problem("数值过大，请核对单位与位数", place=place, field=field_label(name)))
    return out


def _problem(err: Any) -> Problem:
    loc = err["loc"]
    place = PLACE
    if loc and loc[0] in TABLES:
        place = f"{PLACE}·{TABLES[loc[0]]}" + (f" 第 {loc[1] + 1} 行" if len(loc) > 1 else "")
    names = [p for p in loc if isinstance(p, str)]
    label = (
        LABELS.get(names[-1]) or field_label(names[-1])
        if names and err["type"] != "extra_forbidden"
        else None
    )
    return Problem(translate(err), place=place, field=label)


def _blank(value: Any) -> Any:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip()
    if text in FLAGS:
        return FLAGS[text]
    return _blank(text)


def _kept_by(uow: UnitOfWork, project_id: str, evaluation_id: str) -> tuple[int, ...]:
    """Years of the project's other 定稿 evaluations that kept the project and ledger they printed."""
    years = set()
    for h in uow.evaluations.headers():
        if h.project == project_id and h.id != evaluation_id and h.status in LOCKED:
            other = uow.evaluations.get(h.id)
            if other is not None and other.evaluation.frozen is not None:
                years.add(h.year)
    return tuple(sorted(years))


def _locked_siblings(uow: UnitOfWork, project_id: str, evaluation_id: str, year: int) -> list[str]:
    """Other evaluations of the project's same year that are under review or 定稿."""
    return [
        row.id
        for row in uow.evaluations.listings([project_id])
        if row.id != evaluation_id and row.year == year and row.status not in EDITABLE
    ]
