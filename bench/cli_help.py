"""How long ``workbench --help`` takes as a whole process, against a floor timed in the same run.

Run by hand:  .venv/bin/python bench/cli_help.py [--runs 9]
Prints the median wall time (ms) of N runs of each of: ``python -c pass`` (the interpreter),
``python -c "import typer"`` (the floor for any Typer command line), a two-command Typer app's
``--help`` (Typer's own help rendering through rich) and the installed console script
``workbench --help``; then what the workbench adds above each floor.  The target is
``workbench --help`` under 500 ms on this machine (it took 2.2 s when every command module
imported its services eagerly: matplotlib, SQLAlchemy, alembic, an argon2 hash).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_MS = 500
SCRIPT = Path(sys.executable).parent / "workbench"
# A two-command Typer app printing its --help: what Typer's own help rendering (rich) costs.
TYPER_HELP = """
import sys, typer
app = typer.Typer(add_completion=False)
app.command()(lambda: None)
app.command("other")(lambda: None)
sys.argv = ["tiny", "--help"]
app()
"""


def median_ms(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (median reported)")
    runs = parser.parse_args().runs
    timed = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "two-command Typer --help": [sys.executable, "-c", TYPER_HELP],
        "workbench --help": [str(SCRIPT), "--help"],
    }
    figures = {label: median_ms(command, runs) for label, command in timed.items()}
    print(f"median of {runs} runs, whole process, ms")
    for label, value in figures.items():
        print(f"  {label:<28} {value:8.0f}")
    help_ms = figures["workbench --help"]
    for floor in ('python -c "import typer"', "two-command Typer --help"):
        print(f"  workbench --help above {floor:<26} {help_ms - figures[floor]:6.0f}")
    verdict = "within" if help_ms <= TARGET_MS else "OVER"
    print(f"workbench --help: {help_ms:.0f} ms ({verdict} target <= {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
