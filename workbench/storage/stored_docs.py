"""The stored documents of one evaluation read and rewritten as plain JSON, without the domain
models: the way to a value the models now refuse (``domain.limit_scan``; ``workbench db check |
repair``).  A rewrite counts as an edit: the row's version and stamps move on and the evaluation's
tag is renewed, so no cache keeps the old value."""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from workbench.domain.messages import field_label, translate
from workbench.errors import InvalidInput
from workbench.services.actors import Actor
from workbench.services.ports import StoredDoc
from workbench.storage.tables import (
    EvaluationRow,
    FindingRow,
    ProjectRow,
    RecommendationRow,
    ScoreRow,
    new_etag,
    utcnow,
)

M = TypeVar("M", bound=BaseModel)

_PARTS = ((ScoreRow, "code", "评分 {}"), (FindingRow, "id", "问题 {}"), (RecommendationRow, "id", "建议 {}"))


class SqlStoredDocs:
    def __init__(self, session: Session):
        self.session = session

    def evaluation_ids(self) -> list[str]:
        return list(self.session.scalars(sa.select(EvaluationRow.id).order_by(EvaluationRow.id)))

    def of_evaluation(self, evaluation_id: str) -> list[StoredDoc]:
        """The project's facts and ledger, the evaluation's header, scores, findings and
        recommendations, as stored (empty when there is no such evaluation)."""
        header = self.session.execute(
            sa.select(EvaluationRow.project_id, EvaluationRow.header).where(EvaluationRow.id == evaluation_id)
        ).first()
        if header is None:
            return []
        project = self.session.execute(
            sa.select(ProjectRow.facts, ProjectRow.ledger).where(ProjectRow.id == header.project_id)
        ).first()
        found = [StoredDoc("evaluations", "header", {"id": evaluation_id}, "评价信息", header.header)]
        if project is not None:
            key = {"id": header.project_id}
            found[:0] = [
                StoredDoc("projects", "facts", key, "项目信息", project.facts),
                StoredDoc("projects", "ledger", key, "资金台账", project.ledger),
            ]
        for row, name, place in _PARTS:
            query = sa.select(getattr(row, name), row.doc).where(row.evaluation_id == evaluation_id)
            for code, doc in self.session.execute(query.order_by(getattr(row, name))):
                key = {"evaluation_id": evaluation_id, name: code}
                found.append(StoredDoc(row.__tablename__, "doc", key, place.format(code), doc))
        return found

    def rewrite(self, stored: StoredDoc, doc: Any, evaluation_id: str, actor: Actor) -> None:
        """Store ``doc`` in place of ``stored`` (an edit by ``actor``) and renew the evaluation's tag."""
        table = EvaluationRow.metadata.tables[stored.table]
        where = [table.c[name] == value for name, value in stored.key.items()]
        self.session.execute(
            table.update()
            .where(*where)
            .values(
                {
                    stored.column: doc,
                    "version": table.c.version + 1,
                    "updated_at": utcnow(),
                    "updated_by": actor.username,
                }
            )
        )
        self.session.execute(
            sa.update(EvaluationRow).where(EvaluationRow.id == evaluation_id).values(etag=new_etag()),
            execution_options={"synchronize_session": False},
        )


_PART_LABELS = {"scores": "评分", "findings": "问题与建议·问题", "recommendations": "问题与建议·建议"}
REPAIR_HINT = (
    "请联系系统管理员：先运行“workbench db check”列出超出限制的值，"
    "再运行“workbench db repair --evaluation {} --confirm”修复（修复会记入审计日志）"
)


def opened(model: type[M], data: Any, place: str, evaluation_id: str = "评价编号") -> M:
    """``model`` from a stored document; a document the model refuses (a value stored before
    today's limits) is one Chinese message naming the fields and the way out, not a crash."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = "；".join(_located(err) for err in exc.errors()[:3])
        more = f"（另有 {exc.error_count() - 3} 处）" if exc.error_count() > 3 else ""
        raise InvalidInput(
            f"{place}中保存的值不符合当前的限制，无法打开：{fields}{more}。{REPAIR_HINT.format(evaluation_id)}"
        ) from None


def _located(err: Any) -> str:
    parts = [
        _PART_LABELS.get(p) or field_label(p) if isinstance(p, str) else f"第{p + 1}项" for p in err["loc"]
    ]
    return f"{'·'.join(parts)}：{translate(err)}" if parts else translate(err)
