"""The corpus of published layouts (tests/score_corpus.py) through `workbench import-scores`: each
prints the expected recomputed total and grade, the expected messages, and exits 0 (consistent),
1 (read, with 错误) or 2 (not readable); three of them through the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from score_corpus import CASES, Case, write_case
from typer.testing import CliRunner

from workbench.cli import app

ENV = {"WORKBENCH_CLI_WIDTH": "400"}


def _check(case: Case, code: int, output: str) -> None:
    assert code == case.exit, output
    if case.total is not None:
        assert f"重算总分 {case.total}" in output, output
        assert f"等级：{case.grade}" in output, output
    for message in case.messages:
        assert message in output, output


def test_the_corpus_has_at_least_25_layouts():
    assert len(CASES) >= 25 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_published_layout_reads_with_its_total_grade_messages_and_exit_code(tmp_path, case):
    path = write_case(case, tmp_path)
    args = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in case.args]  # --export into tmp

    result = CliRunner().invoke(app, [case.command, str(path), *args], env=ENV)

    _check(case, result.exit_code, result.output)
    if "不能另存为标准自评表" in case.messages:
        assert not any((tmp_path / a).exists() for a in case.args if a.endswith(".xlsx"))


def test_the_console_script_exits_0_1_and_2_as_the_layouts_require(tmp_path):
    chosen = [c for c in CASES if c.name in ("mof10-annex1", "weights-in-names-wrong", "two-score-columns")]
    script = Path(sys.executable).parent / "workbench"
    runs = [
        (
            case,
            subprocess.Popen(
                [str(script), case.command, str(write_case(case, tmp_path)), *case.args],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, **ENV},
            ),
        )
        for case in chosen
    ]
    assert sorted(c.exit for c, _ in runs) == [0, 1, 2]
    for case, run in runs:
        output = run.communicate(timeout=300)[0]
        _check(case, run.returncode, output)


def test_import_selfeval_takes_a_score_column_too(tmp_path):
    case = next(c for c in CASES if c.name == "two-score-columns")
    path = write_case(case, tmp_path)

    asked = CliRunner().invoke(app, ["import-selfeval", str(path)], env=ENV)
    chosen = CliRunner().invoke(app, ["import-selfeval", str(path), "--score-column", "评价得分"], env=ENV)

    assert asked.exit_code == 2 and "--score-column" in asked.output
    assert chosen.exit_code == 2 and "没有“项目资金”栏" in chosen.output  # past the question: not a 自评表
