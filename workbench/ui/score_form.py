"""The form that records one leaf indicator's score: the rule's inputs (actual/target, rate, tier
and score), deductions with reason, points, evidence and source, not applicable with its reason,
the rationale and the evidence list.

The form is drawn from the stored score.  Its widgets keep what the user typed until a save
succeeds (then they are rebuilt from what was stored), so a refused save loses nothing.  The
version the form was built from is kept beside it and passed to ``save_score``: if someone else
saved the indicator in the meantime the service refuses with a Conflict naming who and when.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.domain.base import fmt2
from workbench.domain.evaluation import IndicatorScore
from workbench.domain.indicators import Indicator
from workbench.domain.messages import field_label
from workbench.domain.rules import BandsRule, RateRule, RatioRule, ReverseRatioRule, Rule, TiersRule
from workbench.services import evaluations
from workbench.services.evaluations import StoredCase
from workbench.ui import backend, session, widgets

BLANK_ROWS = 1  # empty deduction rows offered below the recorded ones (one more after each save)
ROW_FIELDS = ("reason", "points", "items", "evidence", "source")
ROW_LABELS = {
    "reason": "扣分理由",
    "points": "扣分",
    "items": "扣分处数",
    "evidence": "佐证材料",
    "source": "依据（原文出处）",
}
ROW_WIDTHS = [4, 1, 1, 2, 4]
LONG_TEXT = frozenset({"reason", "source"})  # multi-line boxes that grow with their text


def _prefix(eid: str, code: str) -> str:
    return f"score:{eid}:{code}"


def input_labels(rule: Rule) -> dict[str, str]:
    """The rule's own inputs (not the deductions) with their labels on the form."""
    labels = {name: field_label(name) for name in rule.Inputs.model_fields if name != "deductions"}
    if isinstance(rule, RatioRule | ReverseRatioRule):
        unit = f"（{rule.unit}）" if rule.unit else ""
        given = f"，留空按规则目标 {rule.target}" if rule.target is not None else ""
        labels.update(actual=f"实际值{unit}", target=f"目标值{unit}{given}")
    if isinstance(rule, RateRule):
        labels.update(numerator=rule.numerator_label, denominator=rule.denominator_label)
    if isinstance(rule, RateRule | BandsRule):
        name = rule.value_label if isinstance(rule, BandsRule) else "比率"
        labels["value"] = f"{name}（%，或填写下面两项）"
    if isinstance(rule, TiersRule):
        labels.update(tier="档位", score="得分（可选，留空按档位默认比例）")
    return labels


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def draw(
    eid: str,
    leaf: Indicator,
    entry: IndicatorScore | None,
    version: int,
    citations: list[str] | None = None,
    next_code: str | None = None,
) -> None:
    """The form for ``leaf`` of evaluation ``eid``, built from ``entry`` saved as ``version``;
    a deduction's 佐证材料 may cite one of ``citations`` (the indicator's uploads, "EV12 合同.pdf").
    With ``next_code`` the form also offers 保存并转到下一项."""
    assert leaf.rule is not None
    prefix = _prefix(eid, leaf.code)
    if f"{prefix}:rationale" not in st.session_state:  # widgets are new: remember what they show
        st.session_state[f"{prefix}:version"] = version
    seen = st.session_state[f"{prefix}:version"]
    entry = entry or IndicatorScore()
    rows = [d.model_dump() for d in entry.deductions] + [{}] * BLANK_ROWS
    with st.form(f"{prefix}:form", border=True, enter_to_submit=False):
        labels = input_labels(leaf.rule)
        if labels:
            _input_fields(prefix, leaf.rule, labels, entry)
        st.markdown("**扣分事项**（清空一行即删除；保存后再添一行空白；规则按公式扣分时，可只写理由）")
        for i, row in enumerate(rows):
            _deduction_row(prefix, i, row, citations)
        left, right = st.columns([1, 3])
        left.checkbox("不适用（/）", entry.not_applicable, key=f"{prefix}:na")
        right.text_input("不适用理由", entry.na_reason, key=f"{prefix}:na_reason")
        left, right = st.columns([3, 2])
        left.text_area("评分说明", entry.rationale, key=f"{prefix}:rationale", height="content")
        right.text_area(
            "佐证材料（每行一项）", "\n".join(entry.evidence), key=f"{prefix}:evidence", height="content"
        )
        _submit_buttons(eid, leaf.code, len(rows), seen, next_code)
    widgets.show_notice(prefix)
    if seen != version:
        st.warning(
            f"表单内容基于第 {seen} 版，数据库中已是第 {version} 版（他人已修改）。"
            "保存会被拒绝；可先记下自己的修改，再载入最新内容。"
        )
    left, right = st.columns(2)
    left.button(
        "载入已保存的评分（放弃未保存的修改）",
        key=f"{prefix}:reload",
        on_click=session.forget,
        args=(prefix,),
    )
    if version:
        with right.popover("清除本项评分（改为未评分）", icon=":material/delete:"):
            st.write(f"将清除指标 {leaf.code} 的得分、扣分理由和依据，改为未评分。确认清除吗？")
            st.button(
                "确认清除",
                key=f"{prefix}:clear",
                on_click=_clear,
                args=(eid, leaf.code, seen),
                type="primary",
            )


def _deduction_row(prefix: str, i: int, row: dict[str, Any], citations: list[str] | None) -> None:
    """One deduction: reason and source in boxes as tall as their text, so nothing is cut."""
    shown = "collapsed" if i else "visible"
    for col, name in zip(st.columns(ROW_WIDTHS), ROW_FIELDS, strict=True):
        key, value = f"{prefix}:d{i}:{name}", _text(row.get(name))
        if name == "evidence" and citations:
            _citation_field(col, key, value, citations, shown)
        elif name in LONG_TEXT:
            col.text_area(ROW_LABELS[name], value, key=key, height="content", label_visibility=shown)
        else:
            col.text_input(ROW_LABELS[name], value, key=key, label_visibility=shown)


def _submit_buttons(eid: str, code: str, row_count: int, seen: int, next_code: str | None) -> None:
    with st.container(horizontal=True):
        st.form_submit_button("保存评分", type="primary", on_click=_save, args=(eid, code, row_count, seen))
        if next_code:
            st.form_submit_button(
                "保存并转到下一项",
                on_click=_save,
                args=(eid, code, row_count, seen, next_code),
                icon=":material/arrow_forward:",
            )


def _citation_field(col: Any, key: str, current: str, citations: list[str], shown: Any) -> None:
    """Pick one of the indicator's uploads, or type another reference."""
    options = ["", *citations, *([current] if current and current not in citations else [])]
    col.selectbox(
        ROW_LABELS["evidence"],
        options,
        index=options.index(current),
        key=key,
        accept_new_options=True,
        format_func=lambda v: v or "（无）",
        label_visibility=shown,
    )


def _input_fields(prefix: str, rule: Rule, labels: dict[str, str], entry: IndicatorScore) -> None:
    cols = st.columns(len(labels))
    for col, (name, label) in zip(cols, labels.items(), strict=True):
        current = entry.inputs.get(name)
        if isinstance(rule, TiersRule) and name == "tier":
            options = [t.label for t in rule.tiers]
            index = options.index(current) if current in options else None
            col.selectbox(label, options, index=index, key=f"{prefix}:in:{name}", placeholder="请选择档位")
        else:
            col.text_input(label, _text(current), key=f"{prefix}:in:{name}")


# --- callbacks (run before the page is drawn again) --------------------------------------------


def collect(prefix: str, input_names: list[str], row_count: int) -> dict[str, Any]:
    """The form's values as the mapping ``save_score`` validates (blank fields left out)."""
    state = st.session_state
    inputs = {}
    for name in input_names:
        value = state.get(f"{prefix}:in:{name}")
        if value is not None and str(value).strip():
            inputs[name] = str(value).strip()
    deductions = []
    for i in range(row_count):
        row = {name: str(state.get(f"{prefix}:d{i}:{name}") or "").strip() for name in ROW_FIELDS}
        if any(row.values()):
            row["points"] = row["points"] or None  # type: ignore[assignment]
            row["items"] = row["items"] or None  # type: ignore[assignment]
            deductions.append(row)
    evidence = [
        line.strip() for line in str(state.get(f"{prefix}:evidence", "")).splitlines() if line.strip()
    ]
    return {
        "inputs": inputs,
        "deductions": deductions,
        "not_applicable": bool(state.get(f"{prefix}:na")),
        "na_reason": str(state.get(f"{prefix}:na_reason", "")).strip(),
        "rationale": str(state.get(f"{prefix}:rationale", "")).strip(),
        "evidence": evidence,
    }


def _input_names(prefix: str) -> list[str]:
    head = f"{prefix}:in:"
    return [key.removeprefix(head) for key in st.session_state if str(key).startswith(head)]


def _save(eid: str, code: str, row_count: int, seen: int, next_code: str | None = None) -> None:
    prefix = _prefix(eid, code)
    data = collect(prefix, _input_names(prefix), row_count)
    result = backend.attempt(evaluations.save_score_and_open, eid, code, data, seen)
    if not result.ok:
        widgets.notify(prefix, result.error, "error")  # the form keeps what was typed
        return
    session.forget(prefix)
    session.hand_over(result.value)  # the run that follows draws it without loading it again
    message = saved_message(result.value, code)
    if next_code:
        st.session_state[pick_key(eid)] = next_code
        prefix = _prefix(eid, next_code)  # said where the user now is
    widgets.notify(prefix, message)


def pick_key(eid: str) -> str:
    """The key of the 选择指标 box of evaluation ``eid``."""
    return f"score_code:{eid}"


def saved_message(stored: StoredCase, code: str) -> str:
    """What a save did, with the new total and grade (the user need not look for them)."""
    card = stored.scorecard
    node = next(n for n in card.leaves() if n.code == code)
    got = "不适用" if node.status == "na" else f"{fmt2(node.score)} / {fmt2(node.weight)}"
    head = f"已保存指标 {code} 的评分（第 {stored.versions.of_score(code)} 版），本项得分 {got}。"
    if card.unscored:
        return head
    total = f"总分 {fmt2(card.total)} / {fmt2(card.declared_total)}，等级“{card.grade}”"
    if not card.complete:
        return f"{head}{total}（暂计：尚有 {len(card.pending())} 项未评分）。"
    return f"{head}{total}。全部末级指标均已评分，可到“报告”页生成报告。"


def _clear(eid: str, code: str, seen: int) -> None:
    prefix = _prefix(eid, code)
    result = backend.attempt(evaluations.clear_score, eid, code, seen)
    if not result.ok:
        widgets.notify(prefix, result.error, "error")
        return
    session.forget(prefix)
    widgets.notify(prefix, f"已清除指标 {code} 的评分，该项现为未评分。", "warning")
