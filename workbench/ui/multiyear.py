"""Widgets of a project across years: the year's indicator targets (on 项目信息) and the
下一年度评价 form (on 项目总览, for a 定稿 evaluation)."""

from __future__ import annotations

import streamlit as st

from workbench.services import next_year, periods
from workbench.ui import backend, session
from workbench.ui.form_rows import VersionedForm, table, text

TARGET_COLUMNS = (
    ("name", "绩效指标", 3),
    ("unit", "计量单位", 1),
    ("baseline", "基期值", 1),
    ("target", "年度目标值", 1),
    ("actual", "实际完成值", 1),
    ("explanation", "偏差说明", 3),
)


def period_section(evaluation_id: str, year: int, may_edit: bool) -> None:
    """分年度绩效指标 of the evaluation's year: a small table form, locked once that year is 定稿."""
    st.subheader(f"分年度绩效指标（{year}年）")
    form = backend.call(periods.open_period, evaluation_id)
    st.caption(
        f"基期值取上年度实际完成值（开始下一年度评价时自动带入）；实际完成值与年度目标值偏差超过 {form.threshold}% 时，"
        "须填写偏差说明。"
    )
    if form.locked:
        st.info(form.locked, icon="🔒")
    versioned = VersionedForm.opened("period", evaluation_id, form.version)
    locked = not (form.editable and may_edit)
    rows = [{k: text(v) for k, v in t.model_dump(mode="python").items()} for t in form.period.targets]
    with st.form("period_form"):
        filled = table(f"{versioned.prefix}:targets", "绩效指标", TARGET_COLUMNS, rows, locked, choices={})
        submitted = st.form_submit_button("保存分年度绩效指标", disabled=locked)
    if submitted:
        result = backend.attempt(periods.save_period, evaluation_id, filled, versioned.version)
        versioned.after_save(result, f"已保存{year}年度绩效指标", "绩效指标")


def next_year_section(evaluation_id: str, year: int, status: str) -> None:
    """下一年度评价: for a 定稿 evaluation, start the next year's draft and open it."""
    if status != "定稿" or not session.may("evaluation.create"):
        return
    st.subheader("下一年度评价")
    st.caption(
        "以本评价为上年度评价，新建同一项目下一年度的评价草稿：沿用同一指标体系（可在指标体系编辑中修改），"
        "上年度实际完成值作为基期值，上年度发现的问题转为整改事项，报告增加“上年度评价发现问题整改情况”。"
    )
    with st.form("next_year_form"):
        left, right = st.columns(2)
        new_year = left.number_input("年度", min_value=year + 1, max_value=2100, value=year + 1, step=1)
        new_id = right.text_input("新评价编号（可选）", key="next_year_id")
        submitted = st.form_submit_button("开始下一年度评价", type="primary")
    if not submitted:
        return
    result = backend.attempt(next_year.next_year, evaluation_id, int(new_year), new_id.strip() or None)
    if result.error is None:
        session.select(result.value)
        session.flash(f"已开始 {int(new_year)} 年度评价：{result.value}（已设为当前评价）")
        st.rerun()
    backend.show_error(result.error)
