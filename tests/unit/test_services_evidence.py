"""Evidence through the services, on the in-memory unit of work: uploads listed per indicator and
read back intact, and what a deduction cites kept."""

from __future__ import annotations

import pytest
from service_fakes import EVALUATOR, FULL, OTHER_UNIT, UNIT, unit_uow

from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import evidence

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_upload_is_listed_under_its_indicator_and_read_back_unchanged():
    uow = unit_uow()
    saved = evidence.upload_evidence(uow, UNIT, "e", "B1", "../合同.pdf", PDF, note="采购合同")
    assert (saved.code, saved.mime, saved.note, saved.uploaded_by) == (
        "B1",
        "application/pdf",
        "采购合同",
        "dw",
    )
    assert "/" not in saved.name and saved.name.endswith(".pdf")
    assert evidence.list_evidence(uow, EVALUATOR, "e", "B1") == [saved]
    assert evidence.list_evidence(uow, EVALUATOR, "e", "A1") == []
    assert evidence.read_evidence(uow, EVALUATOR, saved.id).content == PDF
    assert [e.event for e in uow.state.audit][-2:] == ["上传佐证材料", "下载佐证材料"]


def test_an_upload_to_an_indicator_the_system_lacks_or_to_another_units_project_is_refused():
    uow = unit_uow()
    with pytest.raises(InvalidInput, match="指标体系中没有这个指标"):
        evidence.upload_evidence(uow, UNIT, "e", "Z9", "合同.pdf", PDF)
    with pytest.raises(Forbidden, match="只能访问本单位的项目"):
        evidence.upload_evidence(uow, OTHER_UNIT, "e", "B1", "合同.pdf", PDF)
    assert uow.state.evidence == {}


def test_evidence_a_deduction_cites_cannot_be_deleted_and_uncited_evidence_can():
    cited = {"deductions": [{"reason": "合同未备案", "points": 2, "evidence": "EV1 合同.pdf"}]}
    uow = unit_uow({**FULL, "A1": cited})
    first = evidence.upload_evidence(uow, UNIT, "e", "A1", "合同.pdf", PDF)
    other = evidence.upload_evidence(uow, UNIT, "e", "A1", "附件.pdf", PDF)
    assert first.id == 1
    with pytest.raises(Conflict, match="佐证材料 EV1 仍被指标 A1 的扣分引用，不能删除"):
        evidence.delete_evidence(uow, EVALUATOR, first.id)
    evidence.delete_evidence(uow, EVALUATOR, other.id)
    assert evidence.list_evidence(uow, EVALUATOR, "e") == [first]
