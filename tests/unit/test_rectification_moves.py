"""The 整改 item's moves, case by case (pure: who and when are passed in), and the deadline
types as the data file gives them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from workbench.domain import rectification as r
from workbench.domain.rectification import RectificationItem
from workbench.errors import Conflict, InvalidInput
from workbench.formats.rectification_rules import load_rectification_rules

AT = datetime(2019, 7, 1, 9, 0, tzinfo=UTC)
RULES = load_rectification_rules()


def item(status: str = "已下达", **extra: object) -> RectificationItem:
    fields: dict[str, object] = {
        "deadline": date(2020, 6, 1),
        **extra,
    }
    return RectificationItem(
        id="e2018-F1",
        project="p",
        source_evaluation="e2018",
        source_year=2018,
        evaluation="e2019",
        finding="F1",
        title="后期维护与管理有待加强",
        kind="短期",
        responsible_unit="市电子政务管理办公室",
        issued=date(2019, 6, 1),
        status=status,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def ask(i: RectificationItem) -> RectificationItem:
    return r.request_extension(i, date(2020, 12, 31), "招聘周期长", "王填报", AT)


MOVES = {
    "start": lambda i: r.start(i, "王填报", AT),
    "ask": ask,
    "approve": lambda i: r.decide_extension(i, True, "", "张评价", AT),
    "return": lambda i: r.decide_extension(i, False, "理由不充分", "张评价", AT),
    "done": lambda i: r.report_done(i, "已配备专人", ["EV3 运维制度.pdf"], "王填报", AT),
    "send_back": lambda i: r.send_back(i, "佐证不足", "张评价", AT),
    "close": lambda i: r.close(i, "张评价", AT),
    "edit": lambda i: r.edit(i, RULES, "张评价", AT, measures="配齐人员"),
}
# Which move each status allows, and the status it leads to (absent: refused with Conflict).
TABLE = {
    ("已下达", "start"): "整改中",
    ("已下达", "ask"): "申请延期",
    ("已下达", "done"): "已整改",
    ("已下达", "edit"): "已下达",
    ("整改中", "ask"): "申请延期",
    ("整改中", "done"): "已整改",
    ("整改中", "edit"): "整改中",
    ("申请延期", "approve"): "整改中",
    ("申请延期", "return"): "整改中",
    ("申请延期", "edit"): "申请延期",
    ("已整改", "send_back"): "整改中",
    ("已整改", "close"): "销号",
}


@pytest.mark.parametrize("status", r.STATUSES)
@pytest.mark.parametrize("move", list(MOVES))
def test_each_status_allows_only_its_moves_and_each_move_is_recorded(status, move):
    before = item(status, extension_until=date(2020, 12, 31) if status == "申请延期" else None)
    after = TABLE.get((status, move))
    if after is None:
        with pytest.raises(Conflict, match=f"当前为“{status}”"):
            MOVES[move](before)
        return
    moved = MOVES[move](before)
    assert moved.status == after
    assert (moved.history[-1].before, moved.history[-1].after, moved.history[-1].at) == (status, after, AT)
    assert before.history == []  # the item given is never changed


def test_an_approved_extension_moves_the_deadline_and_a_returned_one_keeps_it_with_the_reason():
    asked = ask(r.start(item(), "王填报", AT))
    assert (asked.status, asked.extension_until, asked.deadline) == (
        "申请延期",
        date(2020, 12, 31),
        date(2020, 6, 1),
    )
    approved = r.decide_extension(asked, True, "同意", "张评价", AT)
    assert (approved.deadline, approved.history[-1].action) == (date(2020, 12, 31), "批准延期")
    returned = r.decide_extension(asked, False, "理由不充分", "张评价", AT)
    assert (returned.deadline, returned.extension_until) == (date(2020, 6, 1), None)
    assert (returned.history[-1].action, returned.history[-1].reason) == ("退回延期", "理由不充分")


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (lambda i: r.decide_extension(ask(i), False, "  ", "张评价", AT), "请填写退回理由"),
        (lambda i: r.request_extension(i, date(2021, 1, 1), "", "王填报", AT), "请填写延期理由"),
        (
            lambda i: r.request_extension(i, date(2020, 6, 1), "原因", "王填报", AT),
            "应晚于现在的期限 2020-06-01",
        ),
        (lambda i: r.report_done(i, "", ["EV1 a.pdf"], "王填报", AT), "请填写整改情况"),
        (lambda i: r.report_done(i, "已整改", [" ", ""], "王填报", AT), "请至少选择或上传一份佐证材料"),
        (lambda i: r.report_done(i, "已整改", [f"EV{n}" for n in range(21)], "王填报", AT), "最多 20 份"),
        (lambda i: r.report_done(i, "字" * 5001, ["EV1"], "王填报", AT), "整改情况过长"),
        (lambda i: r.edit(i, RULES, "张评价", AT, responsible_unit=""), "请填写责任单位"),
    ],
)
def test_a_move_without_what_it_needs_is_refused_in_chinese(move, message):
    with pytest.raises(InvalidInput, match=message):
        move(item())


def test_a_reported_result_keeps_the_progress_and_each_evidence_once():
    done = r.report_done(item(), " 已配备专人 ", ["EV3 制度.pdf", "EV3 制度.pdf", "纸质台账"], "王填报", AT)
    assert (done.progress, done.evidence) == ("已配备专人", ["EV3 制度.pdf", "纸质台账"])
    assert done.history[-1].evidence == ["EV3 制度.pdf", "纸质台账"]


def test_a_new_type_recomputes_the_deadline_from_the_issue_date_and_other_edits_keep_it():
    quick = r.edit(item(), RULES, "张评价", AT, kind="立行立改")
    assert quick.deadline == date(2019, 7, 31)
    long = r.edit(item(), RULES, "张评价", AT, kind="长期")
    assert long.deadline == date(2022, 6, 1)
    kept = r.edit(item(deadline=date(2020, 12, 31)), RULES, "张评价", AT, measures="配齐人员")
    assert (kept.deadline, kept.measures) == (date(2020, 12, 31), "配齐人员")
    with pytest.raises(InvalidInput, match="未知的整改类型“中期”，应为：立行立改、短期、长期"):
        r.edit(item(), RULES, "张评价", AT, kind="中期")


@pytest.mark.parametrize(
    ("kind", "issued", "deadline"),
    [
        ("立行立改", date(2019, 6, 1), date(2019, 7, 31)),
        ("短期", date(2019, 6, 1), date(2020, 6, 1)),
        ("短期", date(2020, 2, 29), date(2021, 2, 28)),  # no 29 February next year: its last day
        ("长期", date(2019, 6, 1), date(2022, 6, 1)),
    ],
)
def test_the_shipped_deadline_types_give_60_days_one_year_and_three_years(kind, issued, deadline):
    assert RULES.kind(kind).deadline(issued) == deadline
    assert RULES.default_kind == "短期"
    assert [k.period for k in RULES.kinds] == ["60 日", "1 年", "3 年"]


@pytest.mark.parametrize("status", r.STATUSES)
def test_an_item_is_overdue_only_while_open_and_past_its_deadline(status):
    open_item = item(status)
    assert not open_item.overdue(date(2020, 6, 1))
    assert open_item.overdue(date(2020, 6, 2)) == (status in r.OPEN)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("default_kind: 短期\nkinds:\n  - name: 短期\n", "days（天数）或 months（月数），二者取一"),
        ("default_kind: 中期\nkinds:\n  - name: 短期\n    days: 30\n", "默认整改类型“中期”不在整改类型"),
        ("default_kind: 短期\nkinds:\n  - name: 短期\n    days: 99999\n", "rectification.yaml"),
        ("default_kind: 短期\nkinds: []\n", "rectification.yaml"),
    ],
)
def test_a_broken_deadline_file_is_refused_naming_the_file(tmp_path: Path, text, message):
    (tmp_path / "rectification.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as refused:
        load_rectification_rules(tmp_path)
    assert "rectification.yaml" in str(refused.value)
