"""What every command shares that needs no Typer: lines on the terminal, Chinese problem lines,
errors turned into exit codes, the database a command opens and the person at the terminal.

``workbench report`` runs on these alone when its arguments are well formed (``report_run``):
Typer, with the definitions it builds from the command signatures, is about a tenth of that
process.  ``core`` re-exports them for the Typer commands.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from workbench.errors import Problem, explain, unexpected

if TYPE_CHECKING:
    from workbench.services.actors import Actor
    from workbench.storage.uow import Database

SEVERITY = {"error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}
Part = str | tuple[str, str]  # text, or (text, colour name) — the colour names Rich and click share


def say(*parts: Part, err: bool = False) -> None:
    """One line on stdout (stderr with ``err``).  On a terminal the coloured parts are coloured
    by Typer's ``style`` and ``echo`` (click's, which also honour the terminal's limits); in a file
    or a pipe, where ``echo`` would drop the colours, the line is written as it is without
    loading Typer."""
    stream = sys.stderr if err else sys.stdout
    if any(not isinstance(p, str) for p in parts) and _is_terminal(stream):
        import typer

        typer.echo("".join(p if isinstance(p, str) else typer.style(p[0], fg=p[1]) for p in parts), err=err)
        return
    stream.write("".join(p if isinstance(p, str) else p[0] for p in parts) + "\n")
    stream.flush()


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def problem_parts(problem: Problem, indent: str = "") -> tuple[Part, ...]:
    """``错误：文件 …，第 3 行：…`` with the severity word coloured."""
    label, style = SEVERITY.get(problem.severity, SEVERITY["error"])
    return indent, (label, style), f"：{problem}"


def print_problems(problems: list[Problem]) -> None:
    for p in problems:
        say(*problem_parts(p))


def exit_code(exc: Exception) -> int:
    """Print an error as Chinese lines on stderr and give the command's exit code: 1 for a
    ``WorkbenchError`` (or a full disk, a read-only database: ``errors.explain``), one line per
    problem; anything else is a bug: one Chinese line with an error id, the traceback under the
    same id in the log, exit code 2."""
    known = explain(exc)
    if known is None:
        import logging  # only for a bug: about 5 ms of every command otherwise

        say(("错误", "red"), f"：{unexpected(exc, logging.getLogger('workbench.cli'))}", err=True)
        return 2
    for problem in known.problems:
        say(*problem_parts(problem), err=True)
    return 1


@contextmanager
def opened_database(url: str | None, *, seed: bool = True) -> Iterator[Database]:
    """The database as the app opens it (``ensure_database``), closed when the command is done."""
    from workbench.bootstrap import ensure_database

    db = ensure_database(url, seed=seed)
    try:
        yield db
    finally:
        db.dispose()


def cli_actor() -> Actor:
    """The person at the terminal, as recorded in updated_by and the audit log."""
    from workbench.services.actors import Actor

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "cli"
    return Actor(username=f"cli:{user}", display_name=f"命令行用户 {user}", role="系统")


def cli_width() -> int:
    return int(os.environ.get("WORKBENCH_CLI_WIDTH", "160"))
