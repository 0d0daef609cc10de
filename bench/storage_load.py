"""How long the storage layer takes for what the 评分 page does on every rerun.

Run by hand:  .venv/bin/python bench/storage_load.py [--database URL] [--runs 200]
Without --database it uses a fresh SQLite file in a temporary folder.  Prints the median and
the 90th percentile in milliseconds for the Yiyang case (25 leaves) and a synthetic
120-indicator evaluation: load (get_case), load + score, save one score, list evaluations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_case import synthetic_evaluation, synthetic_project, synthetic_system

from workbench.bootstrap import ensure_database
from workbench.domain.case import Case
from workbench.domain.ledger import Ledger
from workbench.services import cases, evaluations, review
from workbench.services.actors import SYSTEM, Actor

YIYANG = "yiyang-smart-brain-2018-eval"
EVALUATOR = Actor("bench", "基准测试", "评价人员")  # scoring needs a role that may score (issue 5)
REVIEWER = Actor("bench-reviewer", "基准测试复核", "复核人")


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    action()  # warm up (caches, connections)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def add_synthetic(db) -> str:
    system = synthetic_system()
    evaluation = synthetic_evaluation(system)
    with db.uow() as uow:
        bands = uow.band_sets.get(evaluation.bands)
        case = Case(synthetic_project(), Ledger(total_investment=100), evaluation, system, bands)
        cases.store_case(uow, SYSTEM, case, evaluation, "bench")
        uow.commit()
    return evaluation.id


def bench(db, evaluation_id: str, code: str, runs: int) -> dict[str, tuple[float, float]]:
    def save() -> None:
        page = evaluations.get_case(db.uow(), EVALUATOR, evaluation_id)
        entry = page.case.evaluation.scores[code]
        evaluations.save_score(db.uow(), EVALUATOR, evaluation_id, code, entry, page.versions.of_score(code))

    def load_and_score() -> None:
        _ = evaluations.get_case(db.uow(), EVALUATOR, evaluation_id).scorecard

    only_save = timed(save, runs)
    only_load = timed(lambda: evaluations.get_case(db.uow(), EVALUATOR, evaluation_id), runs)
    return {
        "load (get_case)": only_load,
        "load + score": timed(load_and_score, runs),
        "load + save one score (save_score re-scores)": only_save,
        "list_evaluations": timed(lambda: evaluations.list_evaluations(db.uow(), EVALUATOR), runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='wb-bench-')}/bench.db"
    db = ensure_database(url)
    synthetic = add_synthetic(db)
    # The Yiyang case is stored 定稿: a reviewer reopens it so the evaluator may save.
    review.advance(db.uow(), REVIEWER, YIYANG, "workflow.reopen", reason="基准测试")
    print(f"database: {db.backend}  runs: {args.runs}  (median / p90, ms)")
    for label, evaluation_id, code in (
        ("Yiyang (25 leaves)", YIYANG, "B21"),
        ("synthetic (120)", synthetic, "S000"),
    ):
        print(label)
        for name, (median, p90) in bench(db, evaluation_id, code, args.runs).items():
            print(f"  {name:<46} {median:7.2f} / {p90:7.2f}")
    db.dispose()


if __name__ == "__main__":
    main()
