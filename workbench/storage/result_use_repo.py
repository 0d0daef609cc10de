"""Repository of 结果应用 overrides (rows <-> ``StoredOverride``)."""

from __future__ import annotations

import sqlalchemy as sa

from workbench.domain.result_use import AdviceRule, OmScore
from workbench.services.actors import Actor
from workbench.services.ports.result_use import StoredOmScore, StoredOverride
from workbench.services.ports.stamps import Stamp
from workbench.storage.checked import VersionChecked, stamp
from workbench.storage.repository import to_doc
from workbench.storage.tables_result_use import OmScoreRow, ResultUseRow

WHAT = "结果应用意见"
OM = "运维考评得分"


class SqlResultUse(VersionChecked):
    def get(self, evaluation_id: str) -> StoredOverride | None:
        row = self.session.get(ResultUseRow, evaluation_id)
        if row is None:
            return None
        return StoredOverride(AdviceRule.model_validate(row.doc), row.reason, stamp(row))

    def save(
        self, evaluation_id: str, advice: AdviceRule, reason: str, expected_version: int, actor: Actor
    ) -> Stamp:
        doc = to_doc(advice)
        if expected_version == 0:
            return self._insert(
                ResultUseRow(evaluation_id=evaluation_id, doc=doc, reason=reason), actor, WHAT
            )
        where = (ResultUseRow.evaluation_id == evaluation_id,)
        return self._update(
            ResultUseRow, where, expected_version, {"doc": doc, "reason": reason}, actor, WHAT
        )

    def om_scores(self, project_id: str) -> dict[int, StoredOmScore]:
        rows = self.session.scalars(sa.select(OmScoreRow).where(OmScoreRow.project_id == project_id))
        return {row.year: StoredOmScore(OmScore.model_validate(row.doc), stamp(row)) for row in rows}

    def save_om_score(self, project_id: str, entry: OmScore, expected_version: int, actor: Actor) -> Stamp:
        doc, what = to_doc(entry), f"{entry.year}年{OM}"
        if expected_version == 0:
            return self._insert(OmScoreRow(project_id=project_id, year=entry.year, doc=doc), actor, what)
        where = (OmScoreRow.project_id == project_id, OmScoreRow.year == entry.year)
        return self._update(OmScoreRow, where, expected_version, {"doc": doc}, actor, what)
