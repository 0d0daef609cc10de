"""Use cases on indicator systems (指标体系) and grade-band sets (等级划分).

Both are immutable once stored: evaluations refer to their codes and cut points.  Storing one
again with the same id is fine when the content is the same, and refused when it differs (the
file must then get a new id), so nothing an evaluation was scored against changes under it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.limits import clean_file_name
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.formats.cases import check_system
from workbench.formats.system_xlsx import read_system_workbook
from workbench.formats.yamlio import MAX_BYTES, parse_yaml
from workbench.services.access import require, require_first
from workbench.services.actors import Actor
from workbench.services.forms import required
from workbench.services.ports import UnitOfWork
from workbench.services.trail import record, refusing_input

MAX_UPLOAD = 20 * 1024 * 1024  # a published system is tens of KB


@dataclass(frozen=True)
class SystemSummary:
    id: str
    name: str
    framework: str
    total: Decimal
    weighted: bool
    level1: tuple[str, ...]  # names of the level-1 indicators
    leaves: int
    depth: int


@dataclass(frozen=True)
class SystemImport:
    system: IndicatorSystem
    created: bool  # False when the same system was already stored
    warnings: list[Problem] = field(default_factory=list)


def summary(system: IndicatorSystem) -> SystemSummary:
    return SystemSummary(
        id=system.id,
        name=system.name,
        framework=system.framework,
        total=system.total,
        weighted=system.weighted,
        level1=tuple(n.name for n in system.indicators),
        leaves=len(system.leaves()),
        depth=system.depth(),
    )


def list_systems(uow: UnitOfWork, actor: Actor) -> list[SystemSummary]:
    with uow:
        require(uow, actor, "evaluation.view", what="指标体系")
        return [summary(s) for s in uow.systems.all()]


def get_system(uow: UnitOfWork, actor: Actor, system_id: str) -> IndicatorSystem:
    with uow:
        require(uow, actor, "evaluation.view", what=f"指标体系 {system_id}")
        return required(uow.systems.get(system_id), f"找不到指标体系“{system_id}”")


def list_band_sets(uow: UnitOfWork, actor: Actor) -> list[BandSet]:
    with uow:
        require(uow, actor, "evaluation.view", what="等级划分")
        return uow.band_sets.all()


def import_system(uow: UnitOfWork, actor: Actor, content: str | bytes, file_name: str) -> SystemImport:
    """Store an indicator system from YAML text (an uploaded file's bytes or its text).

    Every problem names ``file_name`` and the line; warnings (e.g. weights against a composition
    rule) do not stop the import and are returned.
    """
    return _import(uow, actor, content, clean_file_name(file_name, "指标体系文件"))


def _import(uow: UnitOfWork, actor: Actor, content: str | bytes, file_name: str) -> SystemImport:
    require_first(uow, actor, "evaluation.create", what=f"导入指标体系 {file_name}")
    with refusing_input(uow, actor, f"导入指标体系 {file_name}"):
        system, problems = _read_system(content, file_name)
    return store_system(uow, actor, system, file_name, [p for p in problems if not p.is_error])


def import_system_workbook(
    uow: UnitOfWork, actor: Actor, path: Path, system_id: str, name: str, *, sheet: str | None = None
) -> SystemImport:
    """Store an indicator system from a published .xlsx sheet (一级/二级/三级指标, 分值, 指标解释,
    评分标准); leaves without a rule are scored by hand (扣分制).  The permission is checked
    before the file is read; a refused file is audited."""
    file_name = Path(path).name
    require_first(uow, actor, "evaluation.create", what=f"导入指标体系 {file_name}")
    with refusing_input(uow, actor, f"导入指标体系 {file_name}"):
        system = read_system_workbook(Path(path), system_id=system_id, name=name, sheet=sheet)
    warnings = [p.with_file(file_name) for p in system.problems() if not p.is_error]
    return store_system(uow, actor, system, file_name, warnings)


def import_uploaded_system_workbook(
    uow: UnitOfWork, actor: Actor, file_name: str, content: bytes, system_id: str = "", name: str = ""
) -> SystemImport:
    """``import_system_workbook`` for an uploaded .xlsx; id and name default to the file's name."""
    base = clean_file_name(file_name, "指标体系.xlsx")
    if len(content) > MAX_UPLOAD:
        raise InvalidInput([Problem("文件过大（超过 20 MB），不是指标体系", file=file_name)])
    stem = base.rsplit(".", 1)[0]
    with tempfile.TemporaryDirectory(prefix="wb-system-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(content)
        return import_system_workbook(uow, actor, path, system_id.strip() or stem, name.strip() or stem)


def store_system(
    uow: UnitOfWork, actor: Actor, system: IndicatorSystem, file_name: str, warnings: list[Problem]
) -> SystemImport:
    with uow:
        require(uow, actor, "evaluation.create", what=f"指标体系 {system.id}")
        created = ensure_system(uow, actor, system, file_name)
        if created:
            record(
                uow,
                actor,
                "导入指标体系",
                f"指标体系 {system.id}",
                after={"name": system.name, "file": file_name},
            )
        uow.commit()
    return SystemImport(system, created, warnings)


def _read_system(content: str | bytes, file_name: str) -> tuple[IndicatorSystem, list[Problem]]:
    if len(content) > MAX_BYTES:
        raise InvalidInput([Problem("文件过大，不是指标体系文件", file=file_name)])
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput([Problem("文件不是 UTF-8 编码的文本", file=file_name)]) from exc
    system, problems = check_system(parse_yaml(content, file_name))
    errors = [p for p in problems if p.is_error]
    if errors or system is None:
        raise InvalidInput(errors or problems)
    return system, problems


def import_system_file(uow: UnitOfWork, actor: Actor, path: Path) -> SystemImport:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem("文件不存在", file=str(path))])
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput([Problem("文件过大，不是指标体系文件", file=str(path))])
    return _import(uow, actor, path.read_bytes(), str(path))


# --- used inside other use cases' units of work --------------------------------------------


def ensure_system(uow: UnitOfWork, actor: Actor, system: IndicatorSystem, source: str = "") -> bool:
    """Add ``system`` unless the same one is stored; True when added."""
    stored = uow.systems.get(system.id)
    if stored is None:
        uow.systems.add(system, actor)
        return True
    if stored.model_dump() != system.model_dump():
        where = f"（{source}）" if source else ""
        raise Conflict(
            f"指标体系“{system.id}”已存在且内容不同{where}：已有评价按原体系评分，不能覆盖；"
            "如需使用修改后的体系，请在文件中改用新的 id"
        )
    return False


def ensure_band_set(uow: UnitOfWork, actor: Actor, band_set: BandSet) -> bool:
    """Add ``band_set`` unless the same one is stored; True when added."""
    stored = uow.band_sets.get(band_set.id)
    if stored is None:
        uow.band_sets.add(band_set, actor)
        return True
    if stored.model_dump() != band_set.model_dump():
        raise Conflict(f"等级划分“{band_set.id}”已存在且内容不同：不能覆盖，请改用新的 id")
    return False
