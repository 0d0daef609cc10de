"""`workbench report` and `workbench export-scores` as a user runs them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from workbench.cli import app


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def run_installed(*args):
    """The console script as a user runs it: a well-formed ``report`` goes without Typer."""
    script = Path(sys.executable).parent / "workbench"
    return subprocess.run([script, *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def case_copy(tmp_path, yiyang_dir):
    target = tmp_path / "case"
    shutil.copytree(yiyang_dir, target)
    return target


def test_report_writes_the_docx_and_a_log_and_prints_the_warnings(tmp_path, yiyang_dir):
    out = tmp_path / "报告.docx"
    result = run("report", yiyang_dir, "--template", "seed", "--out", out)
    assert result.exit_code == 0, result.output
    assert "警告" in result.output and "未在“存在的问题”中说明" in result.output
    assert "已生成报告" in result.output and "总分 83.00 / 100.00，等级：良好" in result.output
    assert Document(out).paragraphs[0].text == "2018年度益阳智慧大脑+政务服务项目资金绩效评价报告"
    log = (tmp_path / "报告.docx.log.txt").read_text("utf-8")
    assert (
        "模板：seed" in log
        and "等级：良好" in log
        and log.count("警告：") == 1
        and "已处理（按笔误更正" in log
    )


def test_report_in_the_mof2020_outline_without_charts(tmp_path, yiyang_dir):
    out = tmp_path / "report.docx"
    result = run("report", yiyang_dir, "-t", "mof2020", "--no-charts", "-o", out)
    assert result.exit_code == 0, result.output
    doc = Document(out)
    assert "四、绩效评价指标分析" in [p.text for p in doc.paragraphs]
    assert len(doc.inline_shapes) == 0
    assert "图表：未插入" in (tmp_path / "report.docx.log.txt").read_text("utf-8")


def test_report_with_an_error_is_not_written_and_the_old_file_is_kept(tmp_path, case_copy):
    path = case_copy / "project.yaml"
    text = path.read_text("utf-8").replace(
        "background: 为了整合资源，", "background: 该项目总投资14,860万元。为了整合资源，"
    )
    path.write_text(text, "utf-8")
    out = tmp_path / "report.docx"
    out.write_bytes(b"yesterday's report")
    result = run("report", case_copy, "--out", out)
    assert result.exit_code == 1
    assert "错误" in result.output and "14,860万元" in result.output and "14,680.00 万元" in result.output
    assert "报告未生成" in result.output and "Traceback" not in result.output
    assert out.read_bytes() == b"yesterday's report"
    assert not (tmp_path / "report.docx.log.txt").exists()


def test_report_refuses_an_output_that_is_not_a_docx(tmp_path, yiyang_dir):
    result = run("report", yiyang_dir, "--out", tmp_path / "report.pdf")
    assert result.exit_code == 1 and "输出文件名须以 .docx 结尾" in result.output


def test_report_names_a_missing_output_folder(tmp_path, yiyang_dir):
    result = run("report", yiyang_dir, "--out", tmp_path / "no" / "report.docx")
    assert result.exit_code == 1 and "输出目录不存在" in result.output


def test_report_with_an_unknown_template_lists_the_templates(tmp_path, yiyang_dir):
    result = run("report", yiyang_dir, "--template", "province", "--out", tmp_path / "r.docx")
    assert (
        result.exit_code == 1 and "找不到报告模板“province”" in result.output and "mof2020" in result.output
    )


def test_report_on_a_missing_case_folder_says_so(tmp_path):
    result = run("report", tmp_path / "nothing", "--out", tmp_path / "r.docx")
    assert result.exit_code == 1 and "案例文件夹不存在" in result.output


def test_export_scores_writes_the_score_table(tmp_path, yiyang_dir):
    out = tmp_path / "评分表.xlsx"
    result = run("export-scores", yiyang_dir, "--out", out)
    assert result.exit_code == 0, result.output
    assert (
        "已导出评分表" in result.output and "24 项末级指标" in result.output and "等级：良好" in result.output
    )
    ws = load_workbook(out).active
    assert ws["A1"].value.endswith("指标评分表")


def test_export_scores_refuses_an_output_that_is_not_xlsx(tmp_path, yiyang_dir):
    result = run("export-scores", yiyang_dir, "--out", tmp_path / "scores.xls")
    assert result.exit_code == 1 and "输出文件名须以 .xlsx 结尾" in result.output


def test_the_installed_report_command_prints_what_the_typer_command_prints(tmp_path, yiyang_dir):
    done = run_installed("report", yiyang_dir, "-o", tmp_path / "a.docx")
    typer_run = run("report", yiyang_dir, "-o", tmp_path / "b.docx")

    assert done.returncode == 0 == typer_run.exit_code, done.stderr
    assert done.stdout.replace("a.docx", "b.docx") == typer_run.output
    assert (
        Document(tmp_path / "a.docx").paragraphs[0].text == Document(tmp_path / "b.docx").paragraphs[0].text
    )


def test_the_installed_report_command_prints_an_error_line_and_exits_with_1(tmp_path, yiyang_dir):
    done = run_installed("report", yiyang_dir, "--out", tmp_path / "report.pdf")

    assert done.returncode == 1
    assert done.stderr == f"错误：输出文件名须以 .docx 结尾：{tmp_path / 'report.pdf'}\n"
    assert "Traceback" not in done.stderr and not (tmp_path / "report.pdf").exists()


def test_the_installed_report_command_answers_a_usage_error_with_one_chinese_line(tmp_path, yiyang_dir):
    done = run_installed("report", yiyang_dir, "--foo", "--out", tmp_path / "r.docx")
    helped = run_installed("report", "--help")

    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "未知选项：--foo。是否想用 --out？可运行 workbench report --help 查看用法。\n"
    assert helped.returncode == 0 and "用法：workbench report [选项] [case]" in helped.stdout
    assert not (tmp_path / "r.docx").exists()
