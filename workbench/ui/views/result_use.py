"""结果应用: the advice (建议) the evaluation's grade and the project's type suggest (rules:
indicators/result-use.yaml), each plan year's payment for an O&M score under the contract terms
with the score bands beside it (marked 假设 when the source does not state them), and — for whoever
may 定稿 — an override of the advice, which needs a reason and is audited.  Nothing here changes
an amount: the advice is for a person to confirm."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import streamlit as st

from workbench.domain.base import fmt2, fmt_score
from workbench.services import result_use
from workbench.ui import backend, session, widgets
from workbench.ui.safe_text import md, plain_text

CHOICES = ("优先保障", "据实保障", "核减", "暂停拨付", "取消")
PLACE = "result_use"


def score_key(eid: str, year: int) -> str:
    return f"om:{eid}:{year}"


def entered_scores(eid: str, years: list[int]) -> tuple[dict[int, Decimal], list[str]]:
    """The O&M scores typed in (blank: not yet assessed), and a line for each that is not a number."""
    scores, bad = {}, []
    for year in years:
        typed = str(st.session_state.get(score_key(eid, year)) or "").strip()
        if not typed:
            continue
        try:
            scores[year] = Decimal(typed)
        except InvalidOperation:
            bad.append(f"{year}年运维考评得分应为 0–100 的数字，填写的是“{typed}”")
    return scores, bad


def payment_table(advice: result_use.Advice) -> list[dict[str, str]]:
    rows = []
    for row in advice.payments:
        due = row.due
        rows.append(
            {
                "年度": str(row.year),
                "计划（万元）": fmt2(row.planned),
                "运维考评得分": fmt_score(row.om_score) if row.om_score is not None else "—",
                "年初预付（万元）": fmt2(due.advance) if due else "—",
                "年末结算比例": f"{fmt_score(due.settlement_share)}%" if due else "—",
                "年末结算（万元）": fmt2(due.settlement) if due else "—",
                "应付合计（万元）": fmt2(due.total) if due else "—",
                "较计划扣减（万元）": fmt2(due.withheld) if due else "—",
                "依据": row.basis or "—",
                "说明": row.status,
            }
        )
    return rows


def save_scores(eid: str, years: list[int], versions: dict[int, int]) -> None:
    """The save button's callback: record each year's typed score, then clear what was typed."""
    scores, bad = entered_scores(eid, years)
    if bad or not scores:
        widgets.notify(PLACE, "；".join(bad) or "请先填写某年的运维考评得分", "error")
        return
    note = str(st.session_state.get(f"om_note:{eid}") or "")
    for year, score in scores.items():
        result = backend.attempt(result_use.record_om_score, eid, year, score, note, versions.get(year, 0))
        if result.error is not None:
            widgets.notify(PLACE, result.error, "error")
            return
        st.session_state[score_key(eid, year)] = ""
    widgets.notify(PLACE, f"已保存 {'、'.join(f'{y}年' for y in scores)}运维考评得分")


def override_form(eid: str, advice: result_use.Advice) -> None:
    with st.form(f"override:{eid}:{advice.version}"):
        st.markdown("**调整建议**（须填写理由；调整记入审计日志，不改动任何金额）")
        left, right = st.columns(2)
        chosen = left.selectbox(
            "调整为", CHOICES, index=CHOICES.index(advice.chosen.advice), key=f"ov_kind:{eid}"
        )
        percent = right.text_input("核减比例（%，仅核减时填写）", key=f"ov_percent:{eid}")
        reason = st.text_area("调整理由 *", key=f"ov_reason:{eid}")
        submitted = st.form_submit_button("保存调整", type="primary")
    if submitted:
        data = {"advice": chosen, "percent": percent.strip() or None}
        result = backend.attempt(result_use.override, eid, data, reason, advice.version)
        if result.error is None:
            widgets.notify(PLACE, "已保存调整后的结果应用建议")
            st.rerun()
        else:
            backend.show_error(result.error)


stored = widgets.require_case()
eid = stored.case.evaluation.id
widgets.page_header("结果应用", stored, read_only=True)
if widgets.unscored_next_step(stored.scorecard):
    st.stop()
ledger = stored.case.ledger
terms = ledger.payment_terms
years = [p.year for p in ledger.plan if terms and p.year >= terms.from_year]
scores, bad = entered_scores(eid, years)
for line in bad:
    st.error(plain_text(line))
tried = backend.attempt(result_use.advice_for, eid, trial=scores)
if tried.error is not None:
    backend.show_error(tried.error)
    tried = backend.attempt(result_use.advice_for, eid) if scores else tried  # without the 试算
    if not tried.ok:
        st.stop()
advice: result_use.Advice = tried.value

widgets.show_notice(PLACE)
st.info(plain_text(advice.label))
kind = advice.kind or "未填写（按一般规则；可在“项目信息”中填写）"
st.caption(
    plain_text(
        f"评价等级：{advice.grade}（{fmt2(advice.total)} 分）；项目类型：{kind}；"
        f"按规则建议：{advice.suggested.text}"
        + (f"（{advice.suggested.note}）" if advice.suggested.note else "")
    )
)
if advice.override:
    ov = advice.override
    when = ov.at.astimezone().strftime("%Y-%m-%d %H:%M")
    st.caption(plain_text(f"已由 {ov.by} 于 {when} 调整为“{ov.advice.text}”，理由：{ov.reason}"))
st.caption(plain_text(f"规则出处：{advice.source}"))
if advice.assumed:
    st.caption(plain_text(f"假设：{advice.assumed}"))
st.caption("以上均为建议，由财政部门和主管部门按程序确认；工作台不据此改动任何金额。")

if advice.payments:
    st.subheader("分年支付与运维考评（按合同付款条款计算）")
    st.markdown(md("**考评分档**：{}", advice.bands))
    st.table(payment_table(advice), hide_index=True)
    if advice.bands_assumed and advice.terms_note:
        st.warning(plain_text(f"考评分档为假设：{advice.terms_note}"))
    with st.form(f"om_form:{eid}"):
        st.markdown(
            "**运维考评得分**（填写某年得分即按上表分档试算该年应付金额；留空为已录入的得分或待考评）"
        )
        columns = st.columns(4)
        for i, year in enumerate(years):
            columns[i % 4].text_input(f"{year}年", key=score_key(eid, year))
        st.form_submit_button("试算")
        if session.may("evaluation.score"):
            st.text_input("得分出处（如某年度运维考评报告）", key=f"om_note:{eid}")
            versions = dict(advice.om_versions)
            st.form_submit_button("保存为运维考评得分", on_click=save_scores, args=(eid, years, versions))
else:
    st.caption("台账未载明合同付款条款，无分年支付试算。")

if session.may("workflow.finalize"):
    override_form(eid, advice)
