"""A published score table (评分表 or 自评表) as read from a sheet: rows, tree, totals, checks.

Kept as plain slotted records, not pydantic models, so a sheet of 100,000 rows is checked in a
fraction of a second; ``to_system`` and ``to_evaluation`` turn it into the workbench's own
``IndicatorSystem`` and ``Evaluation`` when the app or the CLI needs them.

Imported scores become the ``manual`` rule: the leaf's 分值 less one deduction of 分值 − 得分 that
carries the table's 扣分理由 (or 偏差原因分析及改进措施).  The evaluator can later edit them like any
manual score; no new rule kind is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from workbench.domain.base import HUNDRED, fmt2, q2
from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.funds import EXECUTION, Funds
from workbench.domain.grading import BandSet
from workbench.domain.indicators import CompositionRule, Indicator, IndicatorSystem
from workbench.domain.rules import Deduction, ManualRule, Rule
from workbench.errors import Problem

ZERO = Decimal(0)
NA_REASON = "评分表中标为“/”（不适用）"


@dataclass(slots=True)
class TableRow:
    row: int  # Excel row number
    names: tuple[str, ...]  # 一级, 二级[, 三级]
    weight: Decimal
    score: Decimal | None  # None: left blank (not scored)
    not_applicable: bool = False
    explanation: str = ""
    criteria: str = ""
    target: str = ""  # 年度指标值
    actual: str = ""  # 实际完成值
    reason: str = ""  # 扣分理由 / 偏差原因分析及改进措施

    @property
    def counted(self) -> Decimal:
        """The score that enters the recomputed total: capped at the weight, 0 when not scored."""
        if self.not_applicable or self.score is None:
            return ZERO
        return min(self.score, self.weight)


@dataclass(slots=True)
class TableNode:
    code: str
    name: str
    level: int
    row: int
    weight: Decimal = ZERO
    score: Decimal = ZERO
    applicable: Decimal = ZERO
    leaf: TableRow | None = None
    children: list[TableNode] = field(default_factory=list)

    def walk(self) -> Iterator[TableNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ScoreTable:
    file: str
    sheet: str
    rows: list[TableRow]
    reason_label: str = "扣分理由"
    title: str = ""
    stated_total: Decimal | None = None
    stated_total_weight: Decimal | None = None
    total_row: int | None = None
    rows_after_total: list[int] = field(default_factory=list)  # content below 总分, shown, not read
    subtotals: list[tuple[int, str, Decimal | None, Decimal | None]] = field(
        default_factory=list
    )  # 小计 rows
    funds: Funds | None = None
    funds_row: int | None = None
    goals: tuple[str, str] | None = None  # (预期目标, 实际完成情况)
    info: dict[str, str] = field(default_factory=dict)  # 项目名称, 主管部门, 实施单位 above the table
    year: int | None = None
    expected_total: Decimal = HUNDRED
    notes: list[Problem] = field(default_factory=list)  # what the reader did (formulas, rows skipped)
    named_weights: dict[tuple[str, ...], tuple[int, Decimal]] = field(default_factory=dict)  # “产出(50分)”
    _nodes: list[TableNode] | None = None
    _tree_problems: list[Problem] = field(default_factory=list)

    # --- the tree ------------------------------------------------------------------------

    @property
    def nodes(self) -> list[TableNode]:
        if self._nodes is None:
            self._nodes = self._build()
        return self._nodes

    def walk(self) -> Iterator[TableNode]:
        for node in self.nodes:
            yield from node.walk()

    def leaf_rows(self) -> list[TableRow]:
        """The indicator rows, after the 执行率 row the 项目资金 block stands for (if any)."""
        execution = self._execution_row()
        return [execution, *self.rows] if execution is not None else list(self.rows)

    def _execution_row(self) -> TableRow | None:
        if self.funds is None or any(r.names[0] == EXECUTION[0] for r in self.rows):
            return None
        got = self.funds.stated_score
        if got is None:
            outcome = self.funds.outcome()
            got = outcome.score if outcome else None
        return TableRow(
            self.funds_row or 0, EXECUTION, self.funds.weight, got, criteria="执行率 × 分值，最高得满分"
        )

    def _build(self) -> list[TableNode]:
        tops: list[TableNode] = []
        groups: dict[tuple[str, ...], TableNode] = {}
        last_key: tuple[str, ...] = ()
        last = TableNode("", "", 0, 0)
        for row in self.leaf_rows():
            key = row.names[:-1]
            if key != last_key:
                last, last_key = _parent(row.names, groups, tops), key
            siblings = last.children
            node = TableNode(
                f"{last.code}.{len(siblings) + 1}", row.names[-1], len(row.names), row.row, leaf=row
            )
            node.weight, node.score = row.weight, row.counted
            node.applicable = ZERO if row.not_applicable else row.weight
            siblings.append(node)
        self._drop_clashes(groups)
        for node in tops:
            _roll_up(node)
        return tops

    def _drop_clashes(self, groups: dict[tuple[str, ...], TableNode]) -> None:
        """A leaf whose names are also a group's (it has sub-indicators) cannot be scored itself."""
        for node in groups.values():
            bad = [(c, c.leaf) for c in node.children if c.leaf is not None and c.leaf.names in groups]
            for child, leaf in bad:
                node.children.remove(child)
                self._tree_problems.append(self._clash(leaf, leaf.names))

    def _clash(self, row: TableRow, key: tuple[str, ...]) -> Problem:
        return Problem(
            f"指标“{'／'.join(key)}”既作为末级指标填写了分值，又有下级指标",
            file=self.file,
            place=self.place(row.row),
        )

    # --- totals ----------------------------------------------------------------------------

    @property
    def weight_total(self) -> Decimal:
        return sum((n.weight for n in self.nodes), ZERO)

    @property
    def stated_sum(self) -> Decimal:
        """Sum of the scores as the table states them (uncapped): what its total should say."""
        return sum((r.score for r in self.leaf_rows() if r.score is not None and not r.not_applicable), ZERO)

    @property
    def total(self) -> Decimal:
        """Recomputed total: each score capped at its weight, '/' rows excluded."""
        return q2(sum((n.score for n in self.nodes), ZERO))

    @property
    def applicable_total(self) -> Decimal:
        return sum((n.applicable for n in self.nodes), ZERO)

    def score100(self) -> Decimal:
        applicable = self.applicable_total
        return q2(self.total / applicable * HUNDRED) if applicable else ZERO

    def grade(self, bands: BandSet) -> str:
        return bands.grade(self.score100())

    # --- checks ----------------------------------------------------------------------------

    def place(self, row: int | None) -> str:
        return f"工作表「{self.sheet}」第 {row} 行" if row else f"工作表「{self.sheet}」"

    def problems(
        self, composition: list[CompositionRule] | None = None, funds_rule: Rule | None = None
    ) -> list[Problem]:
        """Every inconsistency of the table, rows first, then totals and structure."""
        nodes = self.nodes
        out = list(self._tree_problems)
        out.extend(self._row_problems())
        out.extend(self._total_problems())
        out.extend(self._subtotal_problems())
        out.extend(self._named_weight_problems())
        if composition and nodes:
            tops = [Indicator(code=n.code, name=n.name, weight=n.weight) for n in nodes]
            system = IndicatorSystem(id="import", name="导入", composition=composition, indicators=tops)
            out.extend(p.with_file(self.file) for p in system.composition_problems())
        if self.funds is not None:
            place = self.place(self.funds_row)
            for p in self.funds.problems(funds_rule):
                out.append(
                    Problem(p.message, file=self.file, place=place, field=p.field, severity=p.severity)
                )
        out.extend(self.notes)
        return out

    def _row_problems(self) -> list[Problem]:
        out = []
        for r in self.rows:
            if r.not_applicable:
                continue
            if r.score is None:
                msg = "得分为空（尚未评分）；不适用的指标请填“/”"
                out.append(
                    Problem(msg, file=self.file, place=self.place(r.row), field="得分", severity="warning")
                )
            elif r.score > r.weight:
                msg = f"得分 {fmt2(r.score)} 高于分值 {fmt2(r.weight)}（重算总分按 {fmt2(r.weight)} 计）"
                out.append(Problem(msg, file=self.file, place=self.place(r.row), field="得分"))
        return out

    def _total_problems(self) -> list[Problem]:
        out = []
        if self.rows_after_total:
            first, last = self.rows_after_total[0], self.rows_after_total[-1]
            span = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
            msg = f"总分行之后还有 {len(self.rows_after_total)} 行内容（{span}），未作为指标读取（如为备注、签字可忽略）"
            out.append(Problem(msg, file=self.file, place=self.place(self.total_row), severity="info"))
        weights = self.weight_total
        if weights != self.expected_total:
            gap = fmt2(weights - self.expected_total)
            msg = f"各指标分值合计 {fmt2(weights)}，应为 {fmt2(self.expected_total)}（相差 {gap}）"
            out.append(Problem(msg, file=self.file, field="分值"))
        place = self.place(self.total_row)
        if self.stated_total_weight is not None and self.stated_total_weight != weights:
            msg = f"总分行的分值 {fmt2(self.stated_total_weight)}，与各指标分值合计 {fmt2(weights)} 不一致"
            out.append(Problem(msg, file=self.file, place=place, field="分值"))
        if self.stated_total is not None and q2(self.stated_total) != q2(self.stated_sum):
            gap = fmt2(self.stated_total - self.stated_sum)
            msg = f"表列总分 {fmt2(self.stated_total)}，与各指标得分合计 {fmt2(self.stated_sum)} 不一致（相差 {gap}）"
            out.append(Problem(msg, file=self.file, place=place, field="得分"))
        return out

    def paths(self) -> Iterator[tuple[tuple[str, ...], TableNode]]:
        """Every node with its name path (一级, 二级, ...)."""
        stack: list[tuple[tuple[str, ...], TableNode]] = [((n.name,), n) for n in reversed(self.nodes)]
        while stack:
            path, node = stack.pop()
            yield path, node
            stack.extend(((*path, c.name), c) for c in reversed(node.children))

    def _named_weight_problems(self) -> list[Problem]:
        """A weight written in an indicator's name (“产出指标(50分)”) must be its 分值 (for a group:
        the sum beneath it); the name is matched without it."""
        if not self.named_weights:
            return []
        out = []
        stripped = []
        for path, node in self.paths():
            found = self.named_weights.get(path)
            if found is None:
                continue
            row, stated = found
            stripped.append(f"“{node.name}（{fmt2(stated)}分）”")
            if q2(stated) != q2(node.weight):
                what = "分值" if node.leaf is not None else "其下各指标分值合计"
                msg = f"指标名称写明“{node.name}”{fmt2(stated)} 分，与{what} {fmt2(node.weight)} 不一致"
                out.append(Problem(msg, file=self.file, place=self.place(row), field="分值"))
        if stripped:
            msg = f"指标名称中的分值已去掉后再按名称归并、核对结构要求：{'、'.join(stripped[:8])}"
            out.append(Problem(msg, file=self.file, place=self.place(None), severity="info"))
        return out

    def _subtotal_problems(self) -> list[Problem]:
        """A 小计 row must state its level-1 indicator's 分值 and the sum of the scores beneath."""
        weights: dict[str, Decimal] = {}
        scores: dict[str, Decimal] = {}
        for r in self.leaf_rows():
            top = r.names[0]
            weights[top] = weights.get(top, ZERO) + r.weight
            if r.score is not None and not r.not_applicable:
                scores[top] = scores.get(top, ZERO) + r.score
        out = []
        for row, name, weight, score in self.subtotals:
            place = self.place(row)
            if name not in weights:
                out.append(Problem(f"小计行找不到对应的一级指标“{name}”", file=self.file, place=place))
                continue
            for label, stated, summed in (
                ("分值", weight, weights[name]),
                ("得分", score, scores.get(name, ZERO)),
            ):
                if stated is not None and q2(stated) != q2(summed):
                    msg = f"“{name}”小计{label} {fmt2(stated)}，与其下各指标{label}合计 {fmt2(summed)} 不一致"
                    out.append(Problem(msg, file=self.file, place=place, field=label))
        return out

    # --- into the workbench's own models ----------------------------------------------------

    def to_system(
        self, system_id: str, name: str, composition: list[CompositionRule] | None = None
    ) -> IndicatorSystem:
        rule = ManualRule()
        tops = [_indicator(n, rule) for n in self.nodes]
        return IndicatorSystem(
            id=system_id,
            name=name,
            framework=f"导入：{self.file}",
            note=f"由评分表 {self.file}（工作表「{self.sheet}」）导入",
            composition=composition or [],
            indicators=tops,
        )

    def to_evaluation(
        self, evaluation_id: str, project: str, system_id: str, bands: str, year: int
    ) -> Evaluation:
        scores = {}
        for node in self.walk():
            if node.leaf is not None and (node.leaf.score is not None or node.leaf.not_applicable):
                scores[node.code] = _indicator_score(node.leaf, self.file, self.reason_label)
        return Evaluation(
            id=evaluation_id,
            project=project,
            system=system_id,
            bands=bands,
            year=year,
            title=self.title,
            na_policy="exclude",
            reconstructed=f"得分导入自评分表 {self.file}（工作表「{self.sheet}」）",
            scores=scores,
        )


def _parent(
    names: tuple[str, ...], groups: dict[tuple[str, ...], TableNode], tops: list[TableNode]
) -> TableNode:
    """The group node a row hangs under, created on first sight."""
    siblings, code = tops, ""
    node: TableNode | None = None
    for depth in range(1, len(names)):
        key = names[:depth]
        node = groups.get(key)
        if node is None:
            node = TableNode(
                f"{code}.{len(siblings) + 1}" if code else str(len(siblings) + 1), key[-1], depth, 0
            )
            groups[key] = node
            siblings.append(node)
        siblings, code = node.children, node.code
    assert node is not None
    return node


def _roll_up(node: TableNode) -> None:
    """Group totals from their children (leaves already carry theirs)."""
    kids = node.children
    for child in kids:
        if child.leaf is None:
            _roll_up(child)
    node.weight = sum([c.weight for c in kids], ZERO)
    node.score = sum([c.score for c in kids], ZERO)
    node.applicable = sum([c.applicable for c in kids], ZERO)
    node.row = kids[0].row if kids else node.row


def _indicator(node: TableNode, rule: Rule) -> Indicator:
    row = node.leaf
    if row is None:
        return Indicator(
            code=node.code,
            name=node.name,
            weight=node.weight,
            children=[_indicator(c, rule) for c in node.children],
        )
    criteria = row.criteria
    if row.target:
        criteria = f"{criteria}（年度指标值：{row.target}）" if criteria else f"年度指标值：{row.target}"
    return Indicator(
        code=node.code,
        name=node.name,
        weight=row.weight,
        explanation=row.explanation,
        criteria=criteria,
        rule=rule,
    )


def _indicator_score(row: TableRow, file: str, reason_label: str) -> IndicatorScore:
    source = f"{file} 第 {row.row} 行"
    if row.not_applicable:
        return IndicatorScore(not_applicable=True, na_reason=NA_REASON)
    assert row.score is not None
    notes = []
    if row.actual:
        notes.append(f"实际完成值：{row.actual}")
    if row.score > row.weight:
        notes.append(f"表列得分 {fmt2(row.score)} 高于分值 {fmt2(row.weight)}，按分值计")
    lost = row.weight - min(row.score, row.weight)
    if lost <= 0:
        if row.reason:
            notes.append(f"{reason_label}：{row.reason}")
        return IndicatorScore(rationale="；".join(notes))
    reason = row.reason or f"按导入评分表扣分（表中未写{reason_label}）"
    return IndicatorScore(
        deductions=[Deduction(reason=reason, points=lost, source=source)], rationale="；".join(notes)
    )
