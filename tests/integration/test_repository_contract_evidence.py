"""The contract of the evidence records' repository, run against the in-memory fake and both real
databases (``new_uow`` in conftest.py).  Only the records: the bytes' stores are tested in
tests/integration/test_evidence.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from workbench.services.ports import EvidenceRecord

AT = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def record(code: str, name: str, evaluation_id: str = "e") -> EvidenceRecord:
    return EvidenceRecord(
        0, evaluation_id, code, name, "application/pdf", 123, "ab" * 32, "ab" * 32, "zhang", AT, "合同扫描件"
    )


def test_an_added_record_gets_its_own_id_and_is_read_back_the_same(new_uow):
    with new_uow() as uow:
        first = uow.evidence.add(record("B1", "合同.pdf"))
        second = uow.evidence.add(record("B1", "验收报告.pdf"))
        uow.commit()
    assert first.id > 0 and second.id != first.id
    assert first == replace(record("B1", "合同.pdf"), id=first.id)
    assert first.citation == f"EV{first.id} 合同.pdf"
    with new_uow() as uow:
        assert uow.evidence.get(first.id) == first and uow.evidence.get(second.id) == second
        assert uow.evidence.get(first.id + second.id + 100) is None


def test_records_are_listed_by_indicator_then_upload_order_and_filtered_by_indicator(new_uow):
    with new_uow() as uow:
        b1 = uow.evidence.add(record("B1", "合同.pdf"))
        a1 = uow.evidence.add(record("A1", "批复.pdf"))
        b1_again = uow.evidence.add(record("B1", "发票.pdf"))
        uow.commit()
    with new_uow() as uow:
        assert uow.evidence.list("e") == [a1, b1, b1_again]
        assert uow.evidence.list("e", "B1") == [b1, b1_again]
        assert uow.evidence.list("e", "C1") == [] and uow.evidence.list("other") == []


def test_a_record_added_or_deleted_without_a_commit_is_not_so_for_the_next_unit_of_work(new_uow):
    with new_uow() as uow:
        kept = uow.evidence.add(record("A1", "批复.pdf"))
        uow.commit()
    with new_uow() as uow:
        uow.evidence.add(record("A1", "草稿.pdf"))
        uow.evidence.delete(kept.id)
    with new_uow() as uow:
        assert uow.evidence.list("e") == [kept]


def test_a_deleted_record_is_gone_and_deleting_a_missing_one_changes_nothing(new_uow):
    with new_uow() as uow:
        gone = uow.evidence.add(record("A1", "批复.pdf"))
        kept = uow.evidence.add(record("A1", "合同.pdf"))
        uow.commit()
    with new_uow() as uow:
        uow.evidence.delete(gone.id)
        uow.evidence.delete(gone.id + kept.id + 100)
        uow.commit()
    with new_uow() as uow:
        assert uow.evidence.get(gone.id) is None and uow.evidence.list("e") == [kept]
