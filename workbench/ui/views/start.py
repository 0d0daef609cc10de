"""新建评价: the starting points — the stored evaluations (a page at a time, searchable); a new one from a case folder (upload,
or a folder inside the server's projects folder: ``cases.import_server_case``), from an indicator system and a blank project form, or as a copy; and
deleting a 草稿 created by mistake."""

from __future__ import annotations

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.limits import shown
from workbench.services import case_upload, cases, catalog, evaluations
from workbench.services.evaluations import EvaluationPage, EvaluationSummary
from workbench.ui import backend, chrome, navigation, picker, session
from workbench.ui.case_workbook import from_workbook
from workbench.ui.safe_text import md, plain_text

SCORING = navigation.SCORING


def opened(evaluation_id: str, how: str) -> None:
    """Select the new evaluation and go to 评分 with a note saying what happened."""
    session.select(evaluation_id)
    session.flash(f"{how}：{evaluation_id}（已设为当前评价）")
    st.switch_page(SCORING)


LISTED = 20  # evaluations the list shows at a time
OFFSET = "start_list_offset"


def existing() -> EvaluationPage:
    """The stored evaluations, newest year first, a page at a time, with a search box."""
    search = st.text_input(
        "查找评价", key="start_search", placeholder="名称、项目、年度或编号", on_change=_searched
    )
    page = backend.call(evaluations.evaluation_page, search, int(st.session_state.get(OFFSET) or 0), LISTED)
    st.session_state[OFFSET] = page.offset
    if not page.rows:
        st.info("没有符合条件的评价。" if search.strip() else "数据库中还没有评价。")
        return page
    summaries = page.rows
    rows = [
        {
            "评价编号": s.id,
            "项目": s.project_name,
            "年度": str(s.year),
            "指标体系": s.system_name,
            "状态": s.status,
            "总分": "无法计分" if s.total is None else "未评分" if s.unscored else fmt2(s.total),
            "等级": "未评分" if s.unscored else s.grade,
            "最后修改": f"{s.updated_by} {s.updated_at.astimezone():%Y-%m-%d %H:%M}",
        }
        for s in summaries
    ]
    st.dataframe(rows, hide_index=True)
    picker.pager("start_list", page.offset, len(page.rows), page.total, LISTED)
    return page


def _searched() -> None:
    st.session_state[OFFSET] = 0


def from_case_files() -> None:
    st.caption(
        "案例文件夹含 project.yaml（项目事实）、ledger.yaml（资金台账）、evaluation.yaml（评分记录），可另含 indicators.yaml（指标体系）。"
    )
    uploads = chrome.uploader(
        "上传案例文件（上述 .yaml 文件，或包含它们的一个 .zip）",
        case_upload.MAX_BYTES,
        type=["yaml", "yml", "zip"],
        accept_multiple_files=True,
    )
    folder = st.text_input(
        "或填写服务器案例文件夹（projects/）中的案例名称",
        placeholder="例如 yiyang-smart-brain-2018",
        key="import_path",
    )
    new_id = st.text_input("另存为评价编号（可选；同一案例再导入一次时必填）", key="import_as")
    if st.button("导入案例", type="primary"):
        as_id = new_id.strip() or None
        if uploads:
            files = [(f.name, f.getvalue()) for f in uploads]
            result = backend.attempt(case_upload.import_uploaded_case, files, evaluation_id=as_id)
        elif folder.strip():
            result = backend.attempt(cases.import_server_case, folder, evaluation_id=as_id)
        else:
            st.warning("请先上传案例文件，或填写案例文件夹路径。")
            return
        if result.ok:
            opened(result.value, "已导入案例")
        backend.show_error(result.error)


def from_system() -> None:
    systems = [s for s in backend.call(catalog.list_systems) if s.weighted]
    bands = backend.call(catalog.list_band_sets)
    if not systems or not bands:
        st.info("数据库中还没有带分值的指标体系，请先在“指标体系”页导入。")
        return
    ids = [s.id for s in systems]
    chosen = st.session_state.get("new_system_id")
    names = {s.id: f"{s.name}（{len(s.level1)} 个一级指标，{s.leaves} 项末级指标）" for s in systems}
    with st.form("new_evaluation"):
        system_id = st.selectbox(
            "指标体系",
            ids,
            index=ids.index(chosen) if chosen in ids else 0,
            format_func=names.get,
            key="new_system",
        )
        band_names = {b.id: f"{b.name}：{b.describe()}" for b in bands}
        band_id = st.selectbox("等级划分", list(band_names), format_func=band_names.get)
        st.markdown("**项目基本情况**（带 * 为必填；其余可在案例文件中补充）")
        a, b = st.columns(2)
        name = a.text_input("项目名称 *", key="new_name")
        year = b.text_input("评价年度 *", placeholder="例如 2024", key="new_year")
        unit = a.text_input("项目单位 *", key="new_unit")
        department = b.text_input("主管部门", key="new_department")
        region = a.text_input("地区", key="new_region")
        investment = b.text_input("总投资（万元）", placeholder="例如 1200.00", key="new_investment")
        title = st.text_input("评价报告标题", placeholder="例如 2024年度××项目资金绩效评价报告")
        submitted = st.form_submit_button("新建评价", type="primary")
    if not submitted:
        return
    project = {
        "name": name.strip(),
        "year": year.strip(),
        "region": region.strip(),
        "department": department.strip(),
    }
    project["unit"] = {"name": unit.strip()}
    ledger = {"total_investment": investment.strip()} if investment.strip() else None
    result = backend.attempt(
        cases.new_evaluation, project, system_id, band_id, ledger=ledger, title=title.strip()
    )
    if result.ok:
        opened(result.value, "已新建评价")
    backend.show_error(result.error)


def copy_existing(summaries: list[EvaluationSummary]) -> None:
    """Copy the current evaluation, or one of those listed above."""
    current = session.selected_id()
    labels = {s.id: f"{s.year} · {s.title or s.project_name}（{s.id}）" for s in summaries}
    if current and current not in labels:
        labels = {current: f"当前评价（{current}）", **labels}
    if not labels:
        st.info("还没有可复制的评价。")
        return
    with st.form("copy_evaluation"):
        ids = list(labels)
        source = st.selectbox(
            "复制哪项评价", ids, index=ids.index(current) if current in ids else 0, format_func=labels.get
        )
        year = st.text_input("新评价的年度（留空则与原评价相同）", key="copy_year")
        new_id = st.text_input("新评价编号（可选）", key="copy_id")
        submitted = st.form_submit_button("复制为新的草稿", type="primary")
    if not submitted:
        return
    if year.strip() and not year.strip().isdigit():
        st.error(md("字段「年度」：应为数字，实际为“{}”", shown(year.strip())))
        return
    result = backend.attempt(
        cases.copy_evaluation, source, new_id.strip() or None, year=int(year) if year.strip() else None
    )
    if result.ok:
        opened(result.value, "已复制为新的草稿")
    backend.show_error(result.error)


def delete_draft() -> None:
    """Delete a 草稿 created by mistake (the service refuses anything further along): one of the
    drafts matching the search above (the first 50)."""
    search = str(st.session_state.get("start_search") or "")
    found = backend.call(evaluations.evaluation_page, search, 0, 50, ("草稿",))
    drafts = {s.id: s for s in found.rows}
    if not drafts:
        st.info("没有草稿状态的评价。只有尚未提交复核的草稿可以删除。")
        return
    st.caption("只能删除尚未提交复核的草稿；有佐证材料的，请先在“佐证材料”页删除材料。审计日志保留删除记录。")
    with st.form("delete_evaluation", enter_to_submit=False):
        chosen = st.selectbox(
            "删除哪项评价",
            list(drafts),
            format_func=lambda i: f"{drafts[i].year} · {drafts[i].title or drafts[i].project_name}（{i}）",
        )
        sure = st.checkbox("确认删除该评价及其全部评分、问题、建议、自评表和专家评分（不可恢复）")
        submitted = st.form_submit_button("删除评价")
    if not submitted:
        return
    if not sure:
        st.error("请先勾选确认，再删除评价。")
        return
    result = backend.attempt(cases.delete_evaluation, chosen, drafts[chosen].version)
    if result.ok:
        session.flash(f"已删除评价：{chosen}")
        st.rerun()
    backend.show_error(result.error)


st.title("新建评价")
message = session.take_flash()
if message:
    st.success(plain_text(message))
with st.expander("现有评价", expanded=True):
    listed = existing()  # one page: its stored totals, nothing loaded or scored
tab_case, tab_book, tab_system, tab_copy, tab_delete = st.tabs(
    ["从案例文件导入", "用 Excel 工作簿", "按指标体系新建", "复制已有评价", "删除草稿评价"]
)
with tab_book:
    from_workbook(opened)
with tab_case:
    from_case_files()
with tab_system:
    from_system()
with tab_copy:
    copy_existing(listed.rows)
with tab_delete:
    delete_draft()
