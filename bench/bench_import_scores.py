"""Time `import-scores` on a generated 100,000-row score table against pandas + calamine.

Run by hand:  .venv/bin/python bench/bench_import_scores.py [rows] [repeats]

Both readers run on the same file in the same process, alternately, and the medians are compared.
"The import" is the whole of `import_scores(path, max_rows=None)`: file checks (type, encryption,
formula scan), reading the sheet, every cell checked, the tree rebuilt, the recomputed total and
grade, and every consistency check (weights, composition rules from the data files, totals).
Target: at most 1.2 x `pandas.read_excel(path, engine="calamine")`.

Also shown, outside the target: the default row limit refusing the same file, and turning the
table into the workbench's pydantic IndicatorSystem / Evaluation (what the app does when saving).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.errors import InvalidInput  # noqa: E402
from workbench.formats.score_import import DEFAULT_MAX_ROWS, import_scores  # noqa: E402

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准", "得分", "扣分理由"]


def generate(path: Path, rows: int) -> None:
    """Four level-1 groups, groups of 100 leaves (``rows`` a multiple of 400); weights add up to
    exactly 100."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("评分表")
    ws.append(["附件：指标评分表"])
    ws.append(HEADER)
    weight = 100 / rows
    per_top = max(rows // 4, 1)
    for i in range(rows):
        top = f"一级指标{i // per_top + 1}" if i % per_top == 0 else None
        second = f"二级指标{i // 100 + 1}" if i % 100 == 0 else None
        lost = i % 3 == 0
        score = weight / 2 if lost else weight
        ws.append(
            [
                top,
                second,
                f"三级指标{i + 1}",
                weight,
                "指标解释文字",
                "评分标准文字",
                score,
                "扣分理由" if lost else None,
            ]
        )
    ws.append(["总分", None, None, 100, None, None, None, None])
    book.save(path)


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.xlsx"
        print(f"generating {rows:,} rows ...", end=" ", flush=True)
        print(f"{timed(lambda: generate(path, rows)):.1f} s, {path.stat().st_size / 1e6:.1f} MB")
        pandas_times, import_times = [], []
        result = None
        for _ in range(repeats):
            pandas_times.append(timed(lambda: pd.read_excel(path, engine="calamine", header=None)))
            start = time.perf_counter()
            result = import_scores(path, max_rows=None)
            import_times.append(time.perf_counter() - start)
        assert result is not None
        base, ours = statistics.median(pandas_times), statistics.median(import_times)
        print(f"pandas.read_excel(engine='calamine'): median {base:.3f} s  {_all(pandas_times)}")
        print(f"import_scores (whole import)        : median {ours:.3f} s  {_all(import_times)}")
        verdict = "OK" if ours <= 1.2 * base else "OVER TARGET"
        print(f"ratio {ours / base:.2f} (target <= 1.20): {verdict}")
        print(
            f"  {len(result.table.rows):,} leaves, total {result.total}, grade {result.grade}, {len(result.problems)} problems"
        )

        def refused() -> None:
            try:
                import_scores(path)
            except InvalidInput:
                return
            raise AssertionError("the default row limit should refuse this file")

        if rows > DEFAULT_MAX_ROWS:
            print(f"default limit refuses the file in {timed(refused):.3f} s")
        else:
            print(f"default limit ({DEFAULT_MAX_ROWS:,} rows) not reached by {rows:,} rows")
        table = result.table
        print(
            f"to_system (pydantic, not part of the target): {timed(lambda: table.to_system('b', 'b')):.3f} s"
        )
        print(
            "to_evaluation (pydantic, not part of the target): "
            f"{timed(lambda: table.to_evaluation('b', 'p', 'b', 'mof-2020', 2020)):.3f} s"
        )


def _all(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


if __name__ == "__main__":
    main()
