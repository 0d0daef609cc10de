"""Benchmark: `report --all` over N stored evaluations — time per report and peak memory.

    .venv/bin/python bench/batch_reports.py [--sizes 100 1000] [--charts]

For each N a child process fills a fresh SQLite file with N synthetic evaluations (12 leaves
each, ``reports.synthetic.synthetic_variant``, departments and money varying); another child,
which only makes the batch, opens it, reads the 总览 and writes every report and 报告清单.xlsx
with ``services.batch_reports.write_folder`` (as ``workbench report --all`` does).  That child
reports the time and peak memory of reading the 总览 (``list_evaluations`` and the projects),
then the time of the reports, its resident memory after the first report (warm: imports,
templates, fonts, the list) and its peak (``ru_maxrss``), and its memory every tenth of the way.

Targets (issue #16): time linear in N (per-report time flat), peak for the largest N within
1.2 × the peak for the smallest.  Run by hand, never in the test suite (it only smoke-runs N=2).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_PEAK = 1.2
DEPARTMENTS = ("市教育局", "市卫生健康委", "市交通运输局", "市水利局", "市农业农村局")


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def fill(url: str, n: int) -> None:
    from workbench.bootstrap import ensure_database
    from workbench.reports.synthetic import synthetic_case, synthetic_variant
    from workbench.services import cases
    from workbench.services.actors import Actor

    actor = Actor("bench", "基准测试", "系统")
    base = synthetic_case(2, 2, 3)
    db = ensure_database(url, seed=False)
    for start in range(0, n, 100):
        with db.uow() as uow:
            for i in range(start, min(n, start + 100)):
                case = synthetic_variant(
                    base,
                    i,
                    department=DEPARTMENTS[i % len(DEPARTMENTS)],
                    arranged=Decimal(100 + i % 7 * 50),
                    extra_loss=Decimal(i % 11),
                )
                cases.store_case(uow, actor, case, case.evaluation, "基准测试")
            uow.commit()
    db.dispose()


def run_batch(url: str, out: str, charts: bool) -> dict:
    from workbench.bootstrap import ensure_database
    from workbench.services import batch_reports, portfolio
    from workbench.services.actors import Actor

    actor = Actor("bench", "基准测试", "系统")
    db = ensure_database(url, seed=False)
    samples: list[float] = []
    warm: list[float] = []
    ticks: list[float] = []

    def progress(done: int, total: int, line: object) -> None:
        if done == 1:
            warm.append(rss_mb())
        if done % max(1, total // 10) == 0:
            samples.append(round(rss_mb(), 1))
            ticks.append(time.perf_counter())

    started = time.perf_counter()
    view = portfolio.portfolio(db.uow(), actor)
    listed = time.perf_counter()
    listed_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = batch_reports.write_folder(
        db.uow(), actor, view.rows, Path(out), title=view.title, charts=charts, progress=progress
    )
    seconds = time.perf_counter() - listed
    db.dispose()
    return {
        "n": len(result.lines),
        "failed": len(result.failed),
        "list_seconds": listed - started,
        "list_peak_mb": listed_mb,
        "seconds": seconds,
        "warm_mb": warm[0] if warm else 0.0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "samples": samples,
        "tenths_ms": [
            round((b - a) * 1000 / max(1, len(result.lines) // 10))
            for a, b in zip([listed, *ticks], ticks, strict=False)
        ],
    }


def child(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return done.stdout


def measure(n: int, charts: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        child("--fill", url, str(n))
        out = child("--batch", url, f"{folder}/out", *(["--charts"] if charts else []))
        return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--charts", action="store_true", help="insert the charts (matplotlib) too")
    parser.add_argument("--fill", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--batch", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.fill:
        fill(args.fill[0], int(args.fill[1]))
        return
    if args.batch:
        print(json.dumps(run_batch(args.batch[0], args.batch[1], args.charts)))
        return
    print(
        f"report --all over synthetic evaluations (12 leaves each), charts {'on' if args.charts else 'off'}"
    )
    print(
        f"{'N':>6} {'list s':>7} {'peak after list MB':>19} {'reports s':>10} {'per report ms':>14}"
        f" {'warm RSS MB':>12} {'peak RSS MB':>12}  RSS every 10%"
    )
    found = []
    for n in args.sizes:
        m = measure(n, args.charts)
        found.append(m)
        per = m["seconds"] / max(1, m["n"]) * 1000
        print(
            f"{m['n']:>6} {m['list_seconds']:>7.1f} {m['list_peak_mb']:>19.1f} {m['seconds']:>10.1f} {per:>14.1f}"
            f" {m['warm_mb']:>12.1f} {m['peak_mb']:>12.1f}"
            f"  {m['samples']}  ({m['failed']} failed)"
        )
    for m in found:
        print(f"N={m['n']}: ms per report in each tenth of the batch: {m['tenths_ms']}")
    first, last = found[0], found[-1]
    per_first = first["seconds"] / max(1, first["n"])
    per_last = last["seconds"] / max(1, last["n"])
    print(f"time per report, N={last['n']} / N={first['n']}: {per_last / per_first:.2f} (linear: about 1.00)")
    print(
        f"peak RSS, N={last['n']} / N={first['n']}: {last['peak_mb'] / first['peak_mb']:.2f} (target <= {TARGET_PEAK:.2f})"
    )
    growth = [m["peak_mb"] - m["warm_mb"] for m in found]
    print(
        "peak RSS over warm RSS (MB): "
        + ", ".join(f"N={m['n']}: {g:.1f}" for m, g in zip(found, growth, strict=True))
    )


if __name__ == "__main__":
    main()
