"""Checks a 复核 reviewer makes on a report before signing it.

* 落款: who signs and when (or the case's statement that the source names no one);
* ledger warnings the evaluator has not decided on (they block 定稿, not a draft report);
* what each finding says it cost: a deduction counts toward one finding only;
* deducted points no finding explains; the same fact deducted under several indicators
  (possible 重复扣分); a deduction that contradicts its indicator's own 评分标准.

Pure: stdlib and domain objects only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from workbench.domain.base import fmt_score
from workbench.domain.case import Case
from workbench.domain.ledger_decisions import unresolved
from workbench.domain.rules import Deduction
from workbench.domain.scoring import NodeScore, Scorecard
from workbench.errors import Problem

SIGNATURE = "落款"


def signature_problems(case: Case) -> list[Problem]:
    """Organisation and date of the 落款; a case saying the source names no one needs neither."""
    ev = case.evaluation
    if ev.evaluator.unnamed.strip():
        return []
    missing = [
        label
        for label, value in (("评价机构名称", ev.evaluator.organization), ("报告日期", ev.written))
        if not value.strip()
    ]
    if not missing:
        return []
    msg = f"落款缺少{'、'.join(missing)}：请在评价信息中填写（定稿前必须填写）"
    return [Problem(msg, place=SIGNATURE, field="evaluator", severity="warning")]


def ledger_decision_problems(case: Case) -> list[Problem]:
    """Ledger warnings with no recorded decision (更正 or 保留原值)."""
    return [
        Problem(
            f"台账警告尚未处理：{c.message}。请记录处理决定（按笔误更正，或保留原值并说明理由）；定稿前必须处理",
            place="项目资金台账",
            field="ledger_decisions",
            severity="warning",
        )
        for c in unresolved(case.ledger, case.evaluation.ledger_decisions)
    ]


def finalize_problems(case: Case) -> list[Problem]:
    """What blocks 定稿 beyond the report's errors: an unsigned report, an undecided ledger warning."""
    return [*signature_problems(case), *ledger_decision_problems(case)]


# --- findings and their cost ----------------------------------------------------------------


def finding_costs(case: Case, card: Scorecard) -> dict[str, list[NodeScore]]:
    """Finding id -> the indicators whose deduction it accounts for; an indicator listed under
    several findings counts toward the first one only, so the findings' costs add up."""
    taken: set[str] = set()
    out: dict[str, list[NodeScore]] = {}
    for f in case.evaluation.findings:
        nodes = []
        for code in f.indicators:
            node = card.find(code)
            if node is not None and node.lost > 0 and code not in taken:
                taken.add(code)
                nodes.append(node)
        out[f.id] = nodes
    return out


def shared_indicator_problems(case: Case, card: Scorecard) -> list[Problem]:
    owners: dict[str, list[str]] = defaultdict(list)
    for f in case.evaluation.findings:
        for code in dict.fromkeys(f.indicators):
            owners[code].append(f.title)
    out = []
    for code, titles in owners.items():
        node = card.find(code)
        if node is not None and node.lost > 0 and len(titles) > 1:
            msg = (
                f"指标“{node.name}”的扣分（{fmt_score(node.lost)}分）同时归入问题“{'”“'.join(titles)}”；"
                f"报告只计入第一个问题，请确认归属或拆分扣分"
            )
            out.append(Problem(msg, place=f"指标 {code}", severity="warning"))
    return out


def unexplained_problems(case: Case, card: Scorecard) -> list[Problem]:
    """Deducted points that no finding (存在的问题) explains."""
    linked = {code for f in case.evaluation.findings for code in f.indicators}
    loose = [n for n in card.leaves() if n.lost > 0 and n.code not in linked]
    if not loose:
        return []
    points = sum((n.lost for n in loose), Decimal(0))
    names = "、".join(f"{n.name}（扣{fmt_score(n.lost)}分）" for n in loose)
    msg = f"共扣 {fmt_score(card.lost_total)} 分，其中 {fmt_score(points)} 分未在“存在的问题”中说明：{names}"
    return [Problem(msg, place="存在的问题", severity="warning")]


# --- 重复扣分 ----------------------------------------------------------------------------------

QUOTE = re.compile(r"“([^”]{6,})”")
SECTION = re.compile(r"[一二三四五六七八九十]+、(?:（[一二三四五六七八九十\d]+）)*")
SUB = re.compile(r"（[一二三四五六七八九十\d]+）")


def _refs(source: str) -> set[str]:
    """Section references of a source note: 六、（一）（二） -> {六、（一）, 六、（二）}."""
    refs = set()
    for m in SECTION.finditer(QUOTE.sub("", source)):
        head = m.group(0).split("、")[0] + "、"
        subs = SUB.findall(m.group(0))
        refs.update({head + s for s in subs} or {head})
    return refs


@dataclass(frozen=True)
class _Fact:
    """What one deduction rests on: its quotes of the source, else its section references."""

    node: NodeScore
    deduction: Deduction
    quotes: tuple[str, ...]
    refs: frozenset[str]
    reason: str  # stripped once: every pair compares it

    @classmethod
    def of(cls, node: NodeScore, d: Deduction) -> _Fact:
        return cls(node, d, tuple(QUOTE.findall(d.source)), frozenset(_refs(d.source)), d.reason.strip())

    def same_as(self, other: _Fact) -> bool:
        a, b = self.deduction, other.deduction
        if a.source and b.source:
            if self.quotes and other.quotes:
                if any(x in y or y in x for x in self.quotes for y in other.quotes):
                    return True
            elif self.refs & other.refs:
                return True
        return self.reason == other.reason or bool(a.evidence and a.evidence == b.evidence)


def duplicate_problems(card: Scorecard) -> list[Problem]:
    """The same source fact, reason or evidence deducted under several indicators."""
    facts = [_Fact.of(n, d) for n in card.leaves() if n.lost > 0 for d in n.deductions]
    out, seen = [], set()
    for i, one in enumerate(facts):
        for two in facts[i + 1 :]:
            pair = (one.node.code, two.node.code)
            if one.node.code == two.node.code or pair in seen or not one.same_as(two):
                continue
            seen.add(pair)
            msg = (
                f"“{one.node.name}”与“{two.node.name}”的扣分依据同一事实"
                f"（{two.deduction.source or two.deduction.reason}），可能重复扣分；如确属不同方面，请在评分说明中写明理由"
            )
            out.append(Problem(msg, place=f"指标 {pair[0]}、{pair[1]}", severity="warning"))
    return out


# --- deductions against the indicator's own 评分标准 -----------------------------------------

PER_UNIT = re.compile(r"每[^扣，；。]*?一([类处项个])([^扣，；。]{0,6}?)扣\s*(\d+(?:\.\d+)?)\s*分")


def _listed(reason: str, noun: str) -> int:
    if not noun:
        return 0
    m = re.search(r"((?:[^、，。；“”（）]{1,8}、)+[^、，。；“”（）]{1,8}?)等?" + re.escape(noun), reason)
    return len(m.group(1).split("、")) if m else 0


def criteria_problems(card: Scorecard) -> list[Problem]:
    """A deduction that does not follow its indicator's 每…扣 X 分 rule."""
    out = []
    for n in card.leaves():
        m = PER_UNIT.search(n.criteria)
        if not m:
            continue
        unit, noun, per = m[1], m[2].strip(), Decimal(m[3])
        for d in n.deductions:
            if d.points is None:
                continue
            count = d.items or _listed(d.reason, noun)
            rule = f"评分标准“{m.group(0).replace(' ', '')}”"
            if count and count * per != d.points:
                msg = f"扣分理由涉及 {count} {unit}{noun}，按{rule}应扣 {fmt_score(count * per)} 分，实扣 {fmt_score(d.points)} 分"
            elif not count and d.points % per:
                msg = f"扣 {fmt_score(d.points)} 分不是{rule}的整数倍"
            else:
                continue
            out.append(Problem(msg, place=f"指标 {n.code}（{n.name}）", severity="warning"))
    return out


def reviewer_checks(case: Case, card: Scorecard) -> list[Problem]:
    return [
        *signature_problems(case),
        *ledger_decision_problems(case),
        *shared_indicator_problems(case, card),
        *unexplained_problems(case, card),
        *duplicate_problems(card),
        *criteria_problems(card),
    ]
