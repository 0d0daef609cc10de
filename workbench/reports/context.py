"""Evaluation -> report context: plain data (strings, numbers formatted, lists, dicts).

A template may use any key built here; the context is the same for every template, so adding a
template is dropping a .docx into report_templates/.  Every sentence about a project comes from
the case data; figures are formatted from the ledger and the scorecard, never typed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.domain.base import fmt_score, pct
from workbench.domain.case import Case
from workbench.domain.evaluation import NA_POLICY_LABELS
from workbench.domain.project import Procurement, ProjectUnit
from workbench.domain.review_checks import finding_costs
from workbench.domain.scoring import NodeScore, Scorecard, gap_to_next_grade
from workbench.reports.money import money_part, plan_part, spend_part, terms_part
from workbench.reports.prior import prior_part
from workbench.reports.score_table import leaf_reason, score_rows, table_title
from workbench.reports.selfeval import selfeval_part
from workbench.reports.text import clean_tree

if TYPE_CHECKING:  # supplements a case may not have: their models load with them
    from workbench.domain.multiyear import PriorYear
    from workbench.domain.selfeval_review import SelfEvalComparison

CHART_NAMES = ("levels", "losses", "payments")
UNSET_TARGET = "未设定"


@dataclass(frozen=True)
class Supplements:
    """What a report adds beside the case when it exists: the unit's submitted self-evaluation
    compared with the evaluator's scores, the note on scores an expert panel gave, and the prior
    year's 整改 items (上年度评价发现问题整改情况)."""

    comparison: SelfEvalComparison | None = None
    panel_note: str = ""
    prior: PriorYear | None = None  # last year's evaluation and the 整改 items carried from it


def build_context(case: Case, card: Scorecard, supplements: Supplements | None = None) -> dict[str, Any]:
    """Everything a report template may print, as plain data (XML-safe strings)."""
    ev, year = case.evaluation, case.evaluation.year
    extra = supplements or Supplements()
    context = {
        "title": ev.title or f"{year}年度{case.project.name}绩效评价报告",
        "project": project_part(case),
        "evaluation": evaluation_part(case, card),
        "money": money_part(case.decided_ledger, year),
        "spend": spend_part(case.decided_ledger, year),
        "plan": plan_part(case.decided_ledger),
        "terms": terms_part(case.decided_ledger),
        "targets": targets_part(case, card),
        "score": score_part(case, card),
        "score_rows": [row_part(r) for r in score_rows(card)],
        "analysis": [level_analysis(i, top) for i, top in enumerate(card.nodes, 1)],
        "notes": notes_part(card, extra.panel_note),
        "signature": signature_part(case),
        "selfeval": selfeval_part(extra.comparison),
        "prior": prior_part(extra.prior),
        "charts": dict.fromkeys(CHART_NAMES, ""),
        "has_charts": False,
    }
    return clean_tree(context)


def project_part(case: Case) -> dict[str, Any]:
    data = case.project.model_dump(mode="json")
    data["contents_count"] = len(case.project.contents)
    # a project entered in the 项目信息 form has the facts but not the prose: say them in a sentence
    data["unit"]["description"] = case.project.unit.description or unit_sentence(case.project.unit)
    procurement = case.project.procurement
    data["procurement"]["text"] = procurement.text or procurement_sentence(procurement)
    return data


def unit_sentence(unit: ProjectUnit) -> str:
    """“某市城市管理局为行政单位，隶属市政府；编制 13 人，实有 13 人，其中专业技术人员 8 人。”"""
    said = unit.name + (f"为{unit.nature}" if unit.nature else "")
    said += f"，隶属{unit.parent}" if unit.parent else ""
    staff = unit.staffing
    counts = [
        f"{label}{n}人"
        for label, n in (
            ("编制", staff.authorized),
            ("实有", staff.actual),
            ("其中专业技术人员", staff.technical),
        )
        if n is not None
    ]
    if said == unit.name and not counts:
        return ""
    return said + ("；" + "，".join(counts) if counts else "") + "。"


def procurement_sentence(procurement: Procurement) -> str:
    """“项目采用公开招标方式，由某信息技术有限公司承建，某监理公司监理。”"""
    parts = [f"项目采用{procurement.method}方式" if procurement.method else ""]
    parts.append(f"由{procurement.contractor}承建" if procurement.contractor else "")
    parts.append(f"{procurement.supervisor}监理" if procurement.supervisor else "")
    kept = [p for p in parts if p]
    return "，".join(kept) + "。" if kept else ""


def _indicator_label(card: Scorecard, code: str) -> str:
    node = card.find(code)
    return node.name if node else "—"


def _finding(case: Case, costs: dict[str, list[NodeScore]], i: int, dumped: dict[str, Any]) -> dict[str, Any]:
    f = case.evaluation.findings[i]
    lost = costs.get(f.id, [])
    return {
        **dumped,
        "no": i + 1,
        "indicators_text": "、".join(f"{n.name}（扣{fmt_score(n.lost)}分）" for n in lost),
        "lost": fmt_score(sum((n.lost for n in lost), Decimal(0))),
        "recommendations": [r.title for r in case.evaluation.recommendations_for(f.id)],
    }


def _recommendation(case: Case, i: int, dumped: dict[str, Any]) -> dict[str, Any]:
    r = case.evaluation.recommendations[i]
    titles = [f.title for f in (case.evaluation.finding(fid) for fid in r.findings) if f is not None]
    return {**dumped, "no": i + 1, "findings_text": "、".join(titles)}


def evaluation_part(case: Case, card: Scorecard) -> dict[str, Any]:
    ev = case.evaluation
    costs = finding_costs(case, card)
    # findings and recommendations as the evaluation dumps them: dumping each on its own would
    # build its model's serializer (pydantic builds nested models' only inside their parent's)
    data = ev.model_dump(mode="json", exclude={"scores", "reconstructed", "ledger_decisions", "source_edits"})
    data.update(
        self_reference=ev.evaluator.self_reference,
        basis_text="、".join(ev.basis),
        methods_text="、".join(ev.methods),
        standards_text="、".join(ev.standards),
        findings=[_finding(case, costs, i, f) for i, f in enumerate(data["findings"])],
        recommendations=[_recommendation(case, i, r) for i, r in enumerate(data["recommendations"])],
    )
    return data


def targets_part(case: Case, card: Scorecard) -> dict[str, Any]:
    rows = [
        {
            "no": i,
            "name": t.name,
            "target": t.target or UNSET_TARGET,
            "actual": t.actual or "—",
            "indicator": _indicator_label(card, t.indicator) if t.indicator else "—",
            "unset": (t.target or UNSET_TARGET) == UNSET_TARGET,
        }
        for i, t in enumerate(case.project.targets, 1)
    ]
    unset = sum(1 for r in rows if r["unset"])
    return {
        "rows": rows,
        "set_rows": [r for r in rows if not r["unset"]],
        "count": len(rows),
        "unset_count": unset,
        "set_count": len(rows) - unset,
    }


def _level_row(i: int, n: NodeScore) -> dict[str, Any]:
    return {
        "no": i,
        "code": n.code,
        "name": n.name,
        "weight": fmt_score(n.weight),
        "score": fmt_score(n.score),
        "lost": fmt_score(n.lost),
        "rate": pct(n.rate),
    }


def score_part(case: Case, card: Scorecard) -> dict[str, Any]:
    gap = gap_to_next_grade(card)
    largest = card.largest_deductions()
    na = [n for n in card.leaves() if n.status == "na"]
    return {
        "total": fmt_score(card.total),
        "declared": fmt_score(card.declared_total),
        "score100": fmt_score(card.score100),
        "rate": pct(card.rate),
        "grade": card.grade,
        "complete": card.complete,
        "system_name": card.system_name,
        "framework": case.system.framework,
        "omitted": case.system.model_dump(include={"omitted"})["omitted"],
        "levels_names": "、".join(n.name for n in card.nodes),
        "levels_weights": "、".join(f"{fmt_score(n.weight)}分" for n in card.nodes),
        "table_title": table_title(card.system_name),
        "bands_name": card.band_set.name,
        "bands_text": card.band_set.describe(),
        "bands_source": card.band_set.source,
        "levels": [_level_row(i, n) for i, n in enumerate(card.nodes, 1)],
        "levels_text": "、".join(f"{n.name}{fmt_score(n.score)}分" for n in card.nodes),
        "lost_total": fmt_score(card.lost_total),
        "leaf_count": len(card.leaves()),
        "lost_count": sum(1 for n in card.leaves() if n.lost > 0),
        "largest": [{"name": n.name, "lost": fmt_score(n.lost)} for n in largest],
        "next_grade": gap.next_grade if gap else "",
        "points_needed": fmt_score(gap.points_needed) if gap else "",
        "na_count": len(na),
        "na_policy": NA_POLICY_LABELS[card.na_policy] if na else "",
    }


def row_part(row: Any) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "is_leaf": row.kind == "leaf",
        "l1": row.l1,
        "l2": row.l2,
        "l3": row.l3,
        "code": row.code,  # for lookups; the templates print names only
        "weight": fmt_score(row.weight),
        "score": row.score_text,
        "lost": row.lost_text,
        "reason": row.reason,
        "criteria": row.criteria,
    }


def _leaf(n: NodeScore) -> dict[str, Any]:
    return {
        "name": n.name,
        "weight": fmt_score(n.weight),
        "score": fmt_score(n.score) if n.status == "scored" else ("/" if n.status == "na" else "未评分"),
        "scored": n.status == "scored",
        "lost": fmt_score(n.lost),
        "has_lost": n.lost > 0,
        "reason": leaf_reason(n),
    }


def level_analysis(i: int, top: NodeScore) -> dict[str, Any]:
    """One level-1 indicator for 绩效评价指标分析: its groups and leaves, with reasons."""
    groups = []
    for child in top.children or [top]:
        leaves = [n for n in child.walk() if n.is_leaf]
        groups.append({**_level_row(len(groups) + 1, child), "leaves": [_leaf(n) for n in leaves]})
    lost = [n for n in top.walk() if n.is_leaf and n.lost > 0]
    return {
        **_level_row(i, top),
        "groups": groups,
        "full": not lost,
        "lost_text": "、".join(f"{n.name}（扣{fmt_score(n.lost)}分）" for n in lost),
    }


def notes_part(card: Scorecard, panel: str = "") -> dict[str, Any]:
    """What the evaluator tells a reader beside the scores: 不适用 indicators and the expert
    panel's scoring.  Check results and reconstruction notes go to the generation log instead."""
    na = [f"{n.name}：{n.na_reason}" for n in card.leaves() if n.status == "na"]
    return {"not_applicable": na, "panel": panel, "any": bool(na or panel)}


def signature_part(case: Case) -> dict[str, Any]:
    """The 落款: printed only where the evaluation names its organisation (and date)."""
    ev = case.evaluation
    org = ev.evaluator.organization.strip()
    return {"organization": org, "date": ev.written.strip() if org else "", "show": bool(org)}
