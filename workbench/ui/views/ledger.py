"""资金台账: the project's ledger in a form — 总投资, the payment plan per year, funds per year
(安排 / 到位 / 已支付 / 实际支出) and spend lines with payee, amount and an explicit unit (万元/元).

Each table shows its rows and one empty row to add; a row left blank is removed.  The form keeps
the version it was opened on: a save on top of someone else's is refused as on 评分.  A project
shared with an evaluation under review or 定稿 is copied for this one on save (the page says so)."""

from __future__ import annotations

import streamlit as st

from workbench.services import project_forms
from workbench.ui import backend, session, widgets
from workbench.ui.form_rows import VersionedForm, kept_notice, shared_notice, table, text

PLAN = (("year", "年度", 1), ("amount", "计划金额（万元）", 2), ("terms", "支付条件", 4))
YEARS = (
    ("year", "年度", 1),
    ("arranged", "预算安排（万元）", 2),
    ("received", "实际到位（万元）", 2),
    ("paid", "已支付（万元）", 2),
    ("stated_spend", "实际支出（万元）", 2),
    ("scope", "资金范围", 2),
)
LINES = (
    ("year", "年度", 1),
    ("category", "支出事项", 2),
    ("payee", "收款单位", 3),
    ("amount", "金额", 2),
    ("unit", "单位", 1.5),  # wide enough to show 万元 / 元 beside the arrow
    ("planned", "列入预算", 1.5),
    ("source", "出处", 2),
)


def keep_notes(rows: list[dict], old: list, keys: tuple[str, ...]) -> None:
    """备注 is not on the form: a row keeps the note of the stored row it matches."""
    notes = {tuple(text(getattr(o, k)) for k in keys): o.note for o in old if o.note}
    for row in rows:
        note = notes.get(tuple(row.get(k, "") for k in keys))
        if note:
            row["note"] = note


stored = widgets.require_case()
eid = stored.case.evaluation.id
widgets.page_header("资金台账", stored, editing=session.may("evaluation.score"))
form = backend.call(project_forms.open_ledger, eid)
versioned = VersionedForm.opened("ledger", eid, form.version)
prefix = versioned.prefix
locked = not form.editable or not session.may("evaluation.score")
if not locked:
    shared_notice(form.shared_with, "台账")
    kept_notice(form.kept_note())
ledger = form.ledger
with st.form("ledger_form"):
    total = st.text_input(
        "总投资（万元）", value=text(ledger.total_investment), key=f"{prefix}:total", disabled=locked
    )
    plan = table(f"{prefix}:plan", "分年支付计划", PLAN, [p.model_dump() for p in ledger.plan], locked)
    years = table(f"{prefix}:years", "年度资金", YEARS, [y.model_dump() for y in ledger.years], locked)
    lines = table(f"{prefix}:lines", "支出明细", LINES, [x.model_dump() for x in ledger.spend_lines], locked)
    submitted = st.form_submit_button("保存台账", type="primary", disabled=locked)
if submitted:
    blank_row = {"unit": "万元", "planned": "是"}
    spend = [row for row in lines if {k: v for k, v in row.items() if v} != blank_row]
    keep_notes(years, ledger.years, ("year",))
    keep_notes(spend, ledger.spend_lines, ("year", "category"))
    tables = {"plan": plan, "years": years, "spend_lines": spend}
    result = backend.attempt(project_forms.save_ledger, eid, total, tables, versioned.version)
    versioned.after_save(result, "已保存资金台账", "台账")
for check in ledger.checks():
    (st.error if check.severity == "error" else st.warning)(check.message)
