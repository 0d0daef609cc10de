"""The 项目资金 block of a 自评表 (10号 附件2): budget figures and the 执行率 points they earn.

Columns 年初预算数 · 全年预算数 · 全年执行数 (万元), rows 年度资金总额 / 其中：当年财政拨款 /
上年结转资金 / 其他资金.  执行率 = 全年执行数 / 全年预算数 of 年度资金总额; its points come from
the scoring rule of the template's 预算执行率 indicator (a data fact), by default 执行率 × 分值
capped at 100 %.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from workbench.domain.base import HUNDRED, NonNegative, StrictModel, fmt2, q2
from workbench.domain.rules import Outcome, RateRule, Rule
from workbench.errors import Problem

FUNDS_LINES = {
    "total": "年度资金总额",
    "current": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
FUNDS_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}
EXECUTION = ("预算执行率", "年度资金总额执行率")  # the block as an indicator: level-1 name, leaf name


ROUNDING = "金额按填写值计算，执行率四舍五入保留两位小数显示"


def figure(value: Decimal | None) -> str:
    """An amount as written (89.974 stays 89.974, 90.0 shows as 90); “空” when blank."""
    if value is None:
        return "空"
    text = format(value.normalize(), "f")
    return text


def default_execution_rule() -> RateRule:
    """执行率 × 分值 capped at 100 %, for when the template's own rule is not at hand."""
    return RateRule(numerator_label="全年执行数", denominator_label="全年预算数")


class FundsLine(StrictModel):
    initial: NonNegative | None = None  # 年初预算数
    budget: NonNegative | None = None  # 全年预算数
    executed: NonNegative | None = None  # 全年执行数


class Funds(StrictModel):
    """Figures in 万元; ``weight`` is the block's 分值 (10 on the standard form)."""

    total: FundsLine = Field(default_factory=FundsLine)
    current: FundsLine = Field(default_factory=FundsLine)
    carryover: FundsLine = Field(default_factory=FundsLine)
    other: FundsLine = Field(default_factory=FundsLine)
    weight: NonNegative = Decimal(10)
    stated_rate: Decimal | None = None  # 执行率 as written on a form (percent), checked, never trusted
    stated_score: Decimal | None = None  # 得分 as written on a form

    def lines_sum(self) -> FundsLine | None:
        """当年财政拨款 + 上年结转资金 + 其他资金, column by column (None: no line is filled)."""
        parts = (self.current, self.carryover, self.other)
        sums: dict[str, Decimal | None] = {}
        for key in FUNDS_COLUMNS:
            given = [getattr(p, key) for p in parts if getattr(p, key) is not None]
            sums[key] = sum(given, Decimal(0)) if given else None
        return FundsLine(**sums) if any(v is not None for v in sums.values()) else None

    def recomputed_from_lines(self) -> bool:
        """The 年度资金总额 row states no 全年预算数 (“0/0/0”, or blank) while its lines do: 执行率
        is then computed from the lines, as bureaus check it.  (Lines that merely do not add up
        to a filled total are a warning: which figure is right cannot be told.)"""
        lines = self.lines_sum()
        if lines is None or not lines.budget or lines.executed is None:
            return False
        return not self.total.budget

    def used_line(self) -> FundsLine:
        """The figures 执行率 is computed from: the 年度资金总额 row, or its lines' sum."""
        lines = self.lines_sum()
        return lines if lines is not None and self.recomputed_from_lines() else self.total

    def rate(self) -> Decimal | None:
        """执行率 in percent (exact), or None without a positive 全年预算数 and a 全年执行数."""
        line = self.used_line()
        if line.executed is None or not line.budget:
            return None
        return line.executed / line.budget * HUNDRED

    def outcome(self, rule: Rule | None = None) -> Outcome | None:
        """The points the figures earn under ``rule`` (default 执行率 × 分值, capped at 100 %)."""
        rate = self.rate()
        if rate is None:
            return None
        rule = rule or default_execution_rule()
        return rule.score(self.weight, rule.parse_inputs({"value": rate}))

    def problems(self, rule: Rule | None = None) -> list[Problem]:
        """Sub-lines that do not add up, and a stated 执行率 or 得分 the figures contradict."""
        out = self._recomputed_problem() if self.recomputed_from_lines() else self._sum_problems()
        rule = rule or default_execution_rule()
        rate, got = self.rate(), self.outcome(rule)
        if rate is None or got is None:
            if self.stated_score is not None:
                line = self.used_line()
                why = "全年预算数为 0" if line.budget == 0 else "缺少全年预算数或全年执行数"
                out.append(Problem(f"填写了执行率得分，但{why}，无法计算执行率核对", field="得分"))
            return out
        line = self.used_line()
        if self.stated_rate is not None and q2(self.stated_rate) != q2(rate):
            out.append(
                Problem(
                    f"执行率填写为 {q2(self.stated_rate)}%，按全年执行数 {figure(line.executed)} ÷ "
                    f"全年预算数 {figure(line.budget)} 计算应为 {q2(rate)}%（{ROUNDING}）",
                    field="执行率",
                )
            )
        if self.stated_score is not None and q2(self.stated_score) != got.score:
            out.append(
                Problem(
                    f"执行率得分填写为 {fmt2(self.stated_score)} 分，与预算数据不符：执行率 {q2(rate)}%，"
                    f"按“{rule.describe()}”应得 {fmt2(got.score)} 分",
                    field="得分",
                )
            )
        return out

    def _recomputed_problem(self) -> list[Problem]:
        lines, total = self.lines_sum(), self.total
        assert lines is not None
        shown = "/".join(figure(getattr(total, k)) for k in FUNDS_COLUMNS)
        summed = "/".join(figure(getattr(lines, k)) for k in FUNDS_COLUMNS)
        published = f"{q2(self.stated_rate)}%" if self.stated_rate is not None else "未填写"
        msg = (
            f"年度资金总额行填写为 {shown}（年初预算数/全年预算数/全年执行数，万元），与其下各行合计 {summed} 不一致；"
            f"执行率按各行合计重算：表列 {published}，重算为 {q2(self.rate() or Decimal(0))}%（{ROUNDING}）"
        )
        return [Problem(msg, field="年度资金总额")]

    def _sum_problems(self) -> list[Problem]:
        out = []
        parts = (self.current, self.carryover, self.other)
        for key, label in FUNDS_COLUMNS.items():
            whole = getattr(self.total, key)
            given = [getattr(p, key) for p in parts if getattr(p, key) is not None]
            if whole is None or not given:
                continue
            total = sum(given, Decimal(0))
            if total != whole:
                out.append(
                    Problem(
                        f"{label}：当年财政拨款、上年结转资金、其他资金合计 {fmt2(total)} 万元，"
                        f"与年度资金总额 {fmt2(whole)} 万元不一致",
                        field=label,
                        severity="warning",
                    )
                )
        return out
