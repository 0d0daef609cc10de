"""新建评价 → 用 Excel 工作簿: the blank case workbook to download, and the filled one to upload."""

from __future__ import annotations

import streamlit as st

from workbench.services import case_upload, cases, catalog
from workbench.ui import backend, chrome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def from_workbook(opened) -> None:
    """Download a blank workbook on a chosen indicator system; upload a filled one (new evaluation)."""
    st.caption(
        "一个评价一个 Excel 工作簿：项目信息、资金台账、支出明细（每行注明单位 万元/元）、指标体系、评分、问题与建议。"
        "先下载空白工作簿，在 Excel 或 WPS 中填写后上传；任何一处有误都不会保存，并逐条指出工作表、行和列。"
    )
    systems = [s for s in backend.call(catalog.list_systems) if s.weighted]
    bands = backend.call(catalog.list_band_sets)
    if systems and bands:
        names = {s.id: s.name for s in systems}
        a, b = st.columns(2)
        system_id = a.selectbox("指标体系", list(names), format_func=names.get, key="book_system")
        band_names = {x.id: x.name for x in bands}
        band_id = b.selectbox("等级划分", list(band_names), format_func=band_names.get, key="book_bands")
        result = backend.attempt(cases.blank_case_workbook, system_id, band_id)
        if result.ok:
            st.download_button(
                "下载空白案例工作簿", result.value, file_name=f"案例工作簿-{system_id}.xlsx", mime=XLSX
            )
        else:
            backend.show_error(result.error)
    upload = chrome.uploader(
        "上传填好的案例工作簿（.xlsx）", case_upload.MAX_BYTES, type=["xlsx"], key="book_upload"
    )
    new_id = st.text_input("另存为评价编号（可选）", key="book_as")
    if st.button("导入工作簿", type="primary", key="book_import"):
        if upload is None:
            st.warning("请先上传填好的案例工作簿。")
            return
        result = backend.attempt(
            case_upload.import_uploaded_workbook,
            upload.name,
            upload.getvalue(),
            evaluation_id=new_id.strip() or None,
        )
        if result.ok:
            opened(result.value, "已从工作簿导入评价")
        backend.show_error(result.error)
