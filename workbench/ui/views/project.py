"""项目信息: the project's facts in a form — name, unit and staffing, decision, procurement,
contents, goals and performance targets (目标值 and 实际值).  Facts the form does not show (the
unit's description, implementation and performance texts, sources) are kept as stored.  Saved
against the version it was opened on; locked when the evaluation is under review or 定稿; a project
shared with such an evaluation is copied for this one on save (the page says so).  Below the
form: the project's indicator targets for the evaluation's year (分年度绩效指标)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.services import project_forms
from workbench.ui import backend, session, widgets
from workbench.ui.form_rows import VersionedForm, kept_notice, shared_notice, table, text
from workbench.ui.multiyear import period_section

SECTIONS = (("title", "标题", 2), ("text", "内容", 5))
TARGETS = (
    ("name", "绩效目标", 2),
    ("target", "目标值", 2),
    ("actual", "实际完成", 2),
    ("target_value", "目标值（数）", 1),
    ("actual_value", "实际值（数）", 1),
    ("unit", "计量单位", 1),
    ("indicator", "对应指标", 1),
)
FIELDS = (  # (path, label, column): one text input each
    ("name", "项目名称 *", 0),
    ("short_name", "简称", 1),
    ("year", "年度 *", 0),
    ("region", "地区", 1),
    ("department", "主管部门", 0),
    ("unit.name", "项目单位 *", 1),
    ("unit.nature", "单位性质", 0),
    ("unit.parent", "上级单位", 1),
    ("unit.staffing.authorized", "编制人数", 0),
    ("unit.staffing.actual", "实有人数", 1),
    ("unit.staffing.technical", "专业技术人员", 0),
    ("decision.date", "立项时间", 1),
    ("decision.body", "决策机构", 0),
    ("procurement.method", "采购方式", 1),
    ("procurement.contractor", "中标（承建）单位", 0),
    ("procurement.contractor_short", "中标单位简称", 1),
    ("procurement.supervisor", "监理单位", 0),
    ("delivery", "建设方式", 1),
    ("completed", "完工时间", 0),
    ("accepted", "验收时间", 1),
)
KIND_NONE = "未填写"
TEXTS = (
    ("background", "立项背景"),
    ("decision.text", "立项决策（原文）"),
    ("procurement.text", "采购情况（原文）"),
)


def get(data: dict, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def put(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def merged(rows: list[dict], stored: list[dict]) -> list[dict]:
    """Each form row over the stored item at its place (keeping what the form does not show)."""
    return [
        {**(stored[i] if i < len(stored) else {}), **row} for i, row in enumerate(rows) if any(row.values())
    ]


stored = widgets.require_case()
eid = stored.case.evaluation.id
widgets.page_header("项目信息", stored, editing=session.may("evaluation.score"))
form = backend.call(project_forms.open_project, eid)
versioned = VersionedForm.opened("project", eid, form.version)
prefix = versioned.prefix
locked = not form.editable or not session.may("evaluation.score")
facts = form.project.model_dump(mode="python")
if not locked:
    shared_notice(form.shared_with, "项目信息")
    kept_notice(form.kept_note())
with st.form("project_form"):
    left, right = st.columns(2)
    values = {}
    for path, label, column in FIELDS:
        box = left if column == 0 else right
        values[path] = box.text_input(
            label, value=text(get(facts, path)), key=f"{prefix}:{path}", disabled=locked
        )
    kinds = [KIND_NONE, *project_forms.PROJECT_KINDS]
    kind = left.selectbox(
        "项目类型（结果应用按此给出建议）",
        kinds,
        index=kinds.index(facts.get("kind") or KIND_NONE),
        key=f"{prefix}:kind",
        disabled=locked,
    )
    for path, label in TEXTS:
        values[path] = st.text_area(
            label, value=text(get(facts, path)), key=f"{prefix}:{path}", disabled=locked
        )
    contents = table(f"{prefix}:contents", "建设内容", SECTIONS, facts["contents"], locked)
    goals = table(f"{prefix}:goals", "项目目标", SECTIONS, facts["goals"], locked)
    targets = table(f"{prefix}:targets", "绩效目标", TARGETS, facts["targets"], locked, choices={})
    submitted = st.form_submit_button("保存项目信息", type="primary", disabled=locked)
if submitted:
    data = {k: v for k, v in facts.items() if k != "id"}
    for path, value in values.items():
        put(data, path, value.strip() or None)
    data["kind"] = None if kind == KIND_NONE else kind
    data["contents"] = merged(contents, facts["contents"])
    data["goals"] = merged(goals, facts["goals"])
    data["targets"] = merged(targets, facts["targets"])
    result = backend.attempt(project_forms.save_project, eid, data, versioned.version)
    versioned.after_save(result, "已保存项目信息", "项目信息")

period_section(eid, stored.case.evaluation.year, session.may("evaluation.score"))
