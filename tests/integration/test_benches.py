"""Every benchmark under bench/ still runs and prints the figures the closing notes quote (tiny
sizes here: these check that a bench has not rotted, never how fast anything is)."""

from __future__ import annotations

import importlib.util
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
            ("bench/bench_scoring_page.py", "--runs", "1"),
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
    ],
    ids=[
        "scoring_page",
        "storage_load",
        "security",
        "report",
        "import_scores",
    ],
)
def test_the_bench_runs_and_prints_its_figures(args, figures, tmp_path):
    out = run_bench(*(a.format(tmp=tmp_path) for a in args))
    for figure in figures:
        assert figure in out, out


@pytest.mark.postgres
def test_the_load_bench_runs_on_postgresql_and_counts_no_lost_update(postgres_url):
    out = run_bench(
        "bench/load_save.py", "--database", postgres_url, "--users", "2", "--seconds", "2", "--workers", "1"
    )
    for figure in ("acknowledged saves", "refused as conflicts", "save latency ms: p50", "lost updates: 0"):
        assert figure in out, out
    assert "audit chain: verifies" in out, out


def test_the_load_bench_counts_two_acknowledged_saves_of_one_version_as_a_lost_update(monkeypatch):
    spec = importlib.util.spec_from_file_location("load_save", ROOT / "bench" / "load_save.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "load_save", bench)  # its dataclass looks itself up there
    spec.loader.exec_module(bench)
    key = ("e", "B11")
    before, after = {key: (3, "")}, {key: (4, "乙")}

    assert bench.lost_updates(before, after, [("e", "B11", 4, "甲"), ("e", "B11", 4, "乙")])  # one lost
    assert bench.lost_updates(before, after, [("e", "B11", 4, "甲")])  # stored text is not the saved one
    assert not bench.lost_updates(before, after, [("e", "B11", 4, "乙")])
