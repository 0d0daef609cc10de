"""佐证材料 widgets, on the 佐证材料 page and beside each indicator on 评分: the list of an
evaluation's (or one indicator's) evidence with a download button each, an upload form, and
removal of an upload no deduction cites.

The uploader accepts any file: the service checks the type by content (pdf, docx, xlsx, jpg,
png) and the size, and its Chinese message says why a file is refused.  A download reads the
file only when its button is pressed (``read_evidence`` checks the SHA-256 again).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from workbench.services import evidence
from workbench.services.audit import local_time
from workbench.services.ports import EvidenceRecord
from workbench.ui import backend, chrome, session, widgets
from workbench.ui.safe_text import md

KINDS = f"PDF、Word（.docx）、Excel（.xlsx）、JPG 或 PNG 图片，单个文件不超过 {evidence.MAX_UPLOAD // 1024 // 1024} MB"


def records(eid: str, code: str | None = None) -> list[EvidenceRecord]:
    """The evaluation's evidence (one indicator's when ``code`` is given); [] when refused."""
    result = backend.attempt(evidence.list_evidence, eid, code)
    if not result.ok:
        backend.show_error(result.error)
        return []
    return result.value


def size_text(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(size / 1024, 0.1):.1f} KB"


def _reader(evidence_id: int) -> Callable[[], bytes]:
    """The bytes of one file, read when its download button is pressed (outside the page run, so
    the database and the person are taken now)."""
    db, actor = backend.database(), session.current_actor()
    return lambda: evidence.read_evidence(db.uow(), actor, evidence_id).content


def listing(items: list[EvidenceRecord], place: str, *, show_code: bool = False) -> None:
    """One line per file: citation, size, who uploaded it when, note; download (and remove)."""
    if not items:
        st.caption("尚无佐证材料。")
        return
    removable = session.may("evidence.upload")
    for item in items:
        text, down, drop = st.columns([6, 1, 1], vertical_alignment="center")
        where = f"指标 {item.code} · " if show_code else ""
        note = f" · {item.note}" if item.note else ""
        when = local_time(item.uploaded_at.isoformat())
        line = f"{where}{size_text(item.size)} · {item.uploaded_by} {when} 上传{note}"
        text.markdown(md("**{}**  \n{}", item.citation, line))
        down.download_button(
            "下载",
            _reader(item.id),
            file_name=item.name,
            mime=item.mime,
            key=f"{place}:get:{item.id}",
            on_click="ignore",
            icon=":material/download:",
        )
        if removable:
            drop.button("删除", key=f"{place}:drop:{item.id}", on_click=_remove, args=(item, place))
    widgets.show_notice(f"{place}:list")


def _remove(item: EvidenceRecord, place: str) -> None:
    result = backend.attempt(evidence.delete_evidence, item.id)
    if result.ok:
        widgets.notify(f"{place}:list", f"已删除佐证材料 {item.citation}。", "warning")
    else:
        widgets.notify(f"{place}:list", result.error, "error")


def upload_form(eid: str, code: str, place: str) -> None:
    """Pick a file (and a note) and upload it as evidence of indicator ``code``."""
    if not session.may("evidence.upload"):
        return
    round_ = st.session_state.get(f"{place}:round", 0)  # a new key empties the uploader
    chrome.uploader(f"上传佐证材料（{KINDS}）", evidence.MAX_UPLOAD, key=f"{place}:file:{round_}")
    st.text_input("说明（可选）", key=f"{place}:note", placeholder="例如：2018年项目合同扫描件")
    st.button(
        f"上传到指标 {code}",
        key=f"{place}:upload",
        on_click=_upload,
        args=(eid, code, place, round_),
        icon=":material/upload:",
    )
    widgets.show_notice(f"{place}:upload")


def _upload(eid: str, code: str, place: str, round_: int) -> None:
    state = st.session_state
    upload = state.get(f"{place}:file:{round_}")
    if upload is None:
        widgets.notify(f"{place}:upload", "请先选择要上传的文件。", "warning")
        return
    note = str(state.get(f"{place}:note") or "")
    result = backend.attempt(evidence.upload_evidence, eid, code, upload.name, upload.getvalue(), note=note)
    if not result.ok:
        widgets.notify(f"{place}:upload", result.error, "error")
        return
    state[f"{place}:round"] = round_ + 1
    state[f"{place}:note"] = ""
    saved: EvidenceRecord = result.value
    widgets.notify(
        f"{place}:upload",
        f"已上传 {saved.citation}（指标 {code}，{size_text(saved.size)}）；评分时可在扣分事项中引用。",
    )
