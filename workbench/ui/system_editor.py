"""指标体系 → 修订: edit a stored system's indicators as rows and save them as a new system.

One row per indicator, depth first: 序号, 层级 (1–4), 代码, 名称, 分值, 指标解释, 评分标准, 评分规则.
Add with the empty last row, remove by clearing a row, reorder by changing 序号 (plain Streamlit
has no drag and drop) and “按序号重排”, which redraws the rows in that order and checks the weights.
“检查” shows the weight problems without saving; “另存为新体系” stores a new version (stored
systems never change, so no evaluation — 定稿 or not — changes underneath)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from workbench.domain.indicators import IndicatorSystem
from workbench.errors import WorkbenchError
from workbench.services import system_editor
from workbench.ui import backend, session
from workbench.ui.form_rows import forget, table

NEXT = "indicator_system_next"  # the page selects this system on its next run
ROWS = "edit_rows:{}"  # rows reordered by 序号, drawn instead of the stored order
COLUMNS = (
    ("order", "序号", 1),
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
    with st.expander("修订此指标体系（另存为新版本）", expanded=ROWS.format(system.id) in st.session_state):
        st.caption(
            "已存的指标体系不会被修改：保存时另存为新版本，使用原体系的评价（包括已定稿的）不受影响。"
            "清空一行即删除该指标；最后一行空行用于新增。调整顺序：改“序号”（可填小数，如 2.5 排在 2 与 3 之间；"
            "移动一个指标时连同其下级指标一起改），再点“按序号重排”（本页不支持拖放）。"
            "问题所指行号从表头算起（第 1 个指标为第 2 行）。"
        )
        shown = st.session_state.get(ROWS.format(system.id)) or system_editor.editor_rows(system)
        with st.form(f"edit_system:{system.id}"):
            rows = table(prefix, "指标", COLUMNS, shown, locked=False, choices={})
            a, b = st.columns(2)
            new_id = a.text_input("新体系编号（可选，默认在原编号后加 -v2 等）", key=f"{prefix}:new_id")
            name = b.text_input("新体系名称（可选）", key=f"{prefix}:name")
            left, middle, right = st.columns(3)
            reorder = left.form_submit_button("按序号重排")
            check = middle.form_submit_button("检查分值与结构")
            save = right.form_submit_button("另存为新体系", type="primary")
        rows = [row for row in rows if any(v.strip() for k, v in row.items() if k != system_editor.ORDER)]
        if reorder:
            _reorder(system, prefix, rows)
        if check or st.session_state.pop(f"{prefix}:check", False):
            _check(system, rows)
        if save:
            _save(system, prefix, rows, new_id, name)


def _plain(check: Callable[..., Any], *args: Any) -> backend.Result:
    """A pure check's value, or its refusal (no database involved)."""
    try:
        return backend.Result(value=check(*args))
    except WorkbenchError as exc:
        return backend.Result(error=exc)


def _reorder(system: IndicatorSystem, prefix: str, rows: list[dict]) -> None:
    """Redraw the rows in 序号 order (what was typed kept) and check the weights in that order."""
    result = _plain(system_editor.ordered, rows)
    if not result.ok:
        backend.show_error(result.error)
        return
    forget(prefix)
    st.session_state[ROWS.format(system.id)] = result.value
    st.session_state[f"{prefix}:check"] = True
    st.rerun()


def _check(system: IndicatorSystem, rows: list[dict]) -> None:
    result = _plain(system_editor.check_rows, system, rows)
    if not result.ok:
        backend.show_error(result.error)
        return
    if not result.value:
        st.success("检查通过：各级分值合计相符，末级指标均有评分规则。")
    for p in result.value:
        (st.error if p.is_error else st.warning)(str(p))


def _save(system: IndicatorSystem, prefix: str, rows: list[dict], new_id: str, name: str) -> None:
    result = backend.attempt(system_editor.save_rows, system.id, rows, new_id=new_id, name=name)
    if result.ok:
        forget(prefix)
        st.session_state.pop(ROWS.format(system.id), None)
        session.flash(f"已另存为新的指标体系：{result.value.system.id}")
        st.session_state[NEXT] = result.value.system.id
        st.rerun()
    backend.show_error(result.error)
