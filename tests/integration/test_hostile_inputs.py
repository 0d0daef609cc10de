"""Hostile input through the real command line: each file ends in one Chinese line naming the file
and the line, a non-zero exit and an unchanged database, inside a process held to 1.5 GiB.

The corpus (``CORPUS``) is what an attacker sends a YAML reader: alias bombs, deep nesting,
numbers no money or score can be, dates that do not exist, keys that are lists, ids that are
paths, oversized text.  ``CASES`` are whole case folders with a hostile file, for
``workbench import-case`` against a real SQLite file.  All of them run through the command
line's Typer app (the ``workbench`` entry point's own object) in ONE subprocess under
``RLIMIT_AS``, so the start-up is paid once and a bomb that got through would kill that child,
not the test run.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.bootstrap import ensure_database
from workbench.cli import app

MEMORY_LIMIT = 1536 * 1024 * 1024
YIYANG = Path(__file__).resolve().parents[2] / "projects" / "yiyang-smart-brain-2018"

_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
_EVALUATION = "id: e1\nproject: p1\nsystem: yiyang-2018\nbands: mof-2020\nyear: 2018\n"
# name -> (file name, content, what the one message must say)
CORPUS: dict[str, tuple[str, str, str]] = {
    "billion laughs": ("evaluation.yaml", _LAUGHS, "第 2 行：不支持锚点引用"),
    "self-referencing alias": ("evaluation.yaml", "scores: &a\n  A1: *a\n", "不支持锚点引用"),
    "50,000 nested brackets": (
        "ledger.yaml",
        "total_investment: " + "[" * 50_000 + "]" * 50_000,
        "嵌套层级过深",
    ),
    "3,000-level indicator tree": (
        "indicators.yaml",
        "id: deep\nname: 深\nindicators: " + "[{code: C, name: n, children: " * 3000 + "[]" + "}]" * 3000,
        "第 3 行：嵌套层级过深",
    ),
    "5,000-digit integer": ("ledger.yaml", "total_investment: " + "9" * 5000, "字段「总投资」：数字位数过多"),
    "1e999999 as total_investment": (
        "ledger.yaml",
        "total_investment: 1.0e999999",
        "字段「总投资」：数字过大",
    ),
    "Infinity as total_investment": ("ledger.yaml", 'total_investment: "Infinity"', "应为有限的数字"),
    "1e999999999 as points": (
        "evaluation.yaml",
        _EVALUATION + "scores:\n  A11:\n    deductions:\n      - reason: 无\n        points: 1e999999999\n",
        "第 10 行，字段「扣分」：数字过大",
    ),
    "1e999999999 as total": (
        "indicators.yaml",
        "id: s\nname: 体系\ntotal: 1e999999999\nindicators: [{code: A, name: 决策, weight: 100}]\n",
        "字段「总分」：数字过大",
    ),
    "date 2019-13-45": (
        "project.yaml",
        "id: p1\nname: 项目\nstart: 2019-13-45\n",
        "第 3 行，字段「start」：日期“2019-13-45”不存在",
    ),
    "list used as a key": ("project.yaml", "id: p1\n? [a, b]\n: 1\n", "第 2 行：键应为文字或数字"),
    "id ../../x": (
        "project.yaml",
        "id: ../../x\nname: 项目\nyear: 2018\nunit: {name: 单位}\n",
        "编号“../../x”不可用",
    ),
    "id with a newline": (
        "project.yaml",
        'id: "a\\nb"\nname: 项目\nyear: 2018\nunit: {name: 单位}\n',
        "不可用",
    ),
    "30,000-character reason": (
        "evaluation.yaml",
        _EVALUATION + "scores:\n  A11:\n    deductions:\n      - reason: " + "长" * 30_000 + "\n",
        "过长",
    ),
    "3 MB file": ("ledger.yaml", "# " + "x" * (3 * 1024 * 1024) + "\ntotal_investment: 1\n", "文件过大"),
    "a control character": (
        "project.yaml",
        "id: p1\nname: 项\x07目\n",
        "第 2 行：文件含有不能出现在文本中的控制字符",
    ),
}


def limited() -> None:
    """In the child: at most ``MEMORY_LIMIT`` of address space, so a bomb dies, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "WORKBENCH_CLI_WIDTH": "400", "OPENBLAS_NUM_THREADS": "1", **(env or {})}
    return subprocess.run(
        args, capture_output=True, text=True, timeout=120, preexec_fn=limited, env=environ, check=False
    )


_RUN_ALL = """
import json, sys
from typer.testing import CliRunner
from workbench.cli import app
out = []
for args in json.loads(open(sys.argv[1], encoding="utf-8").read()):
    result = CliRunner().invoke(app, args)
    crashed = None if isinstance(result.exception, SystemExit | None) else repr(result.exception)[:300]
    out.append([result.exit_code, result.output, crashed])
print(json.dumps(out, ensure_ascii=False))
"""
# hostile case folders for `workbench import-case`: name -> (file replaced, its content, message)
CASES = {
    "1e999999 as total_investment": ("ledger.yaml", None, "字段「总投资」：数字过大"),
    "billion laughs": ("evaluation.yaml", _LAUGHS, "第 2 行：不支持锚点引用"),
}


def hostile_case(folder: Path, file_name: str, content: str | None) -> Path:
    folder.mkdir()
    for path in YIYANG.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    if content is None:  # the real ledger with its total investment made 1e999999
        ledger = (folder / file_name).read_text("utf-8")
        content = ledger.replace("total_investment:", "total_investment: 1.0e999999 #")
    (folder / file_name).write_text(content, "utf-8")
    return folder


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> dict:
    """Every corpus file through ``workbench validate`` and every hostile case folder through
    ``workbench import-case`` against a seeded SQLite file, in ONE memory-limited subprocess
    (the command line's start-up, ~2.5 s of CPU, paid once)."""
    root = tmp_path_factory.mktemp("hostile")
    commands, names = [], []
    for i, (name, (file_name, content, _)) in enumerate(CORPUS.items()):
        (root / f"{i:02d}").mkdir()
        (root / f"{i:02d}" / file_name).write_text(content, "utf-8")
        commands.append(["validate", str(root / f"{i:02d}" / file_name)])
        names.append(("validate", name))
    db_file = root / "workbench.db"
    ensure_database(f"sqlite:///{db_file}").dispose()
    before = business_rows(db_file)
    for i, (name, (file_name, content, _)) in enumerate(CASES.items()):
        case = hostile_case(root / f"case{i}", file_name, content)
        commands.append(["import-case", str(case), "--as", f"hostile-{i}"])
        names.append(("import-case", name))
    (root / "commands.json").write_text(json.dumps(commands, ensure_ascii=False), "utf-8")
    url = {"WORKBENCH_DATABASE_URL": f"sqlite:///{db_file}"}
    done = run_limited([sys.executable, "-c", _RUN_ALL, str(root / "commands.json")], url)
    assert done.returncode == 0, done.stderr[-2000:]
    results = dict(zip(names, json.loads(done.stdout), strict=True))
    return {"results": results, "before": before, "after": business_rows(db_file), "db": db_file}


@pytest.mark.parametrize("name", list(CORPUS))
def test_a_hostile_yaml_file_ends_in_one_chinese_line_naming_file_line_and_field(ran, name):
    exit_code, output, crashed = ran["results"][("validate", name)]
    file_name, _, expected = CORPUS[name]

    assert crashed is None
    assert exit_code == 1, output
    errors = [line for line in output.splitlines() if line.startswith("错误：")]
    assert len(errors) == 1, output
    assert f"文件 {validated_path(errors[0], file_name)}" in errors[0]
    assert expected in errors[0], errors[0]
    assert "Traceback" not in output and "程序遇到意外错误" not in output


def validated_path(line: str, file_name: str) -> str:
    """The file part of a message names the file given on the command line."""
    start = line.index("文件 ") + 3
    shown = line[start:].split("，")[0].split("：")[0]
    assert shown.endswith(file_name), line
    return shown


def business_rows(db_file: Path) -> dict[str, list]:
    """Every row of every table but the audit log (which records the refusal)."""
    with sqlite3.connect(db_file) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: con.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables if t != "audit_log"}


@pytest.mark.parametrize("name", list(CASES))
def test_import_case_refuses_a_hostile_case_folder_with_one_message(ran, name):
    exit_code, output, crashed = ran["results"][("import-case", name)]
    file_name, _, expected = CASES[name]

    assert crashed is None and exit_code == 1, output
    assert file_name in output and expected in output, output
    assert "Traceback" not in output


def test_hostile_case_folders_store_nothing_and_each_refusal_is_audited(ran):
    assert ran["after"] == ran["before"]
    with sqlite3.connect(ran["db"]) as con:
        refusals = con.execute("SELECT event, result FROM audit_log WHERE event = '拒绝导入'").fetchall()
    assert refusals == [("拒绝导入", "失败")] * len(CASES)


def test_a_read_only_database_is_named_as_such_by_the_command_line(tmp_path, monkeypatch):
    db_file = tmp_path / "workbench.db"
    ensure_database(f"sqlite:///{db_file}").dispose()
    before = business_rows(db_file)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///file:{db_file}?mode=ro&uri=true")

    done = CliRunner().invoke(app, ["import-case", str(YIYANG), "--as", "again"])

    assert done.exit_code == 1
    assert "数据库当前为只读" in done.output and "Traceback" not in done.output
    assert business_rows(db_file) == before
