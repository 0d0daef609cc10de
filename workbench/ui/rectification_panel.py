"""The forms of one 整改 item on the 整改台账 page: what the project unit does (开始整改, 报送整改
结果 with 佐证材料, 申请延期) and what the evaluator or finance bureau does (批准/退回延期, 退回整改,
销号, 修改整改要求).  Each form shows only for a status that allows it and a role that holds the
permission; the service decides anyway.  Every move goes through ``backend.attempt`` with the
version the page was drawn from, so a move someone else made meanwhile is refused, not undone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import streamlit as st

from workbench.domain.rectification import RectificationItem
from workbench.services import rectification as rect
from workbench.services.ports import EvidenceRecord, StoredItem
from workbench.ui import backend, evidence_panel, session, widgets

REPORTABLE = ("已下达", "整改中")


def key(item_id: str) -> str:
    return f"rect:{item_id}"


def _act(prefix: str, done: str, move: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    result = backend.attempt(move, *args, **kwargs)
    if result.error is not None:
        widgets.notify(prefix, result.error, "error")
        return
    session.forget(f"{prefix}:form")
    widgets.notify(prefix, done)


def _field(prefix: str, name: str) -> Any:
    return st.session_state.get(f"{prefix}:form:{name}")


def start(item_id: str, seen: int) -> None:
    _act(key(item_id), "已开始整改。", rect.start, item_id, seen)


def report(item_id: str, seen: int) -> None:
    prefix = key(item_id)
    evidence = list(_field(prefix, "evidence") or [])
    _act(
        prefix,
        "已报送整改结果，待销号。",
        rect.report_done,
        item_id,
        str(_field(prefix, "progress") or ""),
        evidence,
        seen,
    )


def ask(item_id: str, seen: int) -> None:
    prefix = key(item_id)
    until = _field(prefix, "until")
    _act(
        prefix,
        "已申请延期，待评价人员审批。",
        rect.request_extension,
        item_id,
        until,
        str(_field(prefix, "why") or ""),
        seen,
    )


def decide(item_id: str, seen: int, approve: bool) -> None:
    prefix = key(item_id)
    done = "已批准延期，期限已调整。" if approve else "已退回延期申请，期限不变。"
    _act(prefix, done, rect.decide_extension, item_id, approve, str(_field(prefix, "opinion") or ""), seen)


def send_back(item_id: str, seen: int) -> None:
    prefix = key(item_id)
    _act(prefix, "已退回整改。", rect.send_back, item_id, str(_field(prefix, "opinion") or ""), seen)


def close(item_id: str, seen: int) -> None:
    prefix = key(item_id)
    _act(prefix, "已销号。", rect.close, item_id, seen, str(_field(prefix, "opinion") or ""))


def edit(item_id: str, seen: int) -> None:
    prefix = key(item_id)
    _act(
        prefix,
        "已保存整改要求。",
        rect.edit_item,
        item_id,
        seen,
        kind=_field(prefix, "kind"),
        responsible_unit=str(_field(prefix, "unit") or ""),
        measures=str(_field(prefix, "measures") or ""),
    )


def unit_forms(stored: StoredItem, files: list[EvidenceRecord], eid: str, codes: dict[str, str]) -> None:
    """The project unit's moves: start, report the result with evidence, ask for more time."""
    item, seen, prefix = stored.item, stored.version, key(stored.item.id)
    if item.status == "已下达":
        st.button("开始整改", key=f"{prefix}:start", on_click=start, args=(item.id, seen))
    if item.status not in REPORTABLE:
        return
    with st.expander("报送整改结果"), st.form(f"{prefix}:form:done", enter_to_submit=False):
        st.text_area("整改情况", item.progress, key=f"{prefix}:form:progress", height=100)
        st.multiselect(
            "佐证材料（本评价已上传的文件；没有的请先在下方上传）",
            [f.citation for f in files],
            key=f"{prefix}:form:evidence",
            placeholder="请选择",
        )
        st.form_submit_button("报送整改结果", type="primary", on_click=report, args=(item.id, seen))
    with st.expander("上传新的佐证材料"):
        listed = [c for c in item.indicators if c in codes] + [c for c in codes if c not in item.indicators]
        code = st.selectbox("所属指标", listed, format_func=lambda c: codes[c], key=f"{prefix}:code")
        evidence_panel.upload_form(eid, code, f"{prefix}:upload")
    with st.expander("申请延期"), st.form(f"{prefix}:form:ask", enter_to_submit=False):
        st.date_input(
            "延期至",
            item.deadline + timedelta(days=90),
            min_value=date(1990, 1, 1),
            key=f"{prefix}:form:until",
        )
        st.text_area("延期理由", key=f"{prefix}:form:why", height=80)
        st.form_submit_button("提交延期申请", on_click=ask, args=(item.id, seen))


def evaluator_forms(stored: StoredItem, kinds: list[str]) -> None:
    """The evaluator's moves: decide an extension, send a result back, 销号, edit the demands."""
    item, seen, prefix = stored.item, stored.version, key(stored.item.id)
    manage, closing = session.may(rect.MANAGE), session.may(rect.CLOSE)
    if item.status == "申请延期" and manage:
        with st.form(f"{prefix}:form:decide", enter_to_submit=False):
            st.text_input("审批意见（退回时必填）", key=f"{prefix}:form:opinion")
            left, right = st.columns(2)
            left.form_submit_button("批准延期", type="primary", on_click=decide, args=(item.id, seen, True))
            right.form_submit_button("退回延期", on_click=decide, args=(item.id, seen, False))
    if item.status == "已整改" and (manage or closing):
        with st.form(f"{prefix}:form:check", enter_to_submit=False):
            st.text_input("意见（退回整改时必填）", key=f"{prefix}:form:opinion")
            left, right = st.columns(2)
            if closing:
                left.form_submit_button("销号", type="primary", on_click=close, args=(item.id, seen))
            if manage:
                right.form_submit_button("退回整改", on_click=send_back, args=(item.id, seen))
    if manage and item.status in ("已下达", "整改中", "申请延期"):
        _edit_form(item, seen, kinds)


def _edit_form(item: RectificationItem, seen: int, kinds: list[str]) -> None:
    prefix = key(item.id)
    with st.expander("修改整改要求"), st.form(f"{prefix}:form:edit", enter_to_submit=False):
        index = kinds.index(item.kind) if item.kind in kinds else 0
        st.selectbox("整改类型（期限按类型自下达日重算）", kinds, index=index, key=f"{prefix}:form:kind")
        st.text_input("责任单位", item.responsible_unit, key=f"{prefix}:form:unit")
        st.text_area("整改措施", item.measures, key=f"{prefix}:form:measures", height=100)
        st.form_submit_button("保存整改要求", on_click=edit, args=(item.id, seen))
