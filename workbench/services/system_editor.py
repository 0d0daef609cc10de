"""Indicator systems edited in the app: start from a stored system, change indicators, 分值,
指标解释, 评分标准 and rules, check weights while editing, and save as a NEW system.

Stored systems are immutable (evaluations refer to their codes and 分值), so an edit never
changes a system any evaluation uses — a 定稿 one included: it is saved under a new id, a
version of the one it started from (``<base>-v2``, ``-v3`` …, or an id the user gives).
Indicators are reordered by their 序号 (plain Streamlit has no drag and drop): the rows are sorted
by it before the tree is read, so the weights are checked again in the new order.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.domain.indicators import IndicatorSystem
from workbench.domain.limits import shown
from workbench.errors import InvalidInput, Problem
from workbench.formats.case_xlsx_write import flow
from workbench.formats.system_xlsx import system_from_rows
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.catalog import SystemImport, store_system
from workbench.services.forms import next_version_id, required
from workbench.services.ports import UnitOfWork

ROW_KEYS = ("level", "code", "name", "weight", "explanation", "criteria", "rule")
MAX_ORDER = Decimal(10**6)
ORDER = "order"  # the 序号 column: rows are put in its order before they are read


def editor_rows(system: IndicatorSystem) -> list[dict[str, str]]:
    """One row per indicator, depth first, as the editor shows them."""
    rows: list[dict[str, str]] = []
    for level, node in system.walk():
        rule = flow(node.rule.model_dump(mode="python", exclude_defaults=True)) if node.rule else ""
        weight = "" if node.weight is None else f"{node.weight:f}"
        values = (str(level), node.code, node.name, weight, node.explanation, node.criteria, rule)
        rows.append({ORDER: str(len(rows) + 1), **dict(zip(ROW_KEYS, values, strict=True))})
    return rows


def ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows sorted by 序号 (a row without one stays after the numbered rows before it) and
    numbered 1, 2, 3 … again; a 序号 that is not a number is refused, naming the row."""
    keys, problems, last = [], [], Decimal(0)
    for i, row in enumerate(rows, start=1):
        text = str(row.get(ORDER, "")).strip()
        try:
            number = Decimal(text) if text else last
            if not number.is_finite() or abs(number) > MAX_ORDER:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(
                Problem(f"序号应为数字，填写的是“{shown(text)}”", place=f"第 {i} 个指标", field="序号")
            )
            continue
        last = number
        keys.append((number, i))
    if problems:
        raise InvalidInput(problems)
    out = [dict(rows[i - 1]) for _, i in sorted(keys)]
    for n, row in enumerate(out, start=1):
        row[ORDER] = str(n)
    return out


def check_rows(base: IndicatorSystem, rows: list[dict[str, Any]]) -> list[Problem]:
    """Every problem of the edited rows (errors and warnings), nothing saved."""
    return system_from_rows(_meta(base, base.id, base.name), ordered(rows))[1]


def save_rows(
    uow: UnitOfWork,
    actor: Actor,
    base_id: str,
    rows: list[dict[str, Any]],
    *,
    new_id: str = "",
    name: str = "",
) -> SystemImport:
    """Store the edited rows as a new system (a version of ``base_id``)."""
    with uow:
        require(uow, actor, "evaluation.create", what=f"指标体系 {base_id}")
        base = required(uow.systems.get(base_id), f"找不到指标体系“{base_id}”")
        chosen = new_id.strip() or next_version_id(base_id, lambda i: uow.systems.get(i) is not None)
        if uow.systems.get(chosen) is not None:
            raise InvalidInput([Problem(f"指标体系编号“{chosen}”已被使用；已存体系不能修改，请换一个编号")])
    meta = _meta(base, chosen, name.strip() or f"{base.name}（修订）")
    system, problems = system_from_rows(meta, ordered(rows))
    errors = [p for p in problems if p.is_error]
    if errors or system is None:
        raise InvalidInput(errors or problems)
    return store_system(uow, actor, system, f"在指标体系“{base.name}”基础上修订", problems)


def _meta(base: IndicatorSystem, system_id: str, name: str) -> dict[str, Any]:
    data = base.model_dump(mode="python", exclude={"indicators"})
    return {**data, "id": system_id, "name": name}
