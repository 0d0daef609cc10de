"""`workbench portfolio` and `workbench report --all` as a user runs them, on a SQLite file
holding synthetic evaluations of two departments (tests/portfolio_cases.py) and one draft not
scored yet, whose report the checks refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from actors import CLI
from docx import Document
from openpyxl import load_workbook
from portfolio_cases import store_plan
from typer.testing import CliRunner

from workbench.bootstrap import ensure_database
from workbench.cli import app
from workbench.services import cases


@pytest.fixture(scope="module")
def bureau(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bureau") / "workbench.db"
    db = ensure_database(f"sqlite:///{path}", seed=False)
    store_plan(db)
    project = {"name": "未评分项目", "year": 2024, "department": "市教育局", "unit": {"name": "某学校"}}
    cases.new_evaluation(db.uow(), CLI, project, "synthetic", "b", evaluation_id="draft-2024")
    db.dispose()
    return path


@pytest.fixture
def run(bureau, tmp_path, monkeypatch):
    copy = tmp_path / "workbench.db"
    copy.write_bytes(bureau.read_bytes())
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("WORKBENCH_CLI_WIDTH", "220")
    return lambda *args: CliRunner().invoke(app, [str(a) for a in args])


def test_portfolio_prints_the_year_best_score_first_with_distribution_and_departments(run):
    result = run("portfolio", "--year", "2024")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = next(line for line in lines if "-eval" in line or "draft" in line)
    assert "synthetic-1-eval" in first and "83.36" in first and "500.00" in first
    assert "draft-2024" in [line for line in lines if "-eval" in line or "draft" in line][-1]
    assert "等级分布：良 2 项，中 1 项，差 1 项，未评分 1 项" in result.output
    education = next(line for line in lines if line.strip().startswith("市教育局") and "80.86" in line)
    assert "1,750.50" in education
    assert "synthetic-5-eval" not in result.output  # 2023


def test_portfolio_exports_a_workbook_with_chinese_headers_and_money_in_wan(run, tmp_path):
    out = tmp_path / "总览.xlsx"
    result = run(
        "portfolio", "--year", "2024", "--department", "市教育局", "--sort", "评价资金", "--xlsx", out
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["评价清单", "等级分布", "部门对比"]
    sheet = book["评价清单"]
    assert sheet["A1"].value == "绩效评价总览（2024年度，市教育局）"
    headers = [c.value for c in sheet[2]]
    assert headers[:5] == ["评价编号", "项目", "主管部门", "年度", "得分"]
    money = headers.index("评价资金（预算安排，万元）") + 1
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["synthetic-2-eval", "synthetic-1-eval", "draft-2024"]
    assert rows[0][money - 1] == 1250.5 and rows[0][4] == 78.36 and rows[2][4] is None
    assert sheet.cell(3, money).number_format == "#,##0.00"
    compared = list(book["部门对比"].iter_rows(min_row=3, values_only=True))
    assert compared == [("市教育局", 3, 2, 80.86, 1750.5, 1000, 0)]


def test_portfolio_refuses_an_unknown_sort_and_a_non_xlsx_file_in_chinese(run, tmp_path):
    result = run("portfolio", "--sort", "好坏")
    assert result.exit_code == 1 and "无法按“好坏”排序" in result.output
    result = run("portfolio", "--xlsx", tmp_path / "a.csv")
    assert result.exit_code == 1 and "输出文件名须以 .xlsx 结尾" in result.output


def test_report_all_writes_every_report_and_names_the_failed_one_in_the_index(run, tmp_path):
    out = tmp_path / "reports"
    result = run("report", "--all", "--year", "2024", "--no-charts", "--out", out)
    assert result.exit_code == 1, result.output
    assert "共 5 项：成功 4 项，失败 1 项" in result.output and "Traceback" not in result.output
    written = sorted(p.name for p in out.glob("*.docx"))
    assert written == [f"2024_synthetic-{n}-eval.docx" for n in (1, 2, 3, 4)]
    assert Document(out / written[1]).paragraphs[0].text == "合成测试项目绩效评价报告"
    index = load_workbook(out / "报告清单.xlsx")["报告清单"]
    assert [c.value for c in index[2]] == ["评价", "项目", "年度", "得分", "等级", "文件名", "结果", "原因"]
    rows = {r[0]: r for r in index.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 5
    failed = rows["draft-2024"]
    assert failed[5] is None and failed[6] == "失败" and "尚有末级指标未评分" in failed[7]
    ok = rows["synthetic-2-eval"]
    assert ok[1:7] == ("合成测试项目2", 2024, 78.36, "中", "2024_synthetic-2-eval.docx", "成功")


def test_report_all_of_a_department_succeeding_exits_zero(run, tmp_path):
    out = tmp_path / "health"
    result = run("report", "--all", "--department", "市卫生健康委", "--no-charts", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "2024_synthetic-3-eval.docx",
        "2024_synthetic-4-eval.docx",
        "报告清单.xlsx",
    ]


def test_report_refuses_a_folder_with_all_and_neither_folder_nor_all(run, tmp_path, yiyang_dir):
    result = run("report", yiyang_dir, "--all", "--out", tmp_path)
    assert result.exit_code == 1 and "--all 批量生成数据库中的评价，不再给案例文件夹" in result.output
    result = run("report", "--out", tmp_path / "r.docx")
    assert result.exit_code == 1 and "请给出案例文件夹，或用 --all" in result.output
    result = run("report", "--all", "--year", "2019", "--out", tmp_path / "none")
    assert result.exit_code == 1 and "没有符合条件的评价" in result.output
