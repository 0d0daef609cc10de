"""指标体系: the indicator tree with 分值, 指标解释, 评分标准 and each leaf's rule; choose a system
for a new evaluation; import a system from a YAML file (checked, with Chinese messages)."""

from __future__ import annotations

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.indicators import Indicator, IndicatorSystem
from workbench.services import catalog
from workbench.ui import backend, navigation, widgets

PICKED = "indicator_system"
UPLOAD = "indicator_upload"


def import_system() -> None:
    """Callback of 导入: store the uploaded YAML and show the new system."""
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        widgets.notify("indicators", "请先选择要导入的指标体系文件（.yaml）。", "warning")
        return
    result = backend.attempt(catalog.import_system, upload.getvalue(), upload.name)
    if not result.ok:
        widgets.notify("indicators", result.error, "error")
        return
    done = result.value
    st.session_state[PICKED] = done.system.id
    verb = "已导入" if done.created else "数据库中已有相同的指标体系，未重复导入"
    note = f"{verb}：{done.system.name}（{done.system.id}，{len(done.system.leaves())} 项末级指标）"
    if done.warnings:
        note += "。请注意：" + "；".join(str(p) for p in done.warnings)
        widgets.notify("indicators", note, "warning")
    else:
        widgets.notify("indicators", note)


def use_for_new(system_id: str) -> None:
    st.session_state["new_system_id"] = system_id


def leaf_text(node: Indicator) -> str:
    weight = f"{fmt2(node.weight)} 分" if node.weight is not None else "不设分值"
    lines = [f"**{node.code} {node.name}**（{weight}）"]
    if node.explanation:
        lines.append(f"- 指标解释：{node.explanation}")
    if node.formula:
        lines.append(f"- 计算公式：{node.formula}")
    if node.criteria:
        lines.append(f"- 评分标准：{node.criteria}")
    lines.append(f"- 评分规则：{node.rule.describe() if node.rule else '未设定'}")
    return "\n".join(lines)


def tree(system: IndicatorSystem) -> None:
    for top in system.indicators:
        weight = f"{fmt2(top.weight)} 分" if top.weight is not None else "不设分值"
        with st.expander(f"{top.code} {top.name}（{weight}）", expanded=top is system.indicators[0]):
            if top.explanation:
                st.caption(top.explanation)
            for level, node in top.walk():
                if level == 1:
                    continue
                if node.is_leaf:
                    st.markdown(leaf_text(node))
                else:
                    w = f"{fmt2(node.weight)} 分" if node.weight is not None else "不设分值"
                    st.markdown(f"{'#' * min(level + 2, 6)} {node.code} {node.name}（{w}）")
                    if node.explanation:
                        st.caption(node.explanation)


st.title("指标体系")
summaries = backend.call(catalog.list_systems)
if not summaries:
    st.info("数据库中还没有指标体系，请在下方导入。")
else:
    by_id = {s.id: s for s in summaries}
    if st.session_state.get(PICKED) not in by_id:
        current = widgets.current_system_id()
        st.session_state[PICKED] = current if current in by_id else summaries[0].id
    system_id = st.selectbox("指标体系", list(by_id), key=PICKED, format_func=lambda i: by_id[i].name)
    system = backend.call(catalog.get_system, system_id)
    brief = by_id[system_id]
    a, b, c = st.columns(3)
    a.metric("总分", fmt2(system.total) if system.weighted else "不设分值")
    b.metric("一级指标", "、".join(brief.level1))
    c.metric("末级指标", f"{brief.leaves} 项（{brief.depth} 级）")
    if system.framework:
        st.caption(f"框架：{system.framework}")
    if system.note:
        st.caption(system.note)
    for problem in system.problems():
        (st.error if problem.is_error else st.warning)(str(problem))
    st.button(
        "用此指标体系新建评价",
        disabled=not system.weighted,
        help=None if system.weighted else "参考框架不设分值，不能直接用于评分",
        on_click=use_for_new,
        args=(system_id,),
    )
    if st.session_state.get("new_system_id") == system_id:
        st.page_link(
            navigation.START, label="已选定，转到“新建评价”填写项目信息", icon=":material/arrow_forward:"
        )
    tree(system)

st.subheader("导入指标体系")
st.caption(
    "YAML 格式：每项指标写明代码、名称、分值、指标解释、评分标准、评分规则和下级指标（可参照系统自带的指标体系文件）。导入前逐项校验，有错误则不导入。"
)
st.file_uploader("指标体系文件", type=["yaml", "yml"], key=UPLOAD)
st.button("导入", on_click=import_system, type="primary")
widgets.show_notice("indicators")
