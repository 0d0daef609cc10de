"""Evidence (佐证材料) per indicator: project units upload, evaluators list and cite it.

An upload is checked by content, not by name (pdf, docx, xlsx, jpg, png), held to a size limit,
renamed safely (``formats.evidence.check_upload``) and stored by its SHA-256 in the configured
store (``storage.evidence``: a folder, or the database).  A deduction cites evidence by putting
``EvidenceRecord.citation`` ("EV12 合同.pdf") in ``Deduction.evidence``; the scoring service
checks that a cited EV number belongs to the evaluation, and the report prints the citation.
Reading a file checks its SHA-256 again; a file changed in the store is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from workbench.domain.limits import clean_file_name, shown
from workbench.domain.workflow import LOCKED
from workbench.errors import Conflict, InvalidInput, NotFound, Problem
from workbench.formats.evidence import MAX_BYTES, CheckedUpload, check_upload
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.kernel import EVIDENCE_CITATION, case_of, fetch_for
from workbench.services.ports import EvidenceRecord, UnitOfWork
from workbench.services.trail import evaluation_object, record, record_access, refusing_input

MAX_NOTE = 200
MAX_UPLOAD = MAX_BYTES  # one evidence file, as uploaded


@dataclass(frozen=True)
class EvidenceFile:
    info: EvidenceRecord
    content: bytes


def upload_evidence(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, code: str, name: str, data: bytes, *, note: str = ""
) -> EvidenceRecord:
    """Store one file as evidence for indicator ``code``; returns it with its EV number.
    Who may upload is checked before the file is looked at; a refused file is audited."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"说明不能超过 {MAX_NOTE} 字")
    part = f"指标 {shown(code, 40)}"
    with uow:
        fetch_for(uow, actor, evaluation_id, "evidence.upload", part)
    with refusing_input(uow, actor, evaluation_object(evaluation_id, f"{part} / {clean_file_name(name)}")):
        checked = check_upload(name, data)
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evidence.upload", part)
        if stored.evaluation.status in LOCKED:
            raise Conflict("评价已定稿，不能再上传佐证材料；如需补充，请先由复核人“重新打开”")
        if case_of(uow, stored).system.find(code) is None:
            raise InvalidInput([Problem("指标体系中没有这个指标", place=part)])
        key = uow.evidence_files.put(checked.sha256, data)
        saved = uow.evidence.add(_new_record(checked, evaluation_id, code, key, actor, note))
        record(
            uow,
            actor,
            "上传佐证材料",
            evaluation_object(evaluation_id, f"{part} / EV{saved.id}"),
            after={"name": saved.name, "mime": saved.mime, "size": saved.size, "sha256": saved.sha256},
            detail=f"原文件名：{shown(name, 180)}",
        )
        uow.commit()
    return saved


def _new_record(
    checked: CheckedUpload, evaluation_id: str, code: str, key: str, actor: Actor, note: str
) -> EvidenceRecord:
    return EvidenceRecord(
        id=0,  # the database numbers it
        evaluation_id=evaluation_id,
        code=code,
        name=checked.safe_name,
        mime=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
        storage_key=key,
        uploaded_by=actor.username,
        uploaded_at=datetime.now(UTC),
        note=note,
    )


def list_evidence(
    uow: UnitOfWork, actor: Actor, evaluation_id: str, code: str | None = None
) -> list[EvidenceRecord]:
    """The evaluation's evidence (of one indicator when ``code`` is given), by indicator then number.

    The pages list it on every rerun: one query reads the records with the evaluation's project,
    whose scope is checked before they are handed out (the evaluation is not loaded)."""
    what = evaluation_object(evaluation_id)
    with uow:
        require(uow, actor, "evidence.view", what=what)
        found = uow.evidence.listing(evaluation_id, code)
        if found is None:
            raise NotFound(f"找不到评价记录“{evaluation_id}”")
        project, records = found
        require(uow, actor, "evidence.view", project=project, what=what)
        return records


def read_evidence(uow: UnitOfWork, actor: Actor, evidence_id: int) -> EvidenceFile:
    """The file's bytes (for a download button), after checking its SHA-256."""
    with uow:
        found = _get(uow, evidence_id)
        fetch_for(uow, actor, found.evaluation_id, "evidence.view", f"EV{evidence_id}")
        content = uow.evidence_files.get(found.storage_key)
    if content is None:
        raise NotFound(f"佐证材料 EV{evidence_id}（{found.name}）的文件内容缺失，请联系系统管理员从备份恢复")
    if hashlib.sha256(content).hexdigest() != found.sha256:
        raise Conflict(
            f"佐证材料 EV{evidence_id}（{found.name}）的文件内容与上传时的 SHA-256 不符，可能已被篡改，已拒绝提供"
        )
    what = evaluation_object(found.evaluation_id, f"指标 {found.code} / EV{evidence_id}")
    record_access(uow, actor, "下载佐证材料", what, detail=f"{found.name}（{found.size} 字节）")
    return EvidenceFile(found, content)


def delete_evidence(uow: UnitOfWork, actor: Actor, evidence_id: int) -> None:
    """Remove an upload that no deduction cites (the bytes stay in the store: content is shared)."""
    with uow:
        found = _get(uow, evidence_id)
        stored = fetch_for(uow, actor, found.evaluation_id, "evidence.upload", f"EV{evidence_id}")
        if stored.evaluation.status in LOCKED:
            raise Conflict("评价已定稿，不能删除佐证材料")
        citing = [
            code
            for code, score in stored.evaluation.scores.items()
            for d in score.deductions
            if (m := EVIDENCE_CITATION.match(d.evidence)) and int(m.group(1)) == evidence_id
        ]
        if citing:
            raise Conflict(
                f"佐证材料 EV{evidence_id} 仍被指标 {'、'.join(sorted(set(citing)))} 的扣分引用，不能删除"
            )
        uow.evidence.delete(evidence_id)
        record(
            uow,
            actor,
            "删除佐证材料",
            evaluation_object(found.evaluation_id, f"指标 {found.code} / EV{evidence_id}"),
            before={"name": found.name, "sha256": found.sha256},
        )
        uow.commit()


def _get(uow: UnitOfWork, evidence_id: int) -> EvidenceRecord:
    found = uow.evidence.get(int(evidence_id))
    if found is None:
        raise NotFound(f"找不到佐证材料 EV{evidence_id}")
    return found
