"""An audit record's 修改前 / 修改后 read as words: only the fields that changed, in the trade's
names, values as people write them."""

from __future__ import annotations

from workbench.services.audit_text import change_text


def test_a_status_move_reads_as_the_field_and_its_two_values():
    assert change_text({"status": "定稿"}, {"status": "重新打开"}) == ("状态：定稿", "状态：重新打开")


def test_only_the_fields_that_changed_are_shown_with_yes_no_and_lists_in_words():
    before = {"display_name": "王复核", "role": "复核人", "projects": [], "active": True}
    after = {"display_name": "王复核", "role": "复核人", "projects": ["p1", "p2"], "active": False}

    assert change_text(before, after) == ("可访问项目：（空）；启用：是", "可访问项目：p1、p2；启用：否")


def test_a_new_score_is_listed_whole_and_a_long_reason_is_cut():
    score = {"deductions": [{"points": "1", "reason": "缺" * 200}], "not_applicable": False}

    before, after = change_text(None, score)

    assert before == "" and after.startswith("扣分事项：扣分 1，扣分理由 缺缺")
    assert "…（共" in after and "{" not in after and len(after) < 200
