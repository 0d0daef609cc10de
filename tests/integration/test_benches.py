"""Every benchmark under bench/ still runs and prints the figures the closing notes quote (tiny
sizes here: these check that a bench has not rotted, never how fast anything is)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize(
    ("args", "figures"),
    [
        (
            ("bench/bench_scoring_page.py", "--runs", "3"),
            [
                "trivial one-line page",
                "Yiyang (24 leaves)",
                "synthetic (120 leaves)",
                "× edit floor",
                "service alone",
            ],
        ),
        (
            ("bench/storage_load.py", "--runs", "3"),
            ["load (get_case)", "load + save one score", "list_evaluations"],
        ),
        (
            ("bench/security.py", "--records", "200"),
            [
                "sign-in (argon2id",
                "check_session",
                "verify the chain",
                "export .xlsx",
                "restore into a new SQLite",
            ],
        ),
        (("bench/bench_report.py", "--repeat", "1"), ["seed", "mof2020"]),
        (("bench/bench_import_scores.py", "400", "1"), ["(target <= 1.20)", "default limit"]),
        (
            ("bench/cli_help.py", "--runs", "1"),
            ["python -c pass", 'python -c "import typer"', "two-command Typer --help", "target <= 500 ms"],
        ),
        (("bench/batch_reports.py", "--sizes", "2"), ["per report ms", "peak RSS", "(0 failed)"]),
    ],
    ids=["scoring_page", "storage_load", "security", "report", "import_scores", "cli_help", "batch_reports"],
)
def test_the_bench_runs_and_prints_its_figures(args, figures):
    out = run_bench(*args)
    for figure in figures:
        assert figure in out, out
