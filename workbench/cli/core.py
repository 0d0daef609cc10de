"""The command line's hub: the Typer ``app``, the options several commands share, and the helpers
every command uses (a markup-free console, Chinese problem lines, error handling).

The command modules of this package (``casefile``, ``db``, ``admin``, ``imports``, ``report``)
register their commands on ``app``; ``workbench/cli/__init__.py`` imports them.  This module imports
none of them, and none of the services: commands import what they use inside their bodies, so
``workbench --help`` loads Typer and the command signatures only (bench/cli_help.py times it).

Commands parse arguments, call a service, and print; errors a user can cause are printed as
Chinese lines (one per problem) with exit code 1, never as a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from workbench.cli.base import (  # re-exported: the command modules take them from here
    SEVERITY,
    cli_actor,
    cli_width,
    exit_code,
    opened_database,
    print_problems,
    problem_parts,
    say,
)
from workbench.cli.usage import Typer
from workbench.errors import Problem

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text


def _group() -> None:
    """The ``workbench`` group itself does nothing: a run names one of its commands.  Giving it a
    callback keeps it a group when a run has loaded a single command module (``workbench.cli.
    app_for``): Typer runs an app with one command and no callback as that command."""


app = Typer(
    help="财政绩效评价工作台：评分、校验、报告与数据管理。",
    callback=_group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])
__all__ = [
    "SEVERITY",
    "CaseDir",
    "DatabaseOption",
    "Typer",
    "app",
    "cli_actor",
    "console",
    "opened_database",
    "print_problems",
    "problem_line",
    "problem_parts",
    "reports_errors",
    "say",
    "score_columns",
]


def console(stderr: bool = False) -> Console:
    """A Rich console, for tables: it prints text as it is (no Rich markup, since names, reasons
    and cell texts a user wrote may hold brackets: “[/b]” would otherwise fail, “[注]” vanish).
    Styles are given with ``style=`` or ``Text``.  Lines of text go through ``say``, which
    needs no Rich (about 35 ms of a command's start-up)."""
    from rich.console import Console

    return Console(width=cli_width(), stderr=stderr, highlight=False, soft_wrap=False, markup=False)


def problem_line(problem: Problem, indent: str = "") -> Text:
    """``problem_parts`` for a Rich console."""
    from rich.text import Text

    return Text.assemble(*problem_parts(problem, indent))


def reports_errors(func: F) -> F:
    """Turn a ``WorkbenchError`` (or a full disk, a read-only database: ``errors.explain``)
    into Chinese lines on stderr and exit code 1; anything else is a bug: one Chinese line with
    an error id on stderr, the traceback under the same id in the log, exit code 2
    (``base.exit_code``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            raise typer.Exit(exit_code(exc)) from exc

    return wrapper  # type: ignore[return-value]


CaseDir = Annotated[Path, typer.Argument(help="案例文件夹，如 projects/yiyang-smart-brain-2018")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="数据库地址（postgresql+psycopg://…）或 SQLite 文件路径；默认取环境变量 "
        "WORKBENCH_DATABASE_URL，再默认 data/workbench.db",
        show_default=False,
    ),
]


def score_columns(table: Table, *, rate: bool = False) -> Table:
    """The columns every score table of the command line starts with (代码 … 扣分, 得分率 when asked)."""
    columns = ["代码", "指标", "分值", "得分", "扣分", *(["得分率"] if rate else [])]
    for col in columns:
        table.add_column(col, justify="left" if col in ("代码", "指标") else "right", no_wrap=True)
    return table
