"""The narrative a report prints from data, and checks that its figures agree with the data.

``passages(case)`` lists every piece of user-written text a report shows (project facts, the
evaluation's wording, findings, deduction reasons), each with a Chinese description of where it
lives.  The checks read amounts (…万元/…元), stated totals and grades, staffing figures and the
evaluator's self-reference out of that text and compare them with the ledger, the scorecard and
the project facts.  Pure: stdlib and domain objects only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from workbench.domain.base import fmt2
from workbench.domain.case import Case
from workbench.domain.ledger import Ledger
from workbench.domain.project import Section
from workbench.domain.scoring import Scorecard
from workbench.errors import Problem


@dataclass(frozen=True)
class Passage:
    text: str
    place: str
    field: str = "text"


def _sections(items: Iterable[Section], label: str) -> Iterator[Passage]:
    for i, s in enumerate(items, 1):
        yield Passage(s.title, f"{label}第 {i} 项", "title")
        yield Passage(s.text, f"{label}第 {i} 项“{s.title}”")


def project_passages(case: Case) -> Iterator[Passage]:
    p = case.project
    yield Passage(p.unit.description, "项目单位情况", "description")
    for name, label in (("background", "立项背景"), ("delivery", "建设方式")):
        yield Passage(getattr(p, name), label, name)
    yield Passage(p.decision.text, "立项决策", "decision.text")
    yield Passage(p.procurement.text, "采购情况", "procurement.text")
    yield from _sections(p.contents, "建设内容")
    yield from _sections(p.goals, "绩效目标完成情况")
    for i, t in enumerate(p.targets, 1):
        yield Passage(t.actual, f"绩效目标第 {i} 项“{t.name}”", "actual")
    yield Passage(p.implementation_intro, "项目实施情况", "implementation_intro")
    yield from _sections(p.implementation, "项目实施情况")
    yield Passage(p.performance_intro, "主要绩效", "performance_intro")
    yield from _sections(p.performance, "主要绩效")
    yield Passage(p.funds_management, "资金管理情况", "funds_management")


def evaluation_passages(case: Case) -> Iterator[Passage]:
    ev = case.evaluation
    yield Passage(ev.title, "报告标题", "title")
    yield Passage(ev.reconstructed, "评分表重构说明", "reconstructed")
    yield Passage(ev.evaluator.organization, "落款（评价机构）", "evaluator.organization")
    for name, label in (("intro", "报告开头"), ("purpose", "评价目的"), ("process_intro", "评价过程")):
        yield Passage(getattr(ev, name), label, name)
    for i, step in enumerate(ev.process, 1):
        yield Passage(step.title, f"评价过程第 {i} 步", "title")
        yield Passage(step.text, f"评价过程第 {i} 步“{step.title}”")
        for j, text in enumerate(step.steps, 1):
            yield Passage(text, f"评价过程第 {i} 步第 {j} 小项", "steps")
    for f in ev.findings:
        yield Passage(f.title, f"问题 {f.id}", "title")
        yield Passage(f.text, f"问题 {f.id}（{f.title}）")
    for r in ev.recommendations:
        yield Passage(r.title, f"建议 {r.id}", "title")
        yield Passage(r.text, f"建议 {r.id}（{r.title}）")
    for code, entry in ev.scores.items():
        for d in entry.deductions:
            yield Passage(d.reason, f"指标 {code} 的扣分理由", "reason")
        yield Passage(entry.rationale, f"指标 {code} 的评分说明", "rationale")
        yield Passage(entry.na_reason, f"指标 {code} 的不适用理由", "na_reason")


def passages(case: Case) -> list[Passage]:
    """Every piece of user-written text a report prints, non-empty ones only."""
    return [p for p in (*project_passages(case), *evaluation_passages(case)) if p.text.strip()]


# --- amounts -------------------------------------------------------------------------------

AMOUNT = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)")
YUAN_PER = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
APPROXIMATE = ("约", "近", "逾", "超过", "不到", "不足", "大约", "将近")
CLAUSE_END = re.compile(r"[，,。；;：:、！？!?\n（(]")
YEAR = re.compile(r"(?<!\d)(\d{4})年")


@dataclass(frozen=True)
class Anchor:
    """A word that says which ledger figure an amount must be (e.g. 总投资 -> total investment)."""

    words: tuple[str, ...]
    label: str
    strict: bool = True  # the ledger holds the figure itself; False: payments the ledger may not track


ANCHORS = (
    Anchor(("总投资", "投资总额"), "总投资"),
    Anchor(("安排",), "安排资金"),
    Anchor(("到位",), "到位资金"),
    Anchor(("已发生费用", "发生费用", "实际支出", "实际发生", "支出"), "支出"),
    Anchor(("已支付", "支付", "拨付"), "支付", strict=False),
)


def _yuan(amount: Decimal, unit: str) -> Decimal:
    return (amount * YUAN_PER[unit]).normalize()


def _year_figures(ledger: Ledger, year: int) -> dict[str, set[Decimal]]:
    f = ledger.funds(year)
    plan = [p.amount for p in ledger.plan if p.year == year]
    terms = ledger.payment_terms
    advance = [p * terms.advance_percent / 100 for p in plan] if terms else []
    spend = [ledger.spend(year), ledger.line_total(year)]
    arranged = [f.arranged] if f and f.arranged is not None else []
    return {
        "安排资金": {*arranged, *plan},
        "到位资金": {f.received} if f and f.received is not None else set(),
        "支出": set(spend),
        "支付": {*([f.paid] if f and f.paid is not None else []), *plan, *advance},
        "差额": {spend[0] - a for a in arranged} | {a - spend[0] for a in arranged},
    }


def ledger_figures(ledger: Ledger) -> dict[str, set[Decimal]]:
    """Every figure a narrative may state, in 元, grouped by the anchor that names it."""
    years = (
        {y.year for y in ledger.years} | {p.year for p in ledger.plan} | {s.year for s in ledger.spend_lines}
    )
    groups: dict[str, set[Decimal]] = {"总投资": {ledger.total_investment, ledger.plan_total()}}
    for year in years:
        for label, values in _year_figures(ledger, year).items():
            groups.setdefault(label, set()).update(values)
            groups.setdefault(f"{year}:{label}", set()).update(values)
    lines = {line.wan for line in ledger.spend_lines}
    groups["明细"] = lines
    return {k: {_yuan(v, "万元") for v in vs} for k, vs in groups.items()}


def _anchor(clause: str) -> Anchor | None:
    best: tuple[int, Anchor] | None = None
    for anchor in ANCHORS:
        for word in anchor.words:
            at = clause.rfind(word)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, anchor)
    return best[1] if best else None


def _context(text: str, start: int) -> tuple[str, int | None]:
    """The clause before an amount and the last year named in its sentence."""
    before = text[:start]
    cut = max((m.end() for m in CLAUSE_END.finditer(before)), default=0)
    sentence = before[before.rfind("。") + 1 :]
    years = YEAR.findall(sentence)
    return before[cut:], int(years[-1]) if years else None


def amount_problems(ledger: Ledger, items: Iterable[Passage]) -> list[Problem]:
    """Amounts in the narrative that the ledger does not hold (anchored ones are errors)."""
    items = [p for p in items if "元" in p.text]  # every amount ends in 元, 万元 or 亿元
    return _amounts(ledger_figures(ledger), items) if items else []


def _amounts(figures: dict[str, set[Decimal]], items: Iterable[Passage]) -> list[Problem]:
    everything = set().union(*figures.values())
    out = []
    for p in items:
        for m in AMOUNT.finditer(p.text):
            clause, year = _context(p.text, m.start())
            if clause.rstrip().endswith(APPROXIMATE):
                continue
            value = _yuan(Decimal(m["num"].replace(",", "")), m["unit"])
            out.extend(_judge_amount(m.group(0), value, clause, year, figures, everything, p))
    return out


def _judge_amount(
    written: str,
    value: Decimal,
    clause: str,
    year: int | None,
    figures: dict[str, set[Decimal]],
    everything: set[Decimal],
    p: Passage,
) -> list[Problem]:
    anchor = _anchor(clause)
    if anchor is not None:
        key = f"{year}:{anchor.label}" if year and f"{year}:{anchor.label}" in figures else anchor.label
        allowed = figures.get(key, set())
        if value in allowed:
            return []
        if not allowed or not anchor.strict:
            msg = f"叙述中的金额“{written}”（{anchor.label}）台账未记录，请核对（或在台账中补记）"
            return [Problem(msg, place=p.place, field=p.field, severity="warning")]
        expected = (
            "、".join(f"{fmt2(v / YUAN_PER['万元'])} 万元" for v in sorted(allowed)) or "（台账未记录）"
        )
        when = f"{year}年" if year and key.startswith(f"{year}:") else ""
        msg = f"叙述中的金额“{written}”（{when}{anchor.label}）与台账不符，台账为 {expected}"
        return [Problem(msg, place=p.place, field=p.field)]
    if value in everything:
        return []
    msg = f"叙述中的金额“{written}”在台账中找不到对应的数，请核对（或在台账中补记）"
    return [Problem(msg, place=p.place, field=p.field, severity="warning")]


# --- scores, grades, staffing, self-reference, numbering ----------------------------------

TOTAL_SCORE = re.compile(
    r"(?:总分|总得分|综合得分|实得|最终得分|评价得分|得分为)[^。；\d]{0,12}?(?P<num>\d+(?:\.\d+)?)\s*分"
)
SENTENCE_END = re.compile(r"[。；]")
GRADE_WORDS = ("等级", "等次", "评为", "评定", "总分")
GRADE = re.compile(
    r"(?:评为|评定为|等级为|等次为)[“\"「『]?(?P<label>[^”\"」』，。；\s]{1,6}?)[”\"」』]?(?:等级|等次|[，。；]|$)"
)


def score_problems(card: Scorecard, items: Iterable[Passage]) -> list[Problem]:
    """A stated total score or grade must be the scorecard's."""
    labels = {b.label for b in card.band_set.bands}
    allowed = {card.total.normalize(), card.score100.normalize()}
    out = []
    for p in items:
        for m in TOTAL_SCORE.finditer(p.text) if "分" in p.text else ():  # a stated total ends in 分
            if Decimal(m["num"]).normalize() not in allowed:
                msg = f"叙述中的总分“{m.group(0)}”与评分表总分 {fmt2(card.total)} 分不符"
                out.append(Problem(msg, place=p.place, field=p.field))
        # A passage without a grade word states no grade (GRADE and every grade sentence hold one).
        if any(word in p.text for word in GRADE_WORDS):
            out.extend(_grade_problems(card, labels, p))
    return out


def _grade_problems(card: Scorecard, labels: set[str], p: Passage) -> list[Problem]:
    stated = {m["label"] for m in GRADE.finditer(p.text) if m["label"] in labels}
    for sentence in _grade_sentences(p.text):
        stated.update(
            label
            for label in labels
            if len(label) > 1
            and label in sentence
            and label not in card.grade
            and not _within_band_text(sentence, label)
        )
    return [
        Problem(f"叙述中的等级“{label}”与评分表等级“{card.grade}”不符", place=p.place, field=p.field)
        for label in sorted(stated - {card.grade})
    ]


def _grade_sentences(text: str) -> list[str]:
    """The sentences (up to 。 or ；) that speak of a grade or the total.  A split, not a regex
    scanning for the word from every position: that took time quadratic in a sentence's length."""
    return [s for s in SENTENCE_END.split(text) if any(word in s for word in GRADE_WORDS)]


def _within_band_text(sentence: str, label: str) -> bool:
    """A band listing (优秀[90，100]；良好[80，90)…) names every label: not a stated grade."""
    return re.search(re.escape(label) + r"\s*[\[［(（]\s*\d", sentence) is not None


STAFFING = (
    (re.compile(r"编制\s*(\d+)\s*[名人个]"), "authorized", "编制"),
    (re.compile(r"实有(?:人数|人员)?\s*(\d+)\s*[名人]"), "actual", "实有人数"),
    (re.compile(r"(\d+)\s*名(?:专业)?技术人员"), "technical", "专业技术人员"),
)
STAFFING_WORDS = ("编制", "实有", "技术人员")  # one of them is in every STAFFING pattern


def staffing_problems(case: Case, items: Iterable[Passage]) -> list[Problem]:
    staffing = case.project.unit.staffing
    out = []
    for p in (p for p in items if any(word in p.text for word in STAFFING_WORDS)):
        for pattern, attr, label in STAFFING:
            recorded = getattr(staffing, attr)
            for m in pattern.finditer(p.text):
                if recorded is not None and int(m[1]) != recorded:
                    msg = f"叙述中的{label}“{m.group(0)}”与项目单位人员情况（{label} {recorded}）不符"
                    out.append(Problem(msg, place=p.place, field=p.field))
    return out


SELF_REFERENCES = ("我单位", "我公司", "我所", "我中心", "我院", "我机构", "本机构", "本公司")


def self_reference_problems(case: Case, items: Iterable[Passage]) -> list[Problem]:
    """The evaluator names itself one way throughout (the seed mixes 我单位 and 我公司)."""
    expected = case.evaluation.evaluator.self_reference
    out = []
    for p in items:
        for word in SELF_REFERENCES:
            if word != expected and word in p.text:
                msg = f"评价机构自称“{word}”，与评价记录设定的“{expected}”不一致，全文应统一"
                out.append(Problem(msg, place=p.place, field=p.field, severity="warning"))
    return out


NUMBERING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+\s*[、.．])")


def numbering_problems(items: Iterable[Passage]) -> list[Problem]:
    """A title that carries its own number would be numbered twice (and may mix （1） with （二））:
    the templates number titles themselves (一、（一）1.（1））."""
    out = []
    for p in items:
        m = NUMBERING.match(p.text) if p.field == "title" else None
        if m:
            msg = f"标题自带编号“{m.group(0).strip()}”；报告模板按 一、（一）1.（1） 自动编号，请删去"
            out.append(Problem(msg, place=p.place, field=p.field, severity="warning"))
    return out


# --- the checks of one passage at a time, remembered -------------------------------------------


class PassageMemo(Protocol):
    """Where a caller keeps the passages' findings between checks, by the identity of what they
    are checked against (``workbench.caching``)."""

    def get(self, objects: tuple[Any, ...]) -> Any: ...
    def put(self, objects: tuple[Any, ...], value: Any) -> Any: ...


Found = tuple[list[Problem], list[Problem], list[Problem], list[Problem]]


def passage_problems(case: Case, items: list[Passage], memo: PassageMemo | None = None) -> Found:
    """``amount_problems``, ``staffing_problems``, ``self_reference_problems`` and
    ``numbering_problems`` of ``items``, each in passage order.  A passage's findings depend only
    on its text and place, the ledger as decided, the project and the evaluator: ``memo`` keeps
    them, for those parts (by identity), by the identity of each text — a save changes one
    indicator's texts, and the rest are not read again."""
    ev = case.evaluation
    parts = (case.ledger, ev.ledger_decisions, case.project, ev.evaluator)
    kept: dict[int, Any] = (memo.get(parts) if memo is not None else None) or {}
    figures: list[dict[str, set[Decimal]]] = []  # the ledger's figures, worked out when first needed
    seen: dict[int, Any] = {}
    out: Found = ([], [], [], [])
    for p in items:
        found = kept.get(id(p.text))  # the entry holds its text: the id is not reused meanwhile
        if found is None or found[0] is not p.text or found[1] != (p.place, p.field):
            found = (p.text, (p.place, p.field), _one_passage(case, p, figures))
        seen[id(p.text)] = found
        for bucket, problems in zip(out, found[2], strict=True):
            bucket.extend(problems)
    if memo is not None:
        memo.put(parts, seen)  # only the passages of now: a text edited away is let go
    return out


def _one_passage(case: Case, p: Passage, figures: list[dict[str, set[Decimal]]]) -> Found:
    amounts: list[Problem] = []
    if "元" in p.text:
        if not figures:
            figures.append(ledger_figures(case.decided_ledger))
        amounts = _amounts(figures[0], [p])
    return amounts, staffing_problems(case, [p]), self_reference_problems(case, [p]), numbering_problems([p])
