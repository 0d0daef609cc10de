"""报告核对清单 on the 报告 page: the checks, the 报告质量自检, the ledger decisions and the notes
kept out of the document — with the forms that settle them (落款, a decision on each ledger
warning, the 评分表 note) before anyone downloads the report."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import streamlit as st

from workbench.domain.ledger import LedgerCheck
from workbench.domain.ledger_decisions import resolved
from workbench.services import evaluations, stored_reports
from workbench.services.evaluations import StoredCase
from workbench.ui import backend, session
from workbench.ui.safe_text import md

UNITS = ["万元", "元"]


def show(stored: StoredCase) -> None:
    st.subheader("报告核对清单")
    st.caption("以下核对结果与说明只写入生成记录，不印入报告。")
    result = backend.attempt(stored_reports.checklist, stored.case.evaluation.id)
    if not result.ok:
        backend.show_error(result.error)
        return
    checks = result.value
    quality(checks.quality)
    problems(checks.problems)
    for line in [*checks.ledger, *checks.notes]:
        st.text(line)
    editable = stored.case.evaluation.status != "定稿"
    if editable:
        ledger_forms(stored)
        signature_form(stored)
        note_form(stored)


def quality(items: list[Any]) -> None:
    failed = [i for i in items if not i.passed]
    head = "报告质量自检：全部通过" if not failed else f"报告质量自检：{len(failed)} 项未通过"
    (st.success if not failed else st.warning)(head)
    rows = [
        {"类别": i.group, "检查项": i.name, "结果": "通过" if i.passed else "未通过", "位置": i.where}
        for i in items
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def problems(found: list[Any]) -> None:
    errors = sum(1 for p in found if p.is_error)
    if not found:
        st.success("报告检查通过：台账、评分及其关联、叙述中的金额与总分均无问题。")
        return
    summary = f"报告检查：{errors} 个错误，{len(found) - errors} 个警告或提示。"
    (st.warning if errors else st.info)(
        summary
        + ("有错误时不能生成报告，请先改正。" if errors else "警告不妨碍生成报告草稿，会写入生成记录。")
    )
    for p in found:  # plain text: the lines quote what users wrote
        st.text(f"{'错误' if p.is_error else '警告'}：{p}")


def _save(stored: StoredCase, changes: dict[str, Any], done: str) -> None:
    version = stored.versions.evaluation.version
    result = backend.attempt(evaluations.update_header, stored.case.evaluation.id, changes, version)
    if result.ok:
        session.flash(done)  # shown by the page header of the run that follows
        st.rerun()
    backend.show_error(result.error)


def ledger_forms(stored: StoredCase) -> None:
    ev = stored.case.evaluation
    open_checks = [
        c
        for c in stored.case.ledger.checks()
        if c.severity == "warning" and not resolved(c, ev.ledger_decisions)
    ]
    for i, check in enumerate(open_checks):
        with st.form(f"ledger_decision_{i}", enter_to_submit=False):
            st.markdown("**台账警告处理**（定稿前必须处理）")
            st.text(check.message)
            action = st.radio("处理决定", ["更正", "保留原值"], horizontal=True, key=f"ld_action_{i}")
            left, right = st.columns(2)
            amount = left.text_input("更正后的金额（仅“更正”）", key=f"ld_amount_{i}")
            unit = right.selectbox("单位", UNITS, key=f"ld_unit_{i}")
            reason = st.text_input("理由", key=f"ld_reason_{i}")
            if st.form_submit_button("记录处理决定"):
                decision = _decision(check, action, amount, unit, reason)
                if decision is not None:
                    saved = [d.model_dump(mode="json") for d in ev.ledger_decisions]
                    _save(stored, {"ledger_decisions": [*saved, decision]}, "已记录台账处理决定")


def _decision(check: LedgerCheck, action: str, amount: str, unit: str, reason: str) -> dict[str, Any] | None:
    data: dict[str, Any] = {
        "check": check.code,
        "year": check.year,
        "subject": check.subject,
        "action": action,
    }
    data["reason"] = reason.strip()
    if action == "更正":
        try:
            data.update(amount=str(Decimal(amount.strip().replace(",", ""))), unit=unit)
        except InvalidOperation:
            st.error(md("更正后的金额应为数字，填写的是“{}”", amount))
            return None
    return data


def signature_form(stored: StoredCase) -> None:
    ev = stored.case.evaluation
    with st.form("signature", enter_to_submit=False):
        st.markdown("**落款**（评价机构与日期；原报告未具名时写明原因，报告不印落款）")
        left, right = st.columns(2)
        organization = left.text_input(
            "评价机构", value=ev.evaluator.organization, key="signature_organization"
        )
        written = right.text_input(
            "报告日期", value=ev.written, placeholder="例如 2019年6月", key="signature_date"
        )
        unnamed = st.text_input(
            "未具名原因（填写后报告不印落款）", value=ev.evaluator.unnamed, key="signature_unnamed"
        )
        if st.form_submit_button("保存落款"):
            evaluator = {
                **ev.evaluator.model_dump(),
                "organization": organization.strip(),
                "unnamed": unnamed.strip(),
            }
            _save(stored, {"evaluator": evaluator, "written": written.strip()}, "已保存落款")


def note_form(stored: StoredCase) -> None:
    ev = stored.case.evaluation
    with st.form("score_table_note", enter_to_submit=False):
        st.markdown("**评分表说明**（不印入报告；其中写到的总分、等级须与评分表一致）")
        text = st.text_area("说明", value=ev.reconstructed, height=80, key="score_table_note_text")
        if st.form_submit_button("保存说明"):
            _save(stored, {"reconstructed": text.strip()}, "已保存评分表说明")
