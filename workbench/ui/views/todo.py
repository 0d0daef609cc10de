"""待办: what waits for the signed-in person (``services.worklist``) — evaluations sent back with
the reason, reviews and 定稿 waiting, 自评表 submitted or sent back, panels awaiting the expert's
scores, reports older than the scores — each one click into the page where it is done, with that
evaluation selected.  An empty list says so and what to do next."""

from __future__ import annotations

import streamlit as st

from workbench.errors import WorkbenchError
from workbench.services import worklist
from workbench.services.worklist import TodoItem
from workbench.ui import backend, navigation, picker, session
from workbench.ui.safe_text import md

COLORS = {
    "退回修改": "orange",
    "重新打开": "orange",
    "自评表被退回": "orange",
    "待复核": "blue",
    "待定稿": "violet",
    "待专家评分": "blue",
    "自评表已提交": "green",
    "报告须重新生成": "red",
}
SHOWN = 20  # to-dos drawn at a time (a bureau's busy week can list hundreds)
OFFSET = "todo_list_offset"
TIGHT = (
    "<style>[data-testid=stMainBlockContainer] hr {margin: 0 0 0.75rem}</style>"  # the lines between to-dos
)
# What an empty list tells each kind of worker (by a permission of theirs), in this order.
NEXT_STEPS = [
    (
        "evaluation.score",
        "可在左侧“当前评价”中选择评价继续评分，或到“新建评价”创建新的评价。评价被退回、项目单位提交"
        "自评表、报告在评分修改后需要重新生成时，会列在这里。",
    ),
    ("workflow.review", "评价人员提交复核后，待复核和待定稿的评价会列在这里。"),
    ("panel.score", "评价人员把您列入某项评价的专家组后，待您评分的评价会列在这里。"),
    ("selfeval.submit", "没有需要本单位填报或修改的自评表。评价组退回自评表时，会列在这里并写明理由。"),
]


def empty() -> None:
    hints = [text for permission, text in NEXT_STEPS if session.may(permission)]
    st.success("目前没有待办事项。", icon=":material/task_alt:")
    st.markdown(hints[0] if hints else "可在左侧“当前评价”中选择评价查看。")
    if session.may("evaluation.score"):
        with st.container(horizontal=True):
            st.page_link(navigation.SCORING, label="去评分", icon=":material/edit_note:")
            st.page_link(navigation.START, label="新建评价", icon=":material/add_circle:")


def line(n: int, item: TodoItem) -> None:
    """One to-do: its kind, the evaluation and why on one text element, and the button under it
    (no bordered box or columns: twenty of them cost twice what the service does)."""
    badge = f":{COLORS.get(item.kind, 'gray')}-badge[{item.kind}]"  # the service's own words
    detail = " ".join(item.detail.split())  # one line: a reason's line breaks would end the :small[]
    rule = "---\n\n" if n % SHOWN else ""  # a thin line between to-dos (``TIGHT``)
    st.markdown(rule + md(badge + " **{}**  \n:small[:gray[{}]]", item.evaluation, detail))
    go = f"todo:{n}:{item.evaluation_id}"
    if st.button(
        item.action, key=go, type="tertiary", icon=":material/arrow_forward:", icon_position="right"
    ):
        session.select(item.evaluation_id)
        st.switch_page(navigation.VIEWS / f"{item.page}.py")


def draw() -> None:
    st.title("待办")
    offset = int(st.session_state.get(OFFSET) or 0)
    try:
        items, total = backend.call(worklist.todo_page, offset, SHOWN)
        if not items and offset:  # the list got shorter than the page shown last
            offset = 0
            items, total = backend.call(worklist.todo_page, offset, SHOWN)
    except WorkbenchError as exc:
        backend.show_error(exc)
        return
    if not items:
        empty()
        return
    st.caption(f"共 {total} 项待办，按紧急程度排列；点各项下方的按钮直接打开相应页面和评价。")
    st.html(TIGHT)
    for n, item in enumerate(items, start=offset):
        line(n, item)
    picker.pager("todo_list", offset, len(items), total, SHOWN)


draw()
