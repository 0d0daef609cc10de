"""``workbench report`` reads well-formed arguments without Typer (workbench/cli/report_run.py):
its reader must accept exactly the Typer command's options and leave everything else to Typer."""

import argparse
from pathlib import Path

import pytest
import typer.main

from workbench.cli import app
from workbench.cli.report_run import parser, plain_arguments


def typer_report_params():
    return typer.main.get_command(app).commands["report"].params


def test_the_quick_reader_has_every_option_of_the_typer_command_with_the_same_names_and_defaults():
    actions = {a.dest: a for a in parser()._actions}
    flags = {s: a for a in parser()._actions for s in a.option_strings}

    for param in typer_report_params():
        if param.param_type_name == "argument":
            assert actions[param.name].option_strings == [] and actions[param.name].default == param.default
            continue
        for name in param.opts:
            assert flags[name].dest == param.name, name
            assert flags[name].default == param.default, name
            assert (flags[name].nargs == 0) == param.is_flag, name
        for name in param.secondary_opts:
            assert flags[name].dest == param.name and isinstance(flags[name], argparse._StoreFalseAction)


def test_the_quick_reader_has_no_option_the_typer_command_lacks():
    typer_names = {n for p in typer_report_params() for n in [*p.opts, *p.secondary_opts]}
    reader_names = {s for a in parser()._actions for s in a.option_strings}

    assert reader_names == typer_names - {"case"}


def test_a_plain_report_run_is_read_into_the_commands_arguments():
    args = plain_arguments(["report", "projects/x", "-o", "out.docx", "-t", "mof2020", "--no-charts"])

    assert args == {
        "case": Path("projects/x"),
        "out": Path("out.docx"),
        "template": "mof2020",
        "charts": False,
        "every": False,
        "year": None,
        "department": None,
        "database": None,
    }


def test_a_batch_run_with_year_and_department_is_read_too():
    args = plain_arguments(["report", "--all", "--year=2019", "-d", "益阳市财政局", "--out", "dir"])

    assert args is not None
    assert (args["every"], args["year"], args["department"]) == (True, 2019, "益阳市财政局")


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--help"],
        ["report", "case", "--help"],
        ["report", "-h"],
        ["report", "case", "--foo"],
        ["report", "case", "--out"],
        ["report", "case", "extra", "--out", "x.docx"],
        ["report", "--all", "--year", "二〇一九", "--out", "d"],
        ["report", "--all", "--year", "2019.5", "--out", "d"],
        ["report", "case", "--ou", "x.docx"],
        ["score", "case"],
        [],
    ],
)
def test_help_usage_errors_and_other_commands_are_left_to_typer(argv):
    assert plain_arguments(argv) is None
