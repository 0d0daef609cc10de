"""导入评分表: upload a published score table (评分表 or 自评表, .xlsx), see the indicator tree the
workbench rebuilt from it, the recomputed total and grade and every inconsistency; optionally keep
it as a new evaluation (a new indicator system and project), then score it on 评分."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.score_table import TableNode
from workbench.formats.score_import import ImportResult
from workbench.services import catalog, score_imports
from workbench.ui import backend, chrome, navigation, session
from workbench.ui.safe_text import plain_text

CHOICES = "score_import_choices"  # file name -> the score columns its header offers
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def node_row(node: TableNode) -> dict[str, Any]:
    row = node.leaf
    shown = {"代码": node.code, "指标": "　" * (node.level - 1) + node.name, "分值": fmt2(node.weight)}
    if row is None:
        lost = node.applicable - node.score
        return {**shown, "得分": fmt2(node.score), "扣分": fmt2(lost) if lost else "", "行": "", "说明": ""}
    if row.not_applicable:
        return {**shown, "得分": "/", "扣分": "", "行": str(row.row), "说明": "不适用"}
    if row.score is None:
        return {**shown, "得分": "未评分", "扣分": "", "行": str(row.row), "说明": row.reason}
    lost = row.weight - row.counted
    return {
        **shown,
        "得分": fmt2(row.score),
        "扣分": fmt2(lost) if lost else "",
        "行": str(row.row),
        "说明": row.reason,
    }


def summary(result: ImportResult) -> None:
    table = result.table
    a, b, c, d = st.columns(4)
    a.metric("末级指标", f"{len(table.rows)} 项")
    b.metric("重算总分", f"{fmt2(table.total)} / {fmt2(table.weight_total)}")
    c.metric("等级", result.grade)
    d.metric("表列总分", "—" if table.stated_total is None else fmt2(table.stated_total))
    if result.stated_grade is not None:
        st.warning(
            f"表列总分 {fmt2(table.stated_total)} 对应等级：{result.stated_grade}；"  # type: ignore[arg-type]
            f"重算总分 {fmt2(table.total)} 对应等级：{result.grade}。两者不一致，请核实后以正确得分为准。"
        )
    st.caption(
        f"工作表「{table.sheet}」；等级按{result.bands.name}（{result.bands.describe()}），"
        f"按得分率折合 {fmt2(table.score100())} 分计。"
        + (f"一级指标分值按「{result.rules_from}」的结构要求核对。" if result.rules_from else "")
    )


def findings(result: ImportResult) -> None:
    found = [p for p in result.problems if p.severity != "info"]
    st.subheader(f"不一致之处（{len(found)} 处）")
    errors = len(result.errors)
    if errors:
        st.caption(f"结果：已读取，有 {errors} 处错误级不一致（与命令行 import-scores 退出码 1 相同）。")
    if not found:
        st.success("未发现不一致。")
    for p in result.problems:
        text = f"{SEVERITY.get(p.severity, '错误')}：{p}"
        (st.error if p.is_error else st.warning if p.severity == "warning" else st.info)(plain_text(text))


def save_form(data: bytes, name: str, sheet: str, bands: str, column: str | None, errors: int) -> None:
    st.subheader("保存为新的评价")
    st.caption("保存后按表中的得分新建一套指标体系和一项评价（草稿），可在“评分”页逐项修改。")
    with st.form("score_import_save"):
        a, b = st.columns(2)
        project = a.text_input("项目名称 *", key="score_import_project")
        year = b.text_input("评价年度 *", placeholder="例如 2023", key="score_import_year")
        unit = a.text_input("项目单位", key="score_import_unit")
        title = b.text_input("评价报告标题", key="score_import_title")
        confirmed = errors == 0 or st.checkbox(
            f"表中有 {errors} 处错误级不一致，我已核对，仍按表中得分保存", key="score_import_confirm"
        )
        if not st.form_submit_button("保存为新的评价", type="primary"):
            return
    new = score_imports.NewEvaluation(project, year, unit, title, bands)
    result = backend.attempt(
        score_imports.save_as_evaluation,
        data,
        name,
        new,
        sheet=sheet or None,
        score_column=column,
        confirmed=confirmed,
    )
    if not result.ok:
        backend.show_error(result.error)
        return
    session.select(result.value)
    session.flash(f"已从“{name}”导入并保存为新的评价：{result.value}（已设为当前评价）")
    st.switch_page(navigation.SCORING)


def draw() -> None:
    st.title("导入评分表")
    st.caption(
        "读取已发布报告或自评表中的评分表（.xlsx 的一个工作表）：表头含一级指标、二级指标、（三级指标、）分值、得分；"
        "合并或空白的一、二级指标单元格视为“同上”，“/”表示不适用，总分/合计行作为表列总分核对。"
    )
    file = chrome.uploader(
        "选择评分表文件（.xlsx）", score_imports.MAX_UPLOAD, type=["xlsx"], key="score_import_file"
    )
    left, right = st.columns(2)
    sheet = left.text_input("工作表名称（可选；默认第一个有表头的工作表）", key="score_import_sheet").strip()
    band_sets = {b.id: f"{b.name}：{b.describe()}" for b in backend.call(catalog.list_band_sets)}
    ids = list(band_sets)
    default = ids.index(score_imports.DEFAULT_BANDS) if score_imports.DEFAULT_BANDS in ids else 0
    bands = right.selectbox(
        "等级划分", ids, index=default, format_func=band_sets.get, key="score_import_bands"
    )
    if file is None:
        st.info("请上传评分表。只读取和核对，不会保存任何内容，除非您在下方选择“保存为新的评价”。")
        return
    data = file.getvalue()
    known = st.session_state.setdefault(CHOICES, {})
    column = None
    if known.get(file.name):
        column = st.selectbox(
            "表中有多个得分列，请选择按哪一列计分",
            known[file.name],
            index=None,
            placeholder="请选择",
            key="score_import_score_column",
        )
    result = backend.attempt(
        score_imports.preview, data, file.name, sheet=sheet or None, bands=bands, score_column=column
    )
    choices = getattr(result.error, "choices", None)
    if not result.ok and choices and not known.get(file.name):
        known[file.name] = choices  # ask which column: never guess
        st.rerun()
    if not result.ok:
        backend.show_error(result.error)
        return
    summary(result.value)
    findings(result.value)
    st.subheader("重建的指标树")
    st.dataframe([node_row(n) for n in result.value.table.walk()], hide_index=True)
    if session.may("evaluation.create"):
        save_form(data, file.name, sheet, bands, column, len(result.value.errors))


draw()
