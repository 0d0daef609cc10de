"""指标体系: the indicator tree with 分值, 指标解释, 评分标准 and each leaf's rule; choose a system
for a new evaluation; import a system from a YAML file (checked, with Chinese messages)."""

from __future__ import annotations

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.indicators import Indicator, IndicatorSystem
from workbench.services import catalog
from workbench.ui import backend, chrome, navigation, session, system_editor, widgets
from workbench.ui.safe_text import md, plain_text

PICKED = "indicator_system"
UPLOAD = "indicator_upload"
XLSX_ID, XLSX_NAME = "indicator_xlsx_id", "indicator_xlsx_name"


def import_system() -> None:
    """Callback of 导入: store the uploaded YAML and show the new system."""
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        widgets.notify("indicators", "请先选择要导入的指标体系文件（.yaml）。", "warning")
        return
    if upload.name.lower().endswith(".xlsx"):
        system_id, name = st.session_state.get(XLSX_ID, ""), st.session_state.get(XLSX_NAME, "")
        result = backend.attempt(
            catalog.import_uploaded_system_workbook, upload.name, upload.getvalue(), system_id, name
        )
    else:
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
    lines = [md("**{} {}**（{}）", node.code, node.name, weight)]
    if node.explanation:
        lines.append(md("- 指标解释：{}", node.explanation))
    if node.formula:
        lines.append(md("- 计算公式：{}", node.formula))
    if node.criteria:
        lines.append(md("- 评分标准：{}", node.criteria))
    lines.append(md("- 评分规则：{}", node.rule.describe() if node.rule else "未设定"))
    return "\n".join(lines)


def tree(system: IndicatorSystem) -> None:
    for top in system.indicators:
        weight = f"{fmt2(top.weight)} 分" if top.weight is not None else "不设分值"
        with st.expander(md("{} {}（{}）", top.code, top.name, weight), expanded=top is system.indicators[0]):
            if top.explanation:
                st.caption(plain_text(top.explanation))
            for level, node in top.walk():
                if level == 1:
                    continue
                if node.is_leaf:
                    st.markdown(leaf_text(node))
                else:
                    w = f"{fmt2(node.weight)} 分" if node.weight is not None else "不设分值"
                    st.markdown("#" * min(level + 2, 6) + md(" {} {}（{}）", node.code, node.name, w))
                    if node.explanation:
                        st.caption(plain_text(node.explanation))


st.title("指标体系")
message = session.take_flash()
if message:
    st.success(message)
summaries = backend.call(catalog.list_systems)
if not summaries:
    st.info("数据库中还没有指标体系，请在下方导入。")
else:
    by_id = {s.id: s for s in summaries}
    if st.session_state.get(system_editor.NEXT) in by_id:
        st.session_state[PICKED] = st.session_state.pop(system_editor.NEXT)
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
        st.caption(md("框架：{}", system.framework))
    if system.note:
        st.caption(plain_text(system.note))
    for problem in system.problems():
        (st.error if problem.is_error else st.warning)(plain_text(problem))
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
    if session.may("evaluation.create") and system.weighted:
        system_editor.draw(system)

st.subheader("导入指标体系")
st.caption(
    "YAML 文件：每项指标写明代码、名称、分值、指标解释、评分标准、评分规则和下级指标（可参照系统自带的指标体系文件）；"
    "或 Excel 工作表（.xlsx），按财政部门发布的格式：一级指标、二级指标、三级指标、分值、指标解释、评分标准（合并单元格可用），"
    "未写评分规则的末级指标按人工扣分评分。导入前逐项校验，有错误则不导入。"
)
chrome.uploader("指标体系文件", catalog.MAX_UPLOAD, type=["yaml", "yml", "xlsx"], key=UPLOAD)
a, b = st.columns(2)
a.text_input("编号（导入 Excel 时使用，默认取文件名）", key=XLSX_ID)
b.text_input("名称（导入 Excel 时使用，默认取文件名）", key=XLSX_NAME)
st.button("导入", on_click=import_system, type="primary")
widgets.show_notice("indicators")
