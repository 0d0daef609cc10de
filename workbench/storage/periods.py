"""Project periods on SQLAlchemy: one row per project and year, the targets as a JSON document."""

from __future__ import annotations

import sqlalchemy as sa

from workbench.domain.multiyear import Period
from workbench.services.actors import Actor
from workbench.services.ports import Stamp
from workbench.storage.checked import VersionChecked, stamp
from workbench.storage.stored_docs import opened
from workbench.storage.tables import ProjectPeriodRow


class SqlPeriods(VersionChecked):
    def get(self, project_id: str, year: int) -> tuple[Period, Stamp] | None:
        row = self.session.get(ProjectPeriodRow, (project_id, year), populate_existing=True)
        if row is None:
            return None
        data = {"project": project_id, "year": year, **row.doc}
        return opened(Period, data, f"项目“{project_id}”{year}年的绩效指标"), stamp(row)

    def years(self, project_id: str) -> list[int]:
        query = sa.select(ProjectPeriodRow.year).where(ProjectPeriodRow.project_id == project_id)
        return sorted(self.session.scalars(query))

    def save(self, period: Period, expected_version: int, actor: Actor) -> Stamp:
        """Insert (expected 0) or replace the period's targets, refused when someone saved first."""
        doc = period.model_dump(mode="python", exclude={"project", "year"})
        what = f"项目“{period.project}”{period.year}年的绩效指标"
        if expected_version == 0:
            row = ProjectPeriodRow(project_id=period.project, year=period.year, doc=doc)
            return self._insert(row, actor, what)
        where = (ProjectPeriodRow.project_id == period.project, ProjectPeriodRow.year == period.year)
        return self._update(ProjectPeriodRow, where, expected_version, {"doc": doc}, actor, what)
