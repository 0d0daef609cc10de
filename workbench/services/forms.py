"""Plain inputs (a form's fields) into domain objects, with one Chinese line per problem."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from workbench.domain.messages import field_label, translate
from workbench.errors import InvalidInput, NotFound, Problem

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def parse(model: type[M], data: M | Mapping[str, Any], place: str) -> M:
    """``data`` as a ``model``: passed through when it already is one, validated when a mapping.

    ``place`` names what the user was filling in (e.g. "新建项目", "指标 B12"), so each problem
    reads "新建项目，字段「年度」：应为数字，实际为“二〇一八”".
    """
    if isinstance(data, model):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput([Problem("应为“键: 值”形式的映射", place=place)])
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            fields = [p for p in err["loc"] if isinstance(p, str)]
            label = field_label(fields[-1]) if fields and err["type"] != "extra_forbidden" else None
            problems.append(Problem(translate(err), place=place, field=label))
        raise InvalidInput(problems) from exc


def required(value: T | None, message: str) -> T:
    """``value`` when it is there; ``NotFound(message)`` when it is None."""
    if value is None:
        raise NotFound(message)
    return value


def next_version_id(base_id: str, taken: Callable[[str], bool]) -> str:
    """The first free ``<stem>-v2``, ``-v3`` … for a new version of ``base_id`` (whose own ``-vN``
    suffix is dropped first, so a version of ``x-v2`` is ``x-v3``, not ``x-v2-v2``)."""
    stem, _, number = base_id.rpartition("-v")
    stem = stem if stem and number.isdigit() else base_id
    n = 2
    while taken(f"{stem}-v{n}"):
        n += 1
    return f"{stem}-v{n}"


def free_id(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3`` … : the first that is not ``taken``."""
    if not taken(base):
        return base
    n = 2
    while taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"
