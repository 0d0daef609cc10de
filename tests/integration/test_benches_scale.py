"""The benches of #16 (whole-process report, --help, scale, batch) still run and print the
figures the closing notes quote: tiny sizes, never how fast anything is.  A module of their own,
so that the suite's two workers share the bench runs."""

from __future__ import annotations

import pytest
from test_benches import run_bench

# The scale bench's smoke run: one page and one command are enough to show it still runs.
SCALE_SKIPPED = ",".join(
    [
        *("项目总览", "评分", "问题与建议", "报告", "新建评价", "领导看板", "审计日志"),
        *("workbench export-case ID", "workbench import-case (write one)", "workbench user list"),
    ]
)


@pytest.mark.parametrize(
    ("args", "figures"),
    [
        (("bench/report_process.py", "--runs", "1"), ["3 幅图", "python-docx floor script", "× floor"]),
        (
            ("bench/cli_help.py", "--runs", "1"),
            ["python -c pass", 'python -c "import typer"', "two-command Typer --help", "target <= 500 ms"],
        ),
        (
            (
                "bench/scale_data.py",
                "--out",
                "{tmp}/scale.db",
                "--projects",
                "2",
                "--years",
                "2",
                "--users",
                "3",
                "--audit",
                "40",
            ),
            ["projects and evaluations", "rows: evaluations 5, users 3, audit_log 41"],
        ),
        (
            ("bench/scale_pages.py", "--sizes", "1,9", "--runs", "1", "--skip", SCALE_SKIPPED),
            [
                "page 待办",
                "workbench cases",
                "copy_evaluation (service)",
                "(largest / shipped",
            ],
        ),
        (("bench/batch_reports.py", "--sizes", "2"), ["per report ms", "peak RSS", "(0 failed)"]),
    ],
    ids=["report_process", "cli_help", "scale_data", "scale_pages", "batch_reports"],
)
def test_the_bench_runs_and_prints_its_figures(args, figures, tmp_path):
    out = run_bench(*(a.format(tmp=tmp_path) for a in args))
    for figure in figures:
        assert figure in out, out
