"""报告: choose a template, read the 报告核对清单 (checks, 报告质量自检, ledger decisions, 落款),
generate and download the Word report, the 评分表 (.xlsx) and, when LibreOffice is installed, a PDF."""

from __future__ import annotations

import re
from datetime import datetime

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.scoring import Scorecard
from workbench.errors import WorkbenchError
from workbench.services import stored_reports
from workbench.ui import backend, navigation, report_checklist, widgets
from workbench.ui.safe_text import md

FILES = "report_files"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def generate(eid: str, template: str, charts: bool, with_pdf: bool) -> dict | None:
    """Build the documents with progress shown; None when refused, and then what is missing or
    wrong is listed on the page (not inside the collapsed progress box)."""
    refused: WorkbenchError | None = None
    with st.status("正在生成报告…", expanded=True) as status:
        try:
            status.write("运行报告检查，生成 Word 报告…")
            report = backend.call(stored_reports.report, eid, template, charts=charts)
            status.write("生成评分表（Excel）…")
            table = backend.call(stored_reports.score_table, eid)
            pdf = None
            if with_pdf:
                status.write("用 LibreOffice 转换 PDF（约需数秒）…")
                pdf = stored_reports.to_pdf(report.content)
        except WorkbenchError as exc:
            status.update(label="报告未生成（原因见下）", state="error", expanded=False)
            refused = exc
        else:
            status.update(label="报告已生成", state="complete", expanded=False)
    if refused is not None:
        st.error(f"报告未生成：以下 {len(refused.messages)} 项须先补齐或改正。")
        backend.show_error(refused)
        return None
    return {"docx": report.content, "xlsx": table.content, "pdf": pdf, "log": report.log}


def missing_scores(card: Scorecard) -> None:
    """Before the buttons: the leaves still to score, named, with the way to 评分."""
    pending = card.pending()
    if not pending:
        return
    shown = "、".join(f"{n.code} {n.name}" for n in pending[:12])
    more = " 等" if len(pending) > 12 else ""
    st.warning(md("报告需要完整的评分：尚有 {} 项末级指标未评分——{}{}。", len(pending), shown, more))
    st.page_link(navigation.SCORING, label="去评分", icon=":material/edit_note:")


def downloads(files: dict, base: str) -> None:
    a, b, c = st.columns(3)
    a.download_button(
        "下载 Word 报告（.docx）",
        files["docx"],
        f"{base}.docx",
        DOCX,
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    b.download_button(
        "下载评分表（.xlsx）",
        files["xlsx"],
        f"{base}-评分表.xlsx",
        XLSX,
        on_click="ignore",
        icon=":material/download:",
    )
    if files["pdf"]:
        c.download_button(
            "下载 PDF",
            files["pdf"],
            f"{base}.pdf",
            "application/pdf",
            on_click="ignore",
            icon=":material/download:",
        )
    with st.expander("生成记录（含检查结果）"):
        st.text("\n".join(files["log"]))


stored = widgets.require_case()
ev, card = stored.case.evaluation, stored.scorecard
widgets.page_header("报告", stored)
if card.unscored:
    st.markdown("该评价**尚未评分**。报告与评分表按数据库中已保存的评分生成。")
else:
    st.markdown(
        f"当前总分 **{fmt2(card.total)}**，等级 **{card.grade}**。报告与评分表按数据库中已保存的评分生成。"
    )
missing_scores(card)

titles = stored_reports.template_titles()
names = list(titles)
if not names:
    st.error("report_templates/ 中没有报告模板（.docx），无法生成报告。")
    st.stop()
template = st.selectbox("报告模板", names, format_func=titles.__getitem__)
left, right = st.columns(2)
charts = left.checkbox("插入图表", value=True)
pdf_ok = stored_reports.pdf_available()
with_pdf = right.checkbox(
    "同时生成 PDF",
    value=False,
    disabled=not pdf_ok,
    help=None if pdf_ok else "本机未安装 LibreOffice，不能生成 PDF",
)

report_checklist.show(stored)

st.subheader("生成")
if st.button("生成报告", type="primary", icon=":material/description:"):
    made = generate(ev.id, template, charts, with_pdf)
    if made is not None:
        made.update(eid=ev.id, template=template, total=card.total, grade=card.grade, at=datetime.now())
        st.session_state[FILES] = made

files = st.session_state.get(FILES)
if files and files["eid"] == ev.id:
    st.subheader("下载")
    st.caption(
        f"{files['at']:%H:%M:%S} 用模板“{titles.get(files['template'], files['template'])}”生成；总分 {fmt2(files['total'])}，等级 {files['grade']}。"
    )
    if files["total"] != card.total:
        st.warning("评分在生成之后已有修改，下载的文件仍是旧的总分；请重新生成。")
    downloads(files, re.sub(r'[\\/:*?"<>|\s]+', "_", ev.title or ev.id))
