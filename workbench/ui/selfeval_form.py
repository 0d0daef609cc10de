"""The project unit's 自评表 editor: header, 项目资金 block, 年度总体目标 and the indicator rows,
in one form so typing does not rerun the page; 保存草稿 sends it to ``selfeval.save_selfeval``.

Figures are typed as text and turned into Decimals by the service (never floats); a cell that is
not a number comes back as one Chinese line naming the row and the field, and what was typed
stays in the editor.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from workbench.domain.funds import FUNDS_COLUMNS, FUNDS_LINES
from workbench.services import selfeval
from workbench.services.selfeval import SelfEvalView
from workbench.ui import backend, chrome, widgets

ROW_COLUMNS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因分析及改进措施",
}
NA = "不适用"
FIXED_COLUMNS = [ROW_COLUMNS[k] for k in ("level1", "level2", "level3", "weight")]
PLACE = "selfeval"
# At 1366 px every column is in view: 不适用 beside 分值 (not past the long text on the right),
# the level-1/2 names narrow; all nine columns (844 px) inside the form at 1366 px; as tall as its rows.
GRID_ORDER = (
    [ROW_COLUMNS[k] for k in ("level1", "level2", "level3", "weight")]
    + [NA]
    + [ROW_COLUMNS[k] for k in ("target", "actual", "score", "deviation")]
)
GRID_CONFIG = {
    NA: st.column_config.CheckboxColumn(NA, default=False, width=72),
    ROW_COLUMNS["level1"]: st.column_config.TextColumn(width=70),
    ROW_COLUMNS["level2"]: st.column_config.TextColumn(width=80),
    ROW_COLUMNS["level3"]: st.column_config.TextColumn(width=150),
    ROW_COLUMNS["weight"]: st.column_config.TextColumn(width=50),
    ROW_COLUMNS["score"]: st.column_config.TextColumn(width=62),
    ROW_COLUMNS["target"]: st.column_config.TextColumn(width=100),
    ROW_COLUMNS["actual"]: st.column_config.TextColumn(width=100),
    ROW_COLUMNS["deviation"]: st.column_config.TextColumn(width=160),
}
ROW_PX = 35  # Streamlit's grid row; header the same


def grid_height(rows: int) -> int:
    """Tall enough for every row: the page scrolls, not a small box inside it."""
    return ROW_PX * (rows + 1) + 3


def _text(value: Any) -> str:
    """A stored value as it is typed back: 1743.25, never 1,743.25 (the service reads the text)."""
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _clean(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN from an added row


def draw(shown: SelfEvalView) -> None:
    form, eid = shown.form, shown.evaluation_id
    key = f"{PLACE}:{eid}:{shown.version}"
    with st.form(key):
        a, b, c, d = st.columns([3, 2, 2, 1])
        project = a.text_input("项目名称", form.project, key=f"{key}:project")
        department = b.text_input("主管部门", form.department, key=f"{key}:department")
        unit = c.text_input("实施单位", form.unit, key=f"{key}:unit")
        year = d.text_input("年度", _text(form.year), key=f"{key}:year")
        st.markdown("**项目资金**（万元；执行率 = 全年执行数 ÷ 全年预算数，得分按执行率计算）")
        funds_rows = [
            {
                "资金": label,
                **{
                    col: _text(getattr(getattr(form.funds, line), name))
                    for name, col in FUNDS_COLUMNS.items()
                },
            }
            for line, label in FUNDS_LINES.items()
        ]
        funds = st.data_editor(funds_rows, hide_index=True, disabled=["资金"], key=f"{key}:funds")
        weight = st.text_input("项目资金栏分值", _text(form.funds.weight), key=f"{key}:funds_weight")
        left, right = st.columns(2)
        expected = left.text_area("年度总体目标：预期目标", form.goals_expected, key=f"{key}:expected")
        achieved = right.text_area("年度总体目标：实际完成情况", form.goals_achieved, key=f"{key}:achieved")
        st.markdown(
            "**绩效指标**（不适用的指标勾选“不适用”；定性指标在“实际完成值”填写达成/部分达成/未达成）"
        )
        rows = [
            {**{label: _text(getattr(r, name)) for name, label in ROW_COLUMNS.items()}, NA: r.not_applicable}
            for r in form.rows
        ]
        edited = st.data_editor(
            rows,
            hide_index=True,
            num_rows="fixed",
            disabled=FIXED_COLUMNS,  # the indicators and their 分值 come from the template
            column_order=GRID_ORDER,
            column_config=GRID_CONFIG,
            height=grid_height(len(rows)),
            key=f"{key}:rows",
        )
        saved = st.form_submit_button("保存草稿", type="primary")
    if saved:
        data = {
            "project": project.strip(),
            "department": department.strip(),
            "unit": unit.strip(),
            "year": year.strip() or None,
            "funds": _funds(funds, weight),
            "goals_expected": expected.strip(),
            "goals_achieved": achieved.strip(),
            "rows": _rows(edited),
        }
        result = backend.attempt(selfeval.save_selfeval, eid, data, shown.version)
        if result.ok:
            widgets.notify(PLACE, "已保存自评表草稿。")
            st.rerun()
        backend.show_error(result.error)


def _records(value: Any) -> list[dict[str, Any]]:
    return value.to_dict("records") if hasattr(value, "to_dict") else list(value)


def _funds(edited: Any, weight: str) -> dict[str, Any]:
    out: dict[str, Any] = {"weight": weight.strip() or "0"}
    for line, row in zip(FUNDS_LINES, _records(edited), strict=True):
        out[line] = {name: _clean(row.get(col)) or None for name, col in FUNDS_COLUMNS.items()}
    return out


def _rows(edited: Any) -> list[dict[str, Any]]:
    out = []
    for row in _records(edited):
        values = {name: _clean(row.get(label)) for name, label in ROW_COLUMNS.items()}
        if not any(values.values()):
            continue  # a blank line added and left empty
        values["score"] = values["score"] or None
        values["weight"] = values["weight"] or "0"
        out.append({**values, "not_applicable": bool(row.get(NA))})
    return out


def upload(shown: SelfEvalView) -> None:
    """Replace the draft by a filled 自评表 (.xlsx, 10号 附件2 layout)."""
    key = f"{PLACE}:upload:{shown.evaluation_id}:{shown.version}"
    file = chrome.uploader(
        "上传填好的自评表（.xlsx，10号 附件2 格式）", selfeval.MAX_UPLOAD, type=["xlsx"], key=key
    )
    if file is not None and st.button("导入并替换草稿", key=f"{key}:go"):
        result = backend.attempt(
            selfeval.import_selfeval, shown.evaluation_id, file.getvalue(), file.name, shown.version
        )
        if result.ok:
            widgets.notify(PLACE, f"已导入“{file.name}”，替换了原草稿。")
            st.rerun()
        backend.show_error(result.error)
