"""指标体系 → 修订: edit a stored system's indicators as rows and save them as a new system.

One row per indicator, depth first: 层级 (1–4), 代码, 名称, 分值, 指标解释, 评分标准, 评分规则.
Add with the empty last row, remove by clearing a row, reorder by changing what rows hold.
“检查” shows the weight problems without saving; “另存为新体系” stores a new version (stored
systems never change, so no evaluation — 定稿 or not — changes underneath)."""

from __future__ import annotations

import streamlit as st

from workbench.domain.indicators import IndicatorSystem
from workbench.services import system_editor
from workbench.ui import backend, session
from workbench.ui.form_rows import forget, table

NEXT = "indicator_system_next"  # the page selects this system on its next run
COLUMNS = (
    ("level", "层级", 1),
    ("code", "代码", 1),
    ("name", "名称", 3),
    ("weight", "分值", 1),
    ("explanation", "指标解释", 4),
    ("criteria", "评分标准", 4),
    ("rule", "评分规则", 3),
)


def draw(system: IndicatorSystem) -> None:
    prefix = f"edit:{system.id}"
    with st.expander("修订此指标体系（另存为新版本）"):
        st.caption(
            "已存的指标体系不会被修改：保存时另存为新版本，使用原体系的评价（包括已定稿的）不受影响。"
            "清空一行即删除该指标；最后一行空行用于新增；问题所指行号从表头算起（第 1 个指标为第 2 行）。"
        )
        with st.form(f"edit_system:{system.id}"):
            rows = table(prefix, "指标", COLUMNS, system_editor.editor_rows(system), locked=False, choices={})
            a, b = st.columns(2)
            new_id = a.text_input("新体系编号（可选，默认在原编号后加 -v2 等）", key=f"{prefix}:new_id")
            name = b.text_input("新体系名称（可选）", key=f"{prefix}:name")
            check = st.form_submit_button("检查分值与结构")
            save = st.form_submit_button("另存为新体系", type="primary")
        rows = [row for row in rows if any(v.strip() for v in row.values())]
        if check:
            problems = system_editor.check_rows(system, rows)
            if not problems:
                st.success("检查通过：各级分值合计相符，末级指标均有评分规则。")
            for p in problems:
                (st.error if p.is_error else st.warning)(str(p))
        if save:
            result = backend.attempt(system_editor.save_rows, system.id, rows, new_id=new_id, name=name)
            if result.ok:
                forget(prefix)
                session.flash(f"已另存为新的指标体系：{result.value.system.id}")
                st.session_state[NEXT] = result.value.system.id
                st.rerun()
            backend.show_error(result.error)
