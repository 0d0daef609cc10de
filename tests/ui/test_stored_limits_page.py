"""An evaluation holding a value stored before today's limits: its pages say which field and that
the 系统管理员 repairs it (``workbench db repair``), instead of an error id; the app goes on."""

from __future__ import annotations

import sqlalchemy as sa
from screen import shown, texts

from workbench.storage.tables import EvaluationRow, ScoreRow, new_etag


def test_opening_an_evaluation_with_an_over_long_stored_reason_names_the_field_and_the_repair(
    open_page, app_db, draft
):
    where = (ScoreRow.evaluation_id == draft, ScoreRow.code == "A22")
    with app_db.engine.begin() as conn:  # as an older release stored it, past the domain models
        doc = conn.scalar(sa.select(ScoreRow.doc).where(*where))
        doc["deductions"][0]["reason"] = "长" * 3000
        conn.execute(sa.update(ScoreRow).where(*where).values(doc=doc))
        conn.execute(sa.update(EvaluationRow).where(EvaluationRow.id == draft).values(etag=new_etag()))

    for page in ("overview", "scoring"):
        at = open_page(page, draft)
        errors = " ".join(texts(at.error))
        assert "评分·A22·扣分事项·第1项·扣分理由：过长" in errors, shown(at)
        assert (
            "请联系系统管理员" in errors and f"workbench db repair --evaluation {draft} --confirm" in errors
        )
        assert "错误编号" not in shown(at)
