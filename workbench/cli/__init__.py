"""The command line: ``workbench score | validate | report | db | user | backup | ...``.

``core`` holds the Typer ``app`` (run by the console script ``workbench``, ``workbench.entry:main``), the
shared options and helpers; each command module below registers its commands on it and imports
what a command uses inside the command, so ``workbench --help`` stays fast.  Arrows point one way:
this package imports the command modules, they import ``core``, and ``core`` imports neither.

The command modules do not use ``from __future__ import annotations``: Typer reads the signature
of every command on every run, and string annotations made it ``eval`` each one again (about
40 ms of each process).  Names imported only for type checking are quoted where they are used.
"""

# Commands are listed in --help in the order their modules are imported: case-folder work first.
from workbench.cli import casefile, portfolio, report, trend

# isort: split
from workbench.cli import db, imports, rectification

# isort: split
from workbench.cli import admin
from workbench.cli.core import app

COMMAND_MODULES = (casefile, report, portfolio, trend, db, imports, rectification, admin)

__all__ = ["COMMAND_MODULES", "app"]
