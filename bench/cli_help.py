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
import os
import statistics
import subprocess
import sys
import tempfile
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


def medians_ms(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall time of each command; one warm-up run each, then the commands take turns."""
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for n in range(runs + 1):
        for label, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            if n:
                samples[label].append((time.perf_counter() - start) * 1000)
    return {label: statistics.median(times) for label, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (median reported)")
    parser.add_argument(
        "--from-source", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as the shell has it"
    )
    args = parser.parse_args()
    runs = args.runs
    env = dict(os.environ)
    if not args.from_source:
        # Every command reads byte-compiled modules, as an installed Python does (see
        # bench/report_process.py): compiled files go to a temp folder, made by the warm-up run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="wb-cli-help-pycache-")
    timed = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "two-command Typer --help": [sys.executable, "-c", TYPER_HELP],
        "workbench --help": [str(SCRIPT), "--help"],
    }
    figures = medians_ms(timed, runs, env)
    compiled = "modules compiled from source" if args.from_source else "byte-compiled modules"
    print(
        f"median of {runs} runs, whole process, ms (commands take turns, {compiled}); load {os.getloadavg()[0]:.1f}"
    )
    for label, value in figures.items():
        print(f"  {label:<28} {value:8.0f}")
    help_ms = figures["workbench --help"]
    for floor in ('python -c "import typer"', "two-command Typer --help"):
        print(f"  workbench --help above {floor:<26} {help_ms - figures[floor]:6.0f}")
    verdict = "within" if help_ms <= TARGET_MS else "OVER"
    print(f"workbench --help: {help_ms:.0f} ms ({verdict} target <= {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
