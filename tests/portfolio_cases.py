"""Many small evaluations in one database, for the portfolio and batch-report tests: synthetic
cases (``reports.synthetic``) of several departments and years, stored as an import stores them."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from actors import CLI

from workbench.domain.case import Case
from workbench.reports.synthetic import synthetic_case, synthetic_variant
from workbench.services import cases
from workbench.storage.uow import Database


@cache
def base_case() -> Case:
    return synthetic_case(2, 2, 3)  # 12 leaves, 83.36 points, 良


def store(db: Database, number: int, **variant) -> str:  # type: ignore[no-untyped-def]
    """Store ``synthetic_variant(number, **variant)``; returns its evaluation id."""
    case = synthetic_variant(base_case(), number, **variant)
    with db.uow() as uow:
        cases.store_case(uow, CLI, case, case.evaluation, "测试数据")
        uow.commit()
    return case.evaluation.id


# number: (department, year, arranged 万元, extra points lost) — totals 83.36 less the loss
PLAN = {
    1: ("市教育局", 2024, Decimal("500"), Decimal(0)),  # 83.36 良
    2: ("市教育局", 2024, Decimal("1250.5"), Decimal(5)),  # 78.36 中
    3: ("市卫生健康委", 2024, Decimal("300"), Decimal(0)),  # 83.36 良
    4: ("市卫生健康委", 2024, None, Decimal(25)),  # 58.36 差, arranged not recorded
    5: ("市教育局", 2023, Decimal("800"), Decimal(0)),  # another year
}


def store_plan(db: Database) -> dict[int, str]:
    return {
        n: store(db, n, department=d, year=y, arranged=a, extra_loss=lost)
        for n, (d, y, a, lost) in PLAN.items()
    }
