"""The command line: ``workbench score | validate | report | db | user | backup | ...``.

``core`` holds the Typer ``app`` (run by the console script ``workbench``, ``workbench.entry:main``), the
shared options and helpers; each command module below registers its commands on it and imports
what a command uses inside the command, so ``workbench --help`` stays fast.  Arrows point one way:
this package imports the command modules, they import ``core``, and ``core`` imports neither.

Importing this package loads no command module: ``app`` (every command, for ``--help``, tests and
an unknown command) is assembled on first access, and ``app_for(name)`` loads only the module
that registers the command a run names (``COMMANDS``), so ``workbench report`` does not import
Typer's definitions of twenty other commands.

The command modules do not use ``from __future__ import annotations``: Typer reads the signature
of every command on every run, and string annotations made it ``eval`` each one again (about
40 ms of each process).  Names imported only for type checking are quoted where they are used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

# Commands are listed in --help in the order their modules are imported: case-folder work first.
MODULE_ORDER = ("casefile", "portfolio", "report", "trend", "db", "imports", "rectification", "admin")
# Each command (or command group) of ``workbench`` and the module that registers it.
COMMANDS = {
    "score": "casefile",
    "validate": "casefile",
    "payment": "casefile",
    "report": "report",
    "export-scores": "report",
    "portfolio": "portfolio",
    "trend": "trend",
    "db": "db",
    "import-case": "db",
    "export-case": "db",
    "next-year": "db",
    "cases": "db",
    "import-system": "db",
    "import-scores": "imports",
    "import-selfeval": "imports",
    "rectification": "rectification",
    "user": "admin",
    "audit": "admin",
    "backup": "admin",
    "restore": "admin",
}


def app_for(command: str | None) -> typer.Typer:
    """The Typer app with ``command``'s module loaded, or with every command when it is not one of
    ``COMMANDS`` (no command, ``--help``, a misspelt name: Typer then lists or suggests them all)."""
    from workbench.cli.core import app

    module = COMMANDS.get(command or "")
    for name in (module,) if module else MODULE_ORDER:
        importlib.import_module(f"workbench.cli.{name}")
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return app_for(None)
    if name == "COMMAND_MODULES":
        app_for(None)
        return tuple(importlib.import_module(f"workbench.cli.{m}") for m in MODULE_ORDER)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COMMANDS", "COMMAND_MODULES", "MODULE_ORDER", "app", "app_for"]
