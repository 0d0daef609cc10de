"""Use cases on findings (存在的问题) and recommendations (建议): add, edit, delete, reorder.

Links are checked on every save: a finding's indicator codes must exist in the evaluation's
indicator system; a recommendation's finding ids must exist in the evaluation.  A finding that
a recommendation still answers cannot be deleted (the link would silently break).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.domain.case import Case
from workbench.domain.evaluation import Finding, Recommendation
from workbench.errors import InvalidInput, NotFound, Problem
from workbench.services.actors import Actor
from workbench.services.forms import parse
from workbench.services.kernel import case_of, check_version, fetch_editable
from workbench.services.ports import ITEM_LABELS, Item, ItemKind, Stamp, UnitOfWork
from workbench.services.trail import evaluation_object, record

ID_PREFIX: Mapping[ItemKind, str] = {"findings": "F", "recommendations": "R"}
PERMISSION = "evaluation.findings"
MODELS: Mapping[ItemKind, type[Finding] | type[Recommendation]] = {
    "findings": Finding,
    "recommendations": Recommendation,
}


# --- findings ------------------------------------------------------------------------------


def add_finding(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, finding: Finding | Mapping[str, Any]
) -> Stamp:
    """Append a finding; without an id it gets the next free one (F1, F2, ...)."""
    return _add(uow, actor, evaluation_id, "findings", finding)


def update_finding(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    finding: Finding | Mapping[str, Any],
    expected_version: int,
) -> Stamp:
    """Replace the finding with the same id (ids cannot change: recommendations refer to them)."""
    return _update(uow, actor, evaluation_id, "findings", finding, expected_version)


def delete_finding(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, finding_id: str, expected_version: int
) -> None:
    _delete(uow, actor, evaluation_id, "findings", finding_id, expected_version)


def move_finding(uow: UnitOfWork, actor: Actor, evaluation_id: str, finding_id: str, position: int) -> None:
    """Move a finding to ``position`` (0 = first; beyond the end = last)."""
    _move(uow, actor, evaluation_id, "findings", finding_id, position)


# --- recommendations -----------------------------------------------------------------------


def add_recommendation(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, recommendation: Recommendation | Mapping[str, Any]
) -> Stamp:
    """Append a recommendation; without an id it gets the next free one (R1, R2, ...)."""
    return _add(uow, actor, evaluation_id, "recommendations", recommendation)


def update_recommendation(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    recommendation: Recommendation | Mapping[str, Any],
    expected_version: int,
) -> Stamp:
    return _update(uow, actor, evaluation_id, "recommendations", recommendation, expected_version)


def delete_recommendation(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, recommendation_id: str, expected_version: int
) -> None:
    _delete(uow, actor, evaluation_id, "recommendations", recommendation_id, expected_version)


def move_recommendation(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, recommendation_id: str, position: int
) -> None:
    _move(uow, actor, evaluation_id, "recommendations", recommendation_id, position)


# --- shared --------------------------------------------------------------------------------


def _items(case: Case, kind: ItemKind) -> list[Item]:
    return list(getattr(case.evaluation, kind))


def _next_id(kind: ItemKind, taken: set[str]) -> str:
    n = 1
    while f"{ID_PREFIX[kind]}{n}" in taken:
        n += 1
    return f"{ID_PREFIX[kind]}{n}"


def _parse(kind: ItemKind, data: Item | Mapping[str, Any], taken: set[str] | None = None) -> Item:
    label = ITEM_LABELS[kind]
    if isinstance(data, Mapping) and taken is not None and not str(data.get("id") or "").strip():
        data = {**data, "id": _next_id(kind, taken)}
    place = f"{label} {data['id']}" if isinstance(data, Mapping) and data.get("id") else label
    return parse(MODELS[kind], data, place)


def link_problems(case: Case, item: Item) -> list[Problem]:
    """Broken links of one finding (indicator codes) or recommendation (finding ids)."""
    if isinstance(item, Finding):
        kind: ItemKind = "findings"
        unknown = [code for code in item.indicators if case.system.find(code) is None]
        msg = f"关联的指标 {'、'.join(unknown)} 在指标体系“{case.system.name}”中不存在"
        field = "关联指标"
    else:
        kind = "recommendations"
        ids = {f.id for f in case.evaluation.findings}
        unknown = [fid for fid in item.findings if fid not in ids]
        msg = f"关联的问题 {'、'.join(unknown)} 不存在"
        field = "关联问题"
    place = f"{ITEM_LABELS[kind]} {item.id}（{item.title}）"
    return [Problem(msg, place=place, field=field)] if unknown else []


def _check_links(case: Case, item: Item) -> None:
    problems = link_problems(case, item)
    if problems:
        raise InvalidInput(problems)


def _add(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, kind: ItemKind, data: Item | Mapping[str, Any]
) -> Stamp:
    with uow:
        case = case_of(uow, fetch_editable(uow, actor, evaluation_id, PERMISSION, ITEM_LABELS[kind]))
        taken = {i.id for i in _items(case, kind)}
        item = _parse(kind, data, taken)
        if item.id in taken:
            raise InvalidInput(f"{ITEM_LABELS[kind]}编号“{item.id}”已存在，请换一个编号")
        _check_links(case, item)
        saved = uow.evaluations.save_item(evaluation_id, kind, item, 0, actor)
        record(uow, actor, f"新增{ITEM_LABELS[kind]}", _object(evaluation_id, kind, item.id), after=item)
        uow.commit()
    return saved


def _update(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    kind: ItemKind,
    data: Item | Mapping[str, Any],
    expected_version: int,
) -> Stamp:
    item = _parse(kind, data)
    what = f"{ITEM_LABELS[kind]}“{item.id}”"
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, PERMISSION, what)
        current = getattr(stored.versions, kind).get(item.id)
        if current is None and expected_version == 0:
            raise NotFound(f"找不到{what}（编号不能修改；要新增请用“添加”）")
        check_version(current, expected_version, what)
        _check_links(case_of(uow, stored), item)
        saved = uow.evaluations.save_item(evaluation_id, kind, item, expected_version, actor)
        before = next((i for i in getattr(stored.evaluation, kind) if i.id == item.id), None)
        record(
            uow,
            actor,
            f"修改{ITEM_LABELS[kind]}",
            _object(evaluation_id, kind, item.id),
            before=before,
            after=item,
        )
        uow.commit()
    return saved


def _delete(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, kind: ItemKind, item_id: str, expected_version: int
) -> None:
    what = f"{ITEM_LABELS[kind]}“{item_id}”"
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, PERMISSION, what)
        current = getattr(stored.versions, kind).get(item_id)
        if current is None and expected_version == 0:
            raise NotFound(f"找不到{what}")
        check_version(current, expected_version, what)
        if kind == "findings":
            users = [r.id for r in stored.evaluation.recommendations_for(item_id)]
            if users:
                raise InvalidInput(
                    f"{what}仍被建议 {'、'.join(users)} 引用；请先修改或删除这些建议的关联问题"
                )
        uow.evaluations.delete_item(evaluation_id, kind, item_id, expected_version, actor)
        before = next((i for i in getattr(stored.evaluation, kind) if i.id == item_id), None)
        record(uow, actor, f"删除{ITEM_LABELS[kind]}", _object(evaluation_id, kind, item_id), before=before)
        uow.commit()


def _object(evaluation_id: str, kind: ItemKind, item_id: str) -> str:
    return evaluation_object(evaluation_id, f"{ITEM_LABELS[kind]} {item_id}")


def _move(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, kind: ItemKind, item_id: str, position: int
) -> None:
    with uow:
        stored = fetch_editable(uow, actor, evaluation_id, PERMISSION, ITEM_LABELS[kind])
        before = [i.id for i in getattr(stored.evaluation, kind)]
        if item_id not in before:
            raise NotFound(f"找不到{ITEM_LABELS[kind]}“{item_id}”")
        ids = [i for i in before if i != item_id]
        ids.insert(max(0, min(position, len(ids))), item_id)
        uow.evaluations.reorder(evaluation_id, kind, ids, actor)
        record(
            uow,
            actor,
            f"调整{ITEM_LABELS[kind]}顺序",
            _object(evaluation_id, kind, item_id),
            before={"order": before},
            after={"order": ids},
        )
        uow.commit()
