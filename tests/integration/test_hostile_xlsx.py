"""Hostile .xlsx files through the real CLI, in a subprocess under a 1.5 GiB address-space limit:
each ends in one Chinese line naming the file and the limit, exit code 2 and nothing written —
never a crash (the dense far cell used to request 512 GiB and abort the whole server)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_xlsx import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1536 * 1024 * 1024  # RLIMIT_AS: the reader must stay well under it

DRIVER = """
import json, sys
from pathlib import Path
from typer.testing import CliRunner
from workbench.cli import app

out = {}
for name in sys.argv[2:]:
    path = Path(sys.argv[1]) / f"{name}.xlsx"
    export = path.with_suffix(".export.xlsx")
    env = {"WORKBENCH_CLI_WIDTH": "400"}
    scores = CliRunner().invoke(app, ["import-scores", str(path)], env=env)
    form = CliRunner().invoke(app, ["import-selfeval", str(path), "--export", str(export)], env=env)
    out[name] = {
        "scores": [scores.exit_code, scores.output, repr(scores.exception)],
        "selfeval": [form.exit_code, form.output, repr(form.exception)],
        "exported": export.exists(),
    }
print(json.dumps(out, ensure_ascii=False))
"""


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _start(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "WORKBENCH_CLI_WIDTH": "400", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_limited
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (build, _) in HOSTILE.items():
        build(folder / f"{name}.xlsx")
    corpus = _start([sys.executable, "-c", DRIVER, str(folder), *HOSTILE])
    console = Path(sys.executable).parent / "workbench"
    single = _start([str(console), "import-scores", str(folder / "dense_far_cell.xlsx")])
    out, err = corpus.communicate(timeout=300)
    assert corpus.returncode == 0, err[-3000:]
    s_out, s_err = single.communicate(timeout=300)
    return json.loads(out), subprocess.CompletedProcess(single.args, single.returncode, s_out, s_err)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_workbook_is_refused_in_one_chinese_line_with_exit_code_2(runs, name):
    found = runs[0][name]
    words = HOSTILE[name][1]

    for command in ("scores", "selfeval"):
        code, output, exception = found[command]
        lines = [line for line in output.splitlines() if line.strip()]
        assert code == 2, (command, output, exception)
        assert len(lines) == 1 and lines[0].startswith(f"错误：文件 {name}.xlsx"), output
        assert words in lines[0], output
    assert not found["exported"]  # import-selfeval --export wrote nothing


def test_the_console_script_itself_survives_the_dense_far_cell_and_exits_2(runs):
    done = runs[1]

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "dense_far_cell.xlsx" in done.stderr and "A1:XFD1048576" in done.stderr
    assert "最多 256 列" in done.stderr
