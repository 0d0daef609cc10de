"""The first start: when the database is empty, fill it with the indicator systems and grade bands
in indicators/ and the reference case (the Yiyang evaluation), so the app opens on a real case.
(Opening and upgrading the database is the composition root's job: ``workbench.bootstrap``.)"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import Conflict, InvalidInput
from workbench.formats import cases as case_files
from workbench.services.actors import Actor
from workbench.services.cases import case_problems, store_case
from workbench.services.catalog import ensure_band_set, ensure_system
from workbench.services.ports import UnitOfWork
from workbench.services.trail import record

# Case folders under projects/ loaded into an empty database.
SEED_CASES = ("yiyang-smart-brain-2018",)


def seed_if_empty(
    uow: UnitOfWork, actor: Actor, indicators: Path | None = None, projects: Path | None = None
) -> bool:
    """Load indicator systems, band sets and the seed cases in one transaction; True if loaded."""
    indicators = indicators or case_files.indicators_dir()
    projects = projects or case_files.projects_dir()
    try:
        with uow:
            if uow.systems.all() or uow.band_sets.all() or uow.evaluations.all():
                return False
            for path in case_files.list_systems(indicators).values():
                ensure_system(uow, actor, case_files.load_system_file(path), str(path))
            for band_set in case_files.load_band_sets(indicators).values():
                ensure_band_set(uow, actor, band_set)
            for name in SEED_CASES:
                case = case_files.load_case(projects / name, indicators)
                problems = case_problems(case)
                if problems:
                    raise InvalidInput(problems)
                store_case(uow, actor, case, case.evaluation, str(projects / name))
            record(
                uow,
                actor,
                "初始化数据",
                "数据库",
                after={"systems": len(uow.systems.all()), "cases": list(SEED_CASES)},
            )
            uow.commit()
    except Conflict:
        # Another process filled the database at the same moment: what it loaded is the same.
        return False
    return True
