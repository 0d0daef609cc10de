"""备份与恢复 (系统管理员): download a backup of the database and the evidence (one .zip); restore
one uploaded, after a confirmation.  The restore checks the whole file before it changes
anything and then replaces everything in one transaction (``services.backup``)."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import streamlit as st

from workbench.services import backup
from workbench.services.backup import BackupSummary
from workbench.ui import backend, chrome
from workbench.ui.safe_text import md

MADE = "backup_made"
ROUND = "restore_round"


def summary_text(summary: BackupSummary) -> str:
    rows = sum(summary.tables.values())
    missing = f"；缺失佐证文件 {len(summary.missing_evidence)} 个" if summary.missing_evidence else ""
    return (
        f"备份时间 {summary.created_at}，数据库版本 {summary.schema_revision}："
        f"{len(summary.tables)} 张表共 {rows} 行，佐证材料文件 {summary.evidence_files} 个{missing}。"
    )


def make_backup() -> None:
    name = f"workbench-backup-{datetime.now():%Y%m%d-%H%M%S}.zip"
    with tempfile.TemporaryDirectory(prefix="wb-backup-") as folder:
        result = backend.attempt(backup.create_backup, Path(folder) / name)
        if not result.ok:
            backend.show_error(result.error)
            return
        st.session_state[MADE] = (name, (Path(folder) / name).read_bytes(), result.value)


def restore(upload: object) -> None:
    with tempfile.TemporaryDirectory(prefix="wb-restore-") as folder:
        path = Path(folder) / "backup.zip"
        path.write_bytes(upload.getvalue())  # type: ignore[attr-defined]
        result = backend.attempt(backup.restore_backup, path)
    if not result.ok:
        backend.show_error(result.error)
        return
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.success(md("已从备份“{}”恢复全部数据。{}", upload.name, summary_text(result.value)))  # type: ignore[attr-defined]


st.title("备份与恢复")
st.subheader("备份")
st.caption(
    "备份包含数据库中的全部数据（评价、指标体系、账号、角色、审计日志）和全部佐证材料文件。请妥善保管备份文件。"
)
if st.button("生成备份", type="primary", icon=":material/backup:"):
    make_backup()
made = st.session_state.get(MADE)
if made:
    name, content, summary = made
    st.success(summary_text(summary))
    st.download_button(
        "下载备份文件（.zip）",
        content,
        name,
        "application/zip",
        on_click="ignore",
        icon=":material/download:",
    )

st.subheader("恢复")
st.warning(
    "恢复会用备份中的内容替换当前的全部数据和佐证材料；恢复之后的修改不会保留。建议先生成一份当前数据的备份。",
    icon="⚠️",
)
round_ = st.session_state.get(ROUND, 0)
upload = chrome.uploader("选择备份文件（.zip）", None, key=f"restore_file:{round_}")
confirmed = st.checkbox("我已了解：恢复将替换当前全部数据", key=f"restore_confirm:{round_}")
if st.button("恢复备份", disabled=not (upload and confirmed), icon=":material/settings_backup_restore:"):
    restore(upload)
