"""Typer's own words in Chinese: usage errors as one line, and the headings of ``--help``.

Typer prints usage errors (an unknown option, a missing value, a year that is not a number) and
help pages with English words it carries from click ("No such option", "Usage:", "Options").
The command line's group and commands are built from the classes below (``core.Typer`` gives
them to every command), which use Typer's and click's own hooks:

* ``ChineseGroup.main`` runs the command line with click's ``standalone_mode`` off, so a usage
  error reaches it as an exception; it prints one Chinese line (``usage_line``) on stderr and
  exits with click's code for usage errors, 2.
* ``format_usage`` writes the usage line with a Chinese prefix, the ``[选项]`` and ``命令 [参数]...``
  placeholders replace ``[OPTIONS]`` and ``COMMAND [ARGS]...``, the ``--help`` option explains
  itself in Chinese, and the panel titles and notes of Typer's Rich help (``typer.rich_utils``,
  read when a help page is drawn) are set in Chinese before a help page is formatted.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from workbench.cli.base import say

try:  # typer ≥ 0.20 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
COMMAND_METAVAR = "命令 [参数]..."
HELP_OPTION_HELP = "显示本帮助并退出。"
RICH_HEADINGS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已弃用）",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "可运行 '{command_path} {help_option}' 查看帮助。",
}
# click's messages without a class of their own, as click words them
NO_COMMAND = re.compile(r"No such command '(?P<name>.*?)'\.(?: Did you mean (?P<guesses>.*)\?)?")
EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)")
QUOTED = re.compile(r"'([^']*)'")


def usage_line(error: Exception) -> str:
    """One Chinese line for a click usage error, ending with where help is."""
    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if ctx is not None else "workbench"
    hint = f"可运行 {where} --help 查看用法。"
    return f"{_what(error)}{hint}"


def _what(error: Exception) -> str:
    if isinstance(error, click_errors.NoSuchOption):
        options = sorted(error.possibilities or ())
        guess = f"是否想用 {'、'.join(options)}？" if options else ""
        return f"未知选项：{error.option_name}。{guess}"
    if isinstance(error, click_errors.BadOptionUsage):
        if "does not take a value" in error.message:
            return f"选项 {error.option_name} 不带值。"
        return f"选项 {error.option_name} 后面缺少值。"
    if isinstance(error, click_errors.MissingParameter):
        return f"缺少{_kind(error.param)} {_name(error.param)}。"
    if isinstance(error, click_errors.BadParameter):
        return f"{_kind(error.param)} {_name(error.param)} 的值无效：{_reason(error)}。"
    message = str(getattr(error, "message", error))
    if found := NO_COMMAND.fullmatch(message):
        guesses = QUOTED.findall(found["guesses"] or "")
        return f"未知命令：{found['name']}。" + (f"是否想用 {'、'.join(guesses)}？" if guesses else "")
    if found := EXTRA_ARGUMENTS.fullmatch(message):
        return f"多余的参数：{found['args']}。"
    if message == "Missing command.":
        return "缺少命令。"
    return f"用法有误（{message}）。"


def _kind(param: Any) -> str:
    return "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"


def _name(param: Any) -> str:
    if param is None:
        return ""
    opts = list(getattr(param, "opts", []) or [])
    if getattr(param, "param_type_name", "") == "option" and opts:
        return " / ".join(opts)
    return str(getattr(param, "human_readable_name", None) or param.name)


def _reason(error: click_errors.BadParameter) -> str:
    """The reason in Chinese: Typer checks values with pydantic, whose errors the domain words."""
    from pydantic import ValidationError

    from workbench.domain.messages import translate

    cause = error.__cause__
    if isinstance(cause, ValidationError) and cause.errors():
        return translate(cause.errors()[0])
    return error.message.rstrip("。.")


def _chinese_rich_headings() -> None:
    from typer import rich_utils  # Rich: only when a help page is drawn

    for name, text in RICH_HEADINGS.items():
        setattr(rich_utils, name, text)


class _Chinese:
    """What the command line's commands and groups share (mixed into Typer's classes)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]
        except click_errors.UsageError as error:
            if error.ctx is None:  # click's option parser raises without naming the command
                error.ctx = ctx
            raise

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _chinese_rich_headings()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option


class ChineseCommand(_Chinese, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = OPTIONS_METAVAR


class ChineseGroup(_Chinese, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = OPTIONS_METAVAR
        if self.subcommand_metavar == "COMMAND [ARGS]...":
            self.subcommand_metavar = COMMAND_METAVAR

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Typer's ``main`` with usage errors printed as one Chinese line (exit code 2)."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.UsageError as error:
            if not standalone_mode:
                raise
            if not isinstance(error, click_errors.NoArgsIsHelpError):  # that one has printed the help
                say(usage_line(error), err=True)
            sys.exit(error.exit_code)
        except click_errors.ClickException as error:
            if not standalone_mode:
                raise
            say(("错误", "red"), f"：{error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            say(("已中止。", "red"), err=True)
            sys.exit(1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


class Typer(typer.Typer):
    """``typer.Typer`` whose group and commands are the Chinese ones above."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ChineseGroup)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().command(name, cls=cls or ChineseCommand, **kwargs)
