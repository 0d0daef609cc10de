"""The ``workbench`` console script: set up the process for a short command, then run the Typer app.

A command is a process of a second or two that imports a few hundred modules and exits, which
two defaults of Python and pydantic — made for long-running programs — make slower:

* The garbage collector runs a pass every 700 new container objects: about 140 passes while a
  ``workbench report`` imports typer, pydantic, python-docx, jinja and the domain models, which
  free almost nothing (about 1,500 objects) and cost about 70 ms of CPU.  The modules loaded at
  start-up are frozen (``gc.freeze``: never scanned again) and a pass runs every 100,000 new
  objects instead (a single report makes fewer); cycles are still collected, so a long batch
  keeps its memory bounded.
* pydantic looks for plugins by reading the entry points of every installed package (about
  50 ms, at the first model it builds).  The workbench uses none; ``PYDANTIC_DISABLE_PLUGINS``
  set by the user beforehand is kept as given.  With plugins off, pydantic's plugin loader
  module is replaced by one that finds none, as the real one then does: importing the real one
  imports ``importlib.metadata`` (and the ``email`` package under it) — about 40 ms — only to
  return no plugins.

This module imports nothing else of the workbench before it has done so.  Then a well-formed
``workbench report`` runs without Typer (``workbench.cli.report_run``); any other run loads only
the command module of the command it names (``workbench.cli.app_for``), not Typer's definitions
of the other twenty commands.
"""

from __future__ import annotations

import gc
import os
import sys
import types

GC_THRESHOLD = 100_000  # new container objects between two collector passes (Python's default: 700)


def tune_process() -> None:
    """Collector and pydantic settings for a short command (see the module docstring)."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("__all__", "1", "true"):  # pydantic's own test
        no_plugins = types.ModuleType("pydantic.plugin._loader", "pydantic plugins: none (disabled)")
        no_plugins.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules.setdefault(no_plugins.__name__, no_plugins)
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, older, oldest)


def main() -> None:
    tune_process()
    gc.disable()
    try:
        from workbench.cli.report_run import plain_arguments, run_plain

        arguments = plain_arguments(sys.argv[1:])
        if arguments is None:
            from workbench.cli import app_for

            app = app_for(sys.argv[1] if len(sys.argv) > 1 else None)
    finally:
        gc.freeze()  # what start-up loaded stays for the whole process: never scanned again
        gc.enable()
    if arguments is not None:
        raise SystemExit(run_plain(arguments))
    app()
