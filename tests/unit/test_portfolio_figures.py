"""The pure figures of 绩效评价总览 and the names of a batch's files."""

from __future__ import annotations

from decimal import Decimal

from workbench.domain.ledger import Ledger
from workbench.domain.portfolio import (
    PortfolioRow,
    by_department,
    grade_distribution,
    sorted_rows,
    year_money,
)
from workbench.errors import InvalidInput, Problem
from workbench.services.batch_reports import file_name, reason


def row(
    eid: str, score: str | None, grade: str, department: str = "甲局", arranged: str | None = "100"
) -> PortfolioRow:
    return PortfolioRow(
        eid, "", "p", "项目", department, 2024, None if score is None else Decimal(score), grade, "草稿",
        None if arranged is None else Decimal(arranged), None,
    )  # fmt: skip


def test_grades_are_counted_best_first_and_unscored_last_whatever_the_row_order():
    rows = [
        row("a", None, "未评分"),
        row("b", "58", "差"),
        row("c", "91", "优"),
        row("d", "85", "良"),
        row("e", "95", "优"),
    ]
    assert list(grade_distribution(rows).items()) == [("优", 2), ("良", 1), ("差", 1), ("未评分", 1)]


def test_sorting_by_score_or_money_puts_the_unknown_last():
    rows = [
        row("a", None, "未评分", arranged=None),
        row("b", "70", "中", arranged="900"),
        row("c", "80", "良"),
    ]
    assert [r.evaluation_id for r in sorted_rows(rows, "得分")] == ["c", "b", "a"]
    assert [r.evaluation_id for r in sorted_rows(rows, "评价资金")] == ["b", "c", "a"]


def test_a_department_mean_is_of_its_scored_rows_rounded_half_up():
    (line,) = by_department(
        [row("a", "80.005", "良"), row("b", "80", "良"), row("c", None, "未评分", arranged=None)]
    )
    assert (line.count, line.scored, line.mean_score, line.arranged) == (3, 2, Decimal("80.00"), Decimal(200))


def test_money_of_a_year_without_funds_or_lines_is_unknown():
    ledger = Ledger.model_validate({"total_investment": 10, "years": [{"year": 2024, "arranged": 8}]})
    assert year_money(ledger, 2024) == (Decimal(8), None) and year_money(ledger, 2023) == (None, None)


def test_file_names_keep_letters_and_chinese_replace_the_rest_and_never_repeat():
    taken: set[str] = set()
    odd = row("../评价 1/..", "80", "良")
    assert file_name(odd, taken) == "2024_评价_1.docx"
    assert file_name(odd, taken) == "2024_评价_1_2.docx"
    assert file_name(row("...", "80", "良"), taken) == "2024_评价.docx"


def test_the_reason_of_a_refused_report_starts_with_the_summary_and_counts_the_rest():
    problems = [Problem(f"错误{i}") for i in range(5)] + [Problem("报告未生成：检查发现 5 个错误")]
    assert reason(InvalidInput(problems)) == "报告未生成：检查发现 5 个错误；错误0；错误1；另有 3 个错误"
