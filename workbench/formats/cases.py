"""Case folders and indicator-system files on disk.

A case folder (projects/<case>/) holds ``project.yaml``, ``ledger.yaml`` and ``evaluation.yaml``;
the evaluation names its indicator system and grade-band set by id, found in the indicators
folder (or an ``indicators.yaml`` inside the case folder, which wins).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from workbench.domain.case import Case
from workbench.domain.evaluation import Evaluation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.project import Project
from workbench.errors import InvalidInput, NotFound, Problem, WorkbenchError
from workbench.formats.yamlio import MAX_BYTES, Located, build, dump_yaml, read_yaml

ROOT = Path(__file__).resolve().parents[2]
CASE_FILES = ("project.yaml", "ledger.yaml", "evaluation.yaml")
BANDS_FILE = "grade-bands.yaml"


def indicators_dir() -> Path:
    return Path(os.environ.get("WORKBENCH_INDICATORS_DIR", ROOT / "indicators"))


def projects_dir() -> Path:
    return Path(os.environ.get("WORKBENCH_PROJECTS_DIR", ROOT / "projects"))


# --- indicator systems ---------------------------------------------------------------------


def _indicator_nodes(located: Located) -> Iterator[tuple[tuple, dict]]:
    """(path, mapping) of every indicator mapping in a raw system file, depth first (none when
    the file is not a mapping at all: an uploaded file may hold anything)."""

    def walk(nodes: object, path: tuple) -> Iterator[tuple[tuple, dict]]:
        for i, node in enumerate(nodes if isinstance(nodes, list) else []):
            if isinstance(node, dict):
                here = (*path, i)
                yield here, node
                yield from walk(node.get("children"), (*here, "children"))

    data = located.data
    return walk(data.get("indicators") if isinstance(data, dict) else None, ("indicators",))


def _code_lines(located: Located) -> dict[str, int | None]:
    """Indicator code -> the line of its first mapping in the file."""
    out: dict[str, int | None] = {}
    for path, node in _indicator_nodes(located):
        if "code" in node:
            out.setdefault(str(node["code"]), located.line_of(path))
    return out


def check_system(located: Located) -> tuple[IndicatorSystem | None, list[Problem]]:
    """Validate an indicator-system file: schema first, then the tree's structure."""
    try:
        system = build(IndicatorSystem, located)
    except InvalidInput as exc:
        return None, exc.problems + _raw_duplicates(located)
    lines = _code_lines(located)
    problems = []
    for p in system.problems():
        line = lines.get(p.code) if p.code else None
        place = "，".join(x for x in (f"第 {line} 行" if line else "", p.place or "") if x) or None
        problems.append(
            Problem(
                p.message, file=located.file, place=place, field=p.field, severity=p.severity, code=p.code
            )
        )
    return system, problems


def _raw_duplicates(located: Located) -> list[Problem]:
    """Duplicate codes found in the raw file, for when the schema already failed."""
    seen: dict[str, int | None] = {}
    out = []
    for path, node in _indicator_nodes(located):
        code = str(node.get("code", ""))
        if code and code in seen:
            out.append(located.problem(f"指标代码重复（第 {seen[code]} 行已使用）", path, field="代码"))
        seen.setdefault(code, located.line_of(path))
    return out


def load_system_file(path: Path) -> IndicatorSystem:
    return _checked_system(read_yaml(path))


def _checked_system(located: Located) -> IndicatorSystem:
    system, problems = check_system(located)
    errors = [p for p in problems if p.is_error]
    if errors or system is None:
        raise InvalidInput(errors or problems)
    return system


def _system_files(folder: Path | None) -> list[Path]:
    return [p for p in sorted((folder or indicators_dir()).glob("*.yaml")) if p.name != BANDS_FILE]


def _system_id(path: Path, located: Located | None = None) -> str | None:
    """The id an indicator-system file declares (None: not a readable system file)."""
    try:
        data = (located or read_yaml(path)).data
    except WorkbenchError:
        return None
    return str(data["id"]) if isinstance(data, dict) and "indicators" in data and "id" in data else None


def list_systems(folder: Path | None = None) -> dict[str, Path]:
    """System id -> file, for every indicator-system file in the folder (the first in name order
    when two declare the same id)."""
    out: dict[str, Path] = {}
    for path in _system_files(folder):
        found = _system_id(path)
        if found is not None:
            out.setdefault(found, path)
    return out


def _may_declare(path: Path, system_id: str) -> bool:
    """False only for a file that cannot declare ``system_id``: its text holds neither the id
    nor a backslash (a double-quoted YAML string could spell the id with escapes)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if path.stat().st_size <= MAX_BYTES else ""
    except OSError:
        return True
    return system_id in text or "\\" in text


def load_system(system_id: str, folder: Path | None = None) -> IndicatorSystem:
    """The system ``system_id``, from the file ``list_systems`` names for it.  Only the files
    that may declare the id are parsed (a report reads one system, not the whole folder)."""
    for path in _system_files(folder):
        if not _may_declare(path, system_id):
            continue
        try:
            located = read_yaml(path)
        except WorkbenchError:
            continue
        if _system_id(path, located) == system_id:
            return _checked_system(located)
    known = "、".join(list_systems(folder)) or "（无）"
    raise NotFound(f"找不到指标体系“{system_id}”，指标体系文件夹中现有：{known}")


# --- grade bands ---------------------------------------------------------------------------


def load_band_sets(folder: Path | None = None) -> dict[str, BandSet]:
    path = (folder or indicators_dir()) / BANDS_FILE
    located = read_yaml(path)
    raw = located.data.get("band_sets")
    if not isinstance(raw, list):
        raise InvalidInput([located.problem("应包含 band_sets 列表", ("band_sets",), field="band_sets")])
    sets = [build(BandSet, located, item, ("band_sets", i)) for i, item in enumerate(raw)]
    return {s.id: s for s in sets}


def load_bands(band_id: str, folder: Path | None = None) -> BandSet:
    sets = load_band_sets(folder)
    if band_id not in sets:
        raise NotFound(f"找不到等级划分“{band_id}”，现有：{'、'.join(sets)}")
    return sets[band_id]


# --- case folders --------------------------------------------------------------------------


def load_case(folder: Path, indicators: Path | None = None) -> Case:
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFound([Problem("案例文件夹不存在", file=str(folder))])
    missing = [name for name in CASE_FILES if not (folder / name).exists()]
    if missing:
        raise InvalidInput([Problem("案例文件夹缺少文件", file=str(folder / m)) for m in missing])
    problems: list[Problem] = []
    parts = {}
    for name, model in (("project.yaml", Project), ("ledger.yaml", Ledger), ("evaluation.yaml", Evaluation)):
        try:
            parts[name] = build(model, read_yaml(folder / name))
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    evaluation: Evaluation = parts["evaluation.yaml"]
    local = folder / "indicators.yaml"
    system = load_system_file(local) if local.exists() else load_system(evaluation.system, indicators)
    bands = load_bands(evaluation.bands, indicators)
    return Case(parts["project.yaml"], parts["ledger.yaml"], evaluation, system, bands)


def write_case(case: Case, folder: Path, *, with_system: bool = False) -> list[Path]:
    """Write a case back to a folder in the same layout it is read from."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    headers = {
        "project.yaml": f"项目基本情况：{case.project.name}",
        "ledger.yaml": "项目资金台账（单位：万元，除非某行另注 unit）",
        "evaluation.yaml": f"绩效评价记录：{case.evaluation.title or case.evaluation.id}",
    }
    for name, model in (
        ("project.yaml", case.project),
        ("ledger.yaml", case.ledger),
        ("evaluation.yaml", case.evaluation),
    ):
        path = folder / name
        # a 定稿 evaluation's kept project and ledger are the case's: project.yaml and ledger.yaml
        doc = model.model_dump(mode="python", exclude_defaults=True, exclude={"frozen"})
        path.write_text(dump_yaml(doc, headers[name]), "utf-8")
        written.append(path)
    if with_system:
        path = folder / "indicators.yaml"
        path.write_text(
            dump_yaml(case.system.model_dump(mode="python", exclude_defaults=True), case.system.name), "utf-8"
        )
        written.append(path)
    return written
