"""Repository of 结果应用 overrides (rows <-> ``StoredOverride``)."""

from __future__ import annotations

from workbench.domain.result_use import AdviceRule
from workbench.services.actors import Actor
from workbench.services.ports.result_use import StoredOverride
from workbench.services.ports.stamps import Stamp
from workbench.storage.checked import VersionChecked, stamp
from workbench.storage.repository import to_doc
from workbench.storage.tables_result_use import ResultUseRow

WHAT = "结果应用意见"


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
