"""Usage errors and help pages of the ``workbench`` command line read in Chinese: one line per
usage error with exit code 2 (workbench/cli/usage.py), Chinese headings in ``--help``."""

import pytest
from typer.testing import CliRunner

from workbench.cli import app


def run(*args):
    return CliRunner().invoke(app, list(args), prog_name="workbench")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["report", "case", "--foo"],
            "未知选项：--foo。是否想用 --out？可运行 workbench report --help 查看用法。",
        ),
        (["report", "case", "--out"], "选项 --out 后面缺少值。可运行 workbench report --help 查看用法。"),
        (
            ["report", "--all", "--year", "明年", "--out", "d"],
            "选项 --year / -y 的值无效：应为数字，实际为“明年”。可运行 workbench report --help 查看用法。",
        ),
        (["report", "a", "b", "--out", "x.docx"], "多余的参数：b。可运行 workbench report --help 查看用法。"),
        (["report", "--charts=1", "a"], "选项 --charts 不带值。可运行 workbench report --help 查看用法。"),
        (["repor"], "未知命令：repor。是否想用 report、restore？可运行 workbench --help 查看用法。"),
        (["db", "upgrad"], "未知命令：upgrad。是否想用 upgrade？可运行 workbench db --help 查看用法。"),
        (["score"], "缺少参数 case。可运行 workbench score --help 查看用法。"),
        (["export-scores", "case"], "缺少选项 --out / -o。可运行 workbench export-scores --help 查看用法。"),
        (["--bogus"], "未知选项：--bogus。可运行 workbench --help 查看用法。"),
    ],
)
def test_a_usage_error_is_one_chinese_line_with_exit_code_2(args, line):
    result = run(*args)

    assert result.exit_code == 2
    assert result.output == line + "\n"


def test_the_help_of_a_command_has_chinese_headings():
    result = run("report", "--help")

    assert result.exit_code == 0
    assert "用法：workbench report [选项] [case]" in result.output
    assert "─ 参数 ─" in result.output and "─ 选项 ─" in result.output and "[默认：seed]" in result.output
    assert "显示本帮助并退出。" in result.output
    assert not any(
        w in result.output for w in ("Usage", "Options", "Arguments", "Show this message", "default")
    )


def test_the_help_of_the_command_line_lists_its_commands_under_chinese_headings():
    result = run("--help")

    assert result.exit_code == 0
    assert "用法：workbench [选项] 命令 [参数]..." in result.output and "─ 命令 ─" in result.output
    assert "report" in result.output and "Commands" not in result.output
