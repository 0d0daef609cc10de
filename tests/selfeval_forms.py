"""Small factories for self-evaluation forms (pure models, no files)."""

from __future__ import annotations

from decimal import Decimal

from workbench.domain.funds import Funds, FundsLine
from workbench.domain.grading import Band, BandSet
from workbench.domain.indicators import CompositionRule
from workbench.domain.selfeval import SelfEvalRow, SelfEvaluation

D = Decimal
BANDS = BandSet(
    id="mof-2020",
    name="优良中差",
    bands=[
        Band(label="优", min=D(90)),
        Band(label="良", min=D(80)),
        Band(label="中", min=D(60)),
        Band(label="差", min=D(0)),
    ],
)
SELF_RULES = [
    CompositionRule(names=["预算执行率"], equals=D(10)),
    CompositionRule(names=["产出指标"], equals=D(50)),
    CompositionRule(names=["效益指标"], equals=D(30)),
    CompositionRule(names=["满意度指标"], equals=D(10)),
]


def row(
    l2: str, l3: str, target: str, actual: str, weight: int | str, score: str | None = None, **kw
) -> SelfEvalRow:
    level1 = kw.pop("level1", "产出指标")
    return SelfEvalRow(
        level1=level1,
        level2=l2,
        level3=l3,
        target=target,
        actual=actual,
        weight=D(weight),
        score=None if score is None else D(score),
        **kw,
    )


def funds(budget: str = "100", executed: str = "95") -> Funds:
    line = FundsLine(initial=D(budget), budget=D(budget), executed=D(executed))
    return Funds(total=line, current=line, weight=D(10))


def form(*rows: SelfEvalRow, money: Funds | None = None) -> SelfEvaluation:
    return SelfEvaluation(project="示例项目", year=2023, funds=money or funds(), rows=list(rows))


def standard_form() -> SelfEvaluation:
    return form(
        row("数量指标", "新建虚拟机", "≥160台", "160台", 20),
        row("质量指标", "验收合格率", "100%", "100%", 15),
        row("时效指标", "按期完成", "按期完成", "达成", 10),
        row("成本指标", "建设成本", "≤1835万元", "1835万元", 5),
        row("社会效益指标", "集中办理事项", "≥300项", "300项", 20, level1="效益指标"),
        row("生态效益指标", "", "", "", 0, level1="效益指标", not_applicable=True),
        row(
            "可持续影响指标",
            "持续运行",
            "持续运行",
            "部分达成",
            10,
            "7",
            level1="效益指标",
            deviation="运维无专人",
        ),
        row("服务对象满意度指标", "群众满意度", "≥90%", "85%", 10, level1="满意度指标"),
    )
