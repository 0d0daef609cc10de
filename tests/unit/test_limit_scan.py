"""Finding stored values outside the limits in a raw document, and what a repair puts instead."""

from __future__ import annotations

from decimal import Decimal

from workbench.domain.limit_scan import repaired, scan
from workbench.domain.limits import MAX_REASON, MAX_TEXT

DOC = {
    "total_investment": Decimal("1e999999"),
    "plan": [{"year": 2018, "amount": Decimal("1835.00")}],
    "deductions": [{"reason": "长" * (MAX_REASON + 1), "points": Decimal("1e15"), "items": None}],
    "note": "文" * (MAX_TEXT + 1),
    "rate": float("nan"),
    "count": 10**5000,
    "done": True,
}


def test_every_value_outside_the_limits_is_listed_with_its_field_and_nothing_else():
    found = {f.field: f for f in scan(DOC)}

    assert list(found) == [
        "总投资",
        "扣分事项·第1项·扣分理由",
        "扣分事项·第1项·扣分",
        "note",
        "rate",
        "count",
    ]
    assert found["总投资"].value == "1E+999999" and found["总投资"].problem.startswith("数字过大")
    assert found["rate"].problem == "不是有限的数字"
    assert found["count"].value == "约 5,000 位的整数"
    assert found["扣分事项·第1项·扣分理由"].value.endswith("（共 2,001 个字符）")


def test_a_repair_clears_numbers_and_cuts_texts_to_their_limit_and_leaves_the_rest():
    fixed = repaired(DOC, scan(DOC))

    assert scan(fixed) == []
    assert fixed["total_investment"] == 0 and fixed["deductions"][0]["points"] == 0
    assert fixed["deductions"][0]["reason"] == "长" * MAX_REASON and len(fixed["note"]) == MAX_TEXT
    assert fixed["plan"] == DOC["plan"] and fixed["done"] is True and fixed["deductions"][0]["items"] is None
    assert DOC["total_investment"] == Decimal("1e999999")  # the original is left as it was
