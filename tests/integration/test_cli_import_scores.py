"""`workbench import-scores FILE.xlsx` as a user runs it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner
from xlsx_tables import PUBLISHED, published, self_evaluation

from workbench.cli import app
from workbench.formats.selfeval_xlsx import read_selfeval


def run(*args: str):
    return CliRunner().invoke(app, ["import-scores", *args], env={"WORKBENCH_CLI_WIDTH": "200"})


def test_import_scores_prints_tree_total_grade_and_says_nothing_is_wrong(tmp_path):
    result = run(str(published(tmp_path / "评分表.xlsx")), "--bands", "excellent-good")

    assert result.exit_code == 0, result.output
    out = result.output
    assert "1.2.1" in out and "绩效目标合理性" in out and "绩效目标仅有定性表述" in out
    assert "重算总分 83.00    等级：良好" in out
    assert "表列总分 83.00" in out
    assert "不一致之处（0 处）" in out and "未发现不一致" in out


def test_import_scores_lists_every_inconsistency(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[1][5] = 6  # above its weight of 4
    result = run(str(published(tmp_path / "t.xlsx", body, total=90)))

    assert result.exit_code == 1, result.output  # read, with 错误-level inconsistencies
    assert "不一致之处（2 处）" in result.output
    assert "得分 6.00 高于分值 4.00" in result.output
    assert "表列总分 90.00，与各指标得分合计 85.00 不一致（相差 5.00）" in result.output


def test_import_scores_checks_a_self_evaluation_against_its_budget_figures(tmp_path):
    path = self_evaluation(tmp_path / "自评表.xlsx", budget=(1905, 2000, 1500), funds_score=10, total=90)
    result = run(str(path))

    assert result.exit_code == 1, result.output  # the stated 执行率 score is an error
    assert "一级指标分值按「项目支出绩效自评表（10号 附件2）」的结构要求核对" in result.output
    assert "项目资金：执行率 75.00%" in result.output
    assert "执行率得分填写为 10.00 分，与预算数据不符" in result.output


def test_bad_file_prints_one_chinese_line_and_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "scores.xlsx"
    path.write_text("一级指标,二级指标\n", "utf-8")
    result = run(str(path))

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (
        result.output.strip()
        == "错误：文件 scores.xlsx：不是 Excel 工作簿（.xlsx）：文件内容不是 .xlsx 格式（可能是 CSV、文本或其他文档），请在 Excel 中另存为 .xlsx"
    )


def test_brackets_in_the_users_cells_are_printed_as_written(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[2][6] = "目标未量化[注1][note]"  # a reason with bracketed notes
    shown = run(str(published(tmp_path / "t.xlsx", body)))
    body[3][3] = "[/b]"  # a weight cell holding text that looks like a closing style tag
    refused = run(str(published(tmp_path / "bad.xlsx", body)))

    assert shown.exit_code == 0, shown.output
    assert "目标未量化[注1][note]" in shown.output
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "第 6 行（D6 单元格），字段「分值」：应为数字，填写的是“[/b]”" in refused.output


def test_row_limit_can_be_lifted_from_the_command_line(tmp_path):
    body = [list(r) for r in PUBLISHED]
    path = published(tmp_path / "t.xlsx", body)
    refused = run(str(path), "--max-rows", "5")
    lifted = run(str(path), "--max-rows", "0")

    assert refused.exit_code == 2 and "超过导入上限 5 行" in refused.output
    assert lifted.exit_code == 0 and "重算总分 83.00" in lifted.output


def test_import_selfeval_rescores_the_form_by_its_rules_and_can_save_it(tmp_path):
    path = self_evaluation(tmp_path / "自评表.xlsx", budget=(1905, 2000, 1500), funds_score=10, total=90)
    saved = tmp_path / "重算.xlsx"
    result = CliRunner().invoke(
        app, ["import-selfeval", str(path), "--export", str(saved)], env={"WORKBENCH_CLI_WIDTH": "200"}
    )

    assert result.exit_code == 1, result.output  # the stated total disagrees: an error
    assert "按规则重算总分 90.50" in result.output  # 7.50 for 75 % executed instead of the 10 stated
    assert "总分填写为 90.00，按各项计算为 90.50" in result.output
    assert read_selfeval(saved).stated_total == Decimal("90.50")


def test_samples_for_users_import_cleanly():
    samples = Path(__file__).resolve().parents[2] / "data" / "samples"
    for name, total in (("score-table-sample.xlsx", "83.00"), ("self-evaluation-sample.xlsx", "93.00")):
        result = run(str(samples / name))
        assert result.exit_code == 0, result.output
        assert f"重算总分 {total}" in result.output and "未发现不一致" in result.output
