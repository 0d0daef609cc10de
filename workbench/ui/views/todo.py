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
ROUND = "todo_list_round"  # bumped when a to-do is opened, so coming back shows none chosen
# The list is one choice widget (twenty buttons cost twice what the service does): each to-do
# is an option, its radio mark hidden so the list reads as lines to click, a thin rule between
# them, the line under the pointer shaded, and the whole line (its second line too, which the
# widget puts outside the option's label) taking the click, as a stretched link does.
LOOK = (
    "<style>"
    ".st-key-todo-list [role=radiogroup] {width: 100%}"
    ".st-key-todo-list [role=radiogroup] > div {position: relative; width: 100%; cursor: pointer;"
    " padding: 0.5rem 0.5rem 0.55rem; border-bottom: 1px solid rgba(49, 51, 63, 0.12); border-radius: 0.25rem}"
    ".st-key-todo-list [role=radiogroup] > div:hover {background: rgba(28, 131, 225, 0.07)}"
    ".st-key-todo-list [data-testid=stRadioOption]::after {content: ''; position: absolute; inset: 0; z-index: 1}"
    ".st-key-todo-list [data-testid=stRadioOption] > div > div:first-child {display: none}"
    ".st-key-todo-list [data-testid=stRadioCaption] {padding-left: 0}"
    "</style>"
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


def label(n: int, item: TodoItem) -> str:
    """An option's first line: its number in the whole list (which also keeps two to-dos of
    like-named evaluations apart), the kind as a badge (the service's own words), the evaluation."""
    badge = f":{COLORS.get(item.kind, 'gray')}-badge[{item.kind}]"
    return md(f"{n + 1}\\. " + badge + " **{}**", item.evaluation)  # "1\." keeps it from being a list


def caption(item: TodoItem) -> str:
    """An option's second line: what and why on one line (a reason's line breaks would end
    the markdown), then where the click leads."""
    return md(":gray[{}] · :blue[{} →]", " ".join(item.detail.split()), item.action)


def listing(items: list[TodoItem], offset: int) -> None:
    """The to-dos as one radio group whose options are their places in the whole list (the
    labels name them, so a list that changed before the click is a new group, nothing chosen);
    choosing one opens its page with its evaluation selected."""
    turn = int(st.session_state.get(ROUND) or 0)
    shown = dict(enumerate(items, start=offset))
    st.html(LOOK)
    with st.container(key="todo-list"):
        chosen = st.radio(
            "待办事项",
            list(shown),
            index=None,
            format_func=lambda n: label(n, shown[n]),
            captions=[caption(item) for item in shown.values()],
            key=f"todo:{turn}:{offset}",
            label_visibility="collapsed",
        )
    if chosen is not None:
        item = shown[chosen]
        st.session_state[ROUND] = turn + 1
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
    st.caption(f"共 {total} 项待办，按紧急程度排列；点击一项即打开相应页面和评价。")
    listing(items, offset)
    picker.pager("todo_list", offset, len(items), total, SHOWN)


draw()
