"""``workbench report`` without Typer: what the command does, and the quick way in.

``run`` is the command's body; ``report.py`` gives it its Typer signature (options, help, the
usage errors).  A run of ``workbench report`` whose arguments are well formed needs none of
that: ``plain_arguments`` reads them with the standard library's argparse, strictly — the same options,
short names and defaults as the Typer command (tests/unit/test_report_fast_path.py compares the
two) — and runs the body.  Anything it does not read exactly (``--help``, an unknown option, a
missing value, a year that is not a whole number, an extra argument) is left to Typer, so help
and usage errors are Typer's, word for word.  This spares about 40 ms of each report: Typer and
the definitions it builds from the signatures.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from workbench.cli.base import cli_actor, exit_code, opened_database, print_problems, say
from workbench.errors import InvalidInput

INTEGER = re.compile(r"-?[0-9]+")


def run(
    case: Path | None,
    out: Path | None,
    template: str,
    charts: bool,
    every: bool,
    year: int | None,
    department: str | None,
    database: str | None,
) -> int:
    """The report command itself; its exit code (errors a user can cause are raised)."""
    if out is None:
        raise InvalidInput("请用 --out 给出输出文件（--all 时为输出文件夹）")
    if every:
        if case is not None:
            raise InvalidInput("--all 批量生成数据库中的评价，不再给案例文件夹")
        return batch(out, template, charts, year, department, database)
    if case is None:
        raise InvalidInput("请给出案例文件夹，或用 --all 批量生成数据库中评价的报告")
    if year is not None or department is not None:
        raise InvalidInput("--year、--department 只与 --all 同用")
    one_report(case, out, template, charts)
    return 0


def one_report(case: Path, out: Path, template: str, charts: bool) -> None:
    from workbench.domain.base import fmt2
    from workbench.services import reporting

    loaded = reporting.load_case_folder(case)
    extra = reporting.folder_supplements(case)
    result = reporting.write_report(loaded, template, out, charts=charts, supplements=extra)
    print_problems(result.problems)
    say(("已生成报告", "green"), f"：{out}")
    say(f"生成记录（含检查结果）：{reporting.log_path(out)}")
    card = loaded.scorecard()
    say(f"总分 {fmt2(card.total)} / {fmt2(card.declared_total)}，等级：{card.grade}")


def batch(
    folder: Path, template: str, charts: bool, year: int | None, department: str | None, database: str | None
) -> int:
    """``report --all``: one line per report as it is made; exit code 1 when any failed."""
    from workbench.services import batch_reports, portfolio

    def progress(done: int, total: int, line) -> None:  # type: ignore[no-untyped-def]
        mark = ("成功", "green") if line.ok else ("失败", "red")
        say(
            f"[{done}/{total}] ",
            mark,
            f" {line.row.evaluation_id}：",
            line.file_name if line.ok else line.reason,
        )

    with opened_database(database) as db:
        view = portfolio.portfolio(db.uow(), cli_actor(), year=year, department=department)
        if not view.rows:
            from workbench.errors import NotFound

            raise NotFound(f"没有符合条件的评价（{view.title}）")
        result = batch_reports.write_folder(
            db.uow(),
            cli_actor(),
            view.rows,
            folder,
            title=view.title,
            template=template,
            charts=charts,
            progress=progress,
        )
    failed = len(result.failed)
    say(
        f"共 {len(result.lines)} 项：成功 {len(result.lines) - failed} 项，失败 {failed} 项；"
        f"报告清单：{folder / batch_reports.INDEX_NAME}"
    )
    return 1 if failed else 0


# --- the quick way in -----------------------------------------------------------------------


class _NotPlain(Exception):
    """The arguments are not a plain, well-formed report run: Typer reads them."""


class _Strict(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print its own English usage and exit
        raise _NotPlain(message)


def _integer(text: str) -> int:
    if not INTEGER.fullmatch(text):
        raise ValueError(text)
    return int(text)


def parser() -> argparse.ArgumentParser:
    """The report command's arguments as the Typer command declares them (report.py)."""
    p = _Strict(prog="workbench report", add_help=False, allow_abbrev=False)
    p.add_argument("case", nargs="?", type=Path, default=None)
    p.add_argument("--out", "-o", type=Path, default=None)
    p.add_argument("--template", "-t", default="seed")
    p.add_argument("--charts", dest="charts", action="store_true", default=True)
    p.add_argument("--no-charts", dest="charts", action="store_false")
    p.add_argument("--all", dest="every", action="store_true", default=False)
    p.add_argument("--year", "-y", type=_integer, default=None)
    p.add_argument("--department", "-d", default=None)
    p.add_argument("--database", default=None)
    return p


def plain_arguments(argv: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``run`` for ``workbench report ARGV…``, or None when Typer
    should read them (help, a usage error, anything unusual)."""
    if not argv or argv[0] != "report" or any(a == "--help" or a.startswith("--help=") for a in argv):
        return None
    try:
        return vars(parser().parse_args(argv[1:]))
    except (_NotPlain, ValueError, TypeError):
        return None


def run_plain(arguments: dict[str, Any]) -> int:
    """Run the report command with ``plain_arguments``; its exit code, errors printed as the
    Typer command prints them (``base.exit_code``)."""
    try:
        return run(**arguments)
    except KeyboardInterrupt:
        return 130  # as Typer ends a command stopped with Ctrl-C
    except Exception as exc:
        return exit_code(exc)
