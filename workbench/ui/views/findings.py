"""问题与建议: findings linked to the indicators that lost points, recommendations linked to the
findings they answer; add, edit, reorder and delete both.

Forms keep what was typed until a save succeeds; each edit passes the version its form was
built from, so a change someone else made in the meantime is refused, not overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from workbench.domain.base import fmt2
from workbench.services import findings as service
from workbench.services.evaluations import StoredCase
from workbench.ui import backend, session, widgets
from workbench.ui.safe_text import md, plain_text

KINDS: dict[str, dict[str, Any]] = {
    "findings": {
        "label": "问题",
        "links": "indicators",
        "links_label": "关联的扣分指标",
        "add": service.add_finding,
        "update": service.update_finding,
        "delete": service.delete_finding,
        "move": service.move_finding,
    },
    "recommendations": {
        "label": "建议",
        "links": "findings",
        "links_label": "针对的问题",
        "add": service.add_recommendation,
        "update": service.update_recommendation,
        "delete": service.delete_recommendation,
        "move": service.move_recommendation,
    },
}


def _key(eid: str, kind: str, item_id: str) -> str:
    return f"item:{eid}:{kind}:{item_id}"


def _values(prefix: str, links: str) -> dict[str, Any]:
    state = st.session_state
    return {
        "title": str(state.get(f"{prefix}:title", "")).strip(),
        "text": str(state.get(f"{prefix}:text", "")).strip(),
        links: list(state.get(f"{prefix}:links", [])),
    }


def _act(place: str, prefix: str, done: str, service_call: Callable[..., Any], *args: Any) -> None:
    result = backend.attempt(service_call, *args)
    if result.ok:
        session.forget(prefix)
        widgets.notify(place, done)
    else:
        widgets.notify(place, result.error, "error")


def save(eid: str, kind: str, item_id: str, seen: int) -> None:
    spec, prefix = KINDS[kind], _key(eid, kind, item_id)
    data = {"id": item_id, **_values(prefix, spec["links"])}
    if st.session_state.get(f"{prefix}:delete"):
        if not st.session_state.get(f"{prefix}:confirm"):
            widgets.notify(prefix, "删除前请勾选“确认删除”。", "warning")
            return
        done = f"已删除{spec['label']} {item_id}"
        _act(prefix, prefix, done, spec["delete"], eid, item_id, seen)
    else:
        _act(prefix, prefix, f"已保存{spec['label']} {item_id}", spec["update"], eid, data, seen)


def add(eid: str, kind: str) -> None:
    spec, prefix = KINDS[kind], _key(eid, kind, "new")
    _act(prefix, prefix, f"已新增{spec['label']}", spec["add"], eid, _values(prefix, spec["links"]))


def move(eid: str, kind: str, item_id: str, position: int) -> None:
    result = backend.attempt(KINDS[kind]["move"], eid, item_id, max(position, 0))
    if not result.ok:
        widgets.notify(_key(eid, kind, item_id), result.error, "error")


def fields(prefix: str, item: Any, options: dict[str, str], links_label: str, links: str) -> None:
    current = list(getattr(item, links, []) if item else [])
    choices = list(options) + [c for c in current if c not in options]
    st.text_input("标题", item.title if item else "", key=f"{prefix}:title")
    st.text_area("内容", item.text if item else "", key=f"{prefix}:text", height=100)
    st.multiselect(
        links_label,
        choices,
        current,
        key=f"{prefix}:links",
        format_func=lambda c: options.get(c, c),
        placeholder="请选择",
    )


def item_block(
    stored: StoredCase, kind: str, index: int, item: Any, options: dict[str, str], note: str
) -> None:
    count = len(getattr(stored.case.evaluation, kind))
    eid, spec = stored.case.evaluation.id, KINDS[kind]
    prefix = _key(eid, kind, item.id)
    version = stored.versions.of_item(kind, item.id)  # type: ignore[arg-type]
    if f"{prefix}:title" not in st.session_state:
        st.session_state[f"{prefix}:version"] = version
    seen = st.session_state[f"{prefix}:version"]
    with st.container(border=True):
        head, up, down = st.columns([8, 1, 1], vertical_alignment="center")
        head.markdown(md("**{} {}**", item.id, item.title))
        up.button(
            "上移",
            key=f"{prefix}:up",
            disabled=index == 0,
            on_click=move,
            args=(eid, kind, item.id, index - 1),
        )
        down.button(
            "下移",
            key=f"{prefix}:down",
            disabled=index == count - 1,
            on_click=move,
            args=(eid, kind, item.id, index + 1),
        )
        st.markdown(plain_text(item.text))
        st.caption(plain_text(note))
        with (
            st.expander(md("修改或删除{} {}", spec["label"], item.id)),
            st.form(f"{prefix}:form", enter_to_submit=False),
        ):
            fields(prefix, item, options, spec["links_label"], spec["links"])
            left, right = st.columns(2)
            left.form_submit_button(
                "保存修改", type="primary", on_click=save, args=(eid, kind, item.id, seen)
            )
            right.checkbox("确认删除", key=f"{prefix}:confirm")
            right.form_submit_button(
                "删除", key=f"{prefix}:delete", on_click=save, args=(eid, kind, item.id, seen)
            )
        widgets.show_notice(prefix)


def add_form(eid: str, kind: str, options: dict[str, str]) -> None:
    spec, prefix = KINDS[kind], _key(eid, kind, "new")
    with st.expander(f"新增{spec['label']}"), st.form(f"{prefix}:form", enter_to_submit=False):
        fields(prefix, None, options, spec["links_label"], spec["links"])
        st.form_submit_button(f"新增{spec['label']}", type="primary", on_click=add, args=(eid, kind))
    widgets.show_notice(prefix)


stored = widgets.require_case()
ev, card = stored.case.evaluation, stored.scorecard
widgets.page_header("问题与建议", stored, editing=True)
lost = {n.code: f"{n.code} {n.name}（扣 {fmt2(n.lost)}）" for n in card.leaves() if n.lost > 0}
titles = {f.id: f"{f.id} {f.title}" for f in ev.findings}

st.subheader("存在的问题")
if not ev.findings and card.unscored:
    st.info("尚未评分。问题一般来自扣分的指标：请先到“评分”页评分，再回到这里逐条记录问题并关联扣分指标。")
elif not ev.findings:
    st.info("还没有记录问题：在下方“新增”中填写，并关联造成扣分的指标。")
st.caption(f"扣分指标 {len(lost)} 项，共扣 {fmt2(card.lost_total)} 分；每个问题应关联它造成扣分的指标。")
for i, finding in enumerate(ev.findings):
    where = [lost.get(c, f"{c}（未扣分）") for c in finding.indicators] or ["未关联扣分指标"]
    answers = [r.id for r in ev.recommendations_for(finding.id)] or ["尚无建议"]
    note = f"扣分指标：{'、'.join(where)} · 对应建议：{'、'.join(answers)}"
    item_block(stored, "findings", i, finding, lost, note)
add_form(ev.id, "findings", lost)

st.subheader("建议")
for i, rec in enumerate(ev.recommendations):
    note = "针对问题：" + ("、".join(titles.get(f, f) for f in rec.findings) or "未关联问题")
    item_block(stored, "recommendations", i, rec, titles, note)
add_form(ev.id, "recommendations", titles)
