"""The 自评表 written as .xlsx in the standard layout and read back: same figures, plain text only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from selfeval_forms import standard_form
from xlsx_tables import published, self_evaluation

from workbench.errors import InvalidInput
from workbench.formats.cases import load_bands
from workbench.formats.review_rules import load_review_rules
from workbench.formats.score_import import import_scores
from workbench.formats.selfeval_xlsx import read_selfeval, write_selfeval

D = Decimal
BANDS = load_bands("mof-2020")


def filled_form():
    form = standard_form()
    return form.model_copy(
        update={
            "project": "益阳智慧大脑+政务服务项目",
            "department": "益阳市人民政府办公室",
            "unit": "市电子政务管理办公室",
            "goals_expected": "整合资源，实现共享，提高网络安全性",
            "goals_achieved": "平台建成并通过验收，政务外网覆盖 200 个部门",
        }
    )


@pytest.fixture
def exported(tmp_path):
    form = filled_form()
    card = form.scorecard(BANDS)
    return form, card, write_selfeval(form, card, tmp_path / "自评表.xlsx")


def test_export_then_import_gives_the_same_figures_scores_and_notes(exported):
    form, card, path = exported
    back = read_selfeval(path)
    again = back.scorecard(BANDS)

    assert back.rows == [r.model_copy(update={"score": card.find(c).score if card.find(c).status == "scored" else None})
                         for (c, r) in form.codes()[1:]]  # fmt: skip
    assert (back.project, back.department, back.unit, back.year) == (
        form.project,
        form.department,
        form.unit,
        2023,
    )
    assert (back.goals_expected, back.goals_achieved) == (form.goals_expected, form.goals_achieved)
    assert back.funds.total == form.funds.total
    assert [(n.code, n.score, n.status) for n in again.walk()] == [
        (n.code, n.score, n.status) for n in card.walk()
    ]
    assert again.total == card.total == back.stated_total
    assert back.problems(again) == []


def test_export_uses_the_standard_10_hao_layout(exported):
    _, card, path = exported
    ws = load_workbook(path).active
    assert ws["A1"].value == "项目支出绩效自评表"
    assert ws["A2"].value == "（2023年度）"
    assert [ws.cell(5, c).value for c in range(3, 9)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert [ws.cell(r, 2).value for r in range(6, 10)] == [
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    assert ws["G6"].value == "95.00%" and ws["H6"].value == D("9.50")
    assert (ws["B10"].value, ws["F10"].value) == ("预期目标", "实际完成情况")
    assert [ws.cell(12, c).value for c in range(2, 10)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
    ]  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "B13:B16" in merged  # 产出指标 over its four rows
    assert ws["A21"].value == "总分" and ws["G21"].value == 100 and D(str(ws["H21"].value)) == card.total


def test_user_text_is_stored_as_plain_text_never_as_a_formula(tmp_path):
    form = filled_form()
    form.rows[6] = form.rows[6].model_copy(update={"deviation": '=HYPERLINK("http://x.invalid","点我")'})
    form = form.model_copy(update={"project": "=1+1", "goals_expected": "+SUM(A1:A2)"})
    card = form.scorecard(BANDS)
    path = write_selfeval(form, card, tmp_path / "t.xlsx")

    ws = load_workbook(path).active
    assert ws["B3"].data_type == "s" and ws["B3"].value == "=1+1"
    back = read_selfeval(path)  # the importer refuses formulas, so this also proves there are none
    assert back.project == "=1+1"
    assert back.goals_expected == "+SUM(A1:A2)"
    assert back.rows[6].deviation == '=HYPERLINK("http://x.invalid","点我")'


def test_control_characters_pasted_into_the_form_are_dropped_not_a_failed_export(tmp_path):
    form = filled_form()
    form.rows[6] = form.rows[6].model_copy(update={"deviation": "运维无专人\x0b下一步配备专职人员"})
    form = form.model_copy(update={"unit": "市电子政务\x07管理办公室"})
    path = write_selfeval(form, form.scorecard(BANDS), tmp_path / "t.xlsx")

    back = read_selfeval(path)
    assert back.unit == "市电子政务管理办公室"
    assert back.rows[6].deviation == "运维无专人下一步配备专职人员"


def test_exported_form_reads_as_a_clean_score_table_under_the_self_evaluation_rules(exported):
    _, card, path = exported
    result = import_scores(path)
    assert result.rules_from == "项目支出绩效自评表（10号 附件2）"
    assert result.problems == []
    assert result.total == card.total


def test_a_hand_filled_form_reads_with_its_stated_scores_and_passes_the_checks(tmp_path):
    form = read_selfeval(self_evaluation(tmp_path / "自评表.xlsx"))
    card = form.scorecard(BANDS)
    assert form.project == "益阳智慧大脑+政务服务项目" and form.year == 2018
    assert form.funds.total.executed == D("1905.2") and form.funds.stated_score == 10
    assert [r.not_applicable for r in form.rows].count(True) == 1
    assert card.total == D("93.00")
    assert form.problems(card) == []


def test_a_bad_form_file_gets_the_same_clear_message_as_any_import(tmp_path):
    path = tmp_path / "自评表.xlsx"
    path.write_text("not a workbook", "utf-8")
    with pytest.raises(InvalidInput) as err:
        read_selfeval(path)
    assert err.value.messages == [
        "文件 自评表.xlsx：不是 Excel 工作簿（.xlsx）：文件内容不是 .xlsx 格式（可能是 CSV、文本或其他文档），请在 Excel 中另存为 .xlsx"
    ]


def test_panel_and_review_thresholds_come_from_the_data_file():
    panel, inflation = load_review_rules()
    assert panel.trim_min_experts == 5
    assert panel.outlier_percent_of_weight == 20
    assert inflation.inflated_gap_points == 1
    assert inflation.inflated_gap_percent_of_weight == 10


def test_a_plain_score_table_is_not_taken_for_a_self_evaluation(tmp_path):
    with pytest.raises(InvalidInput) as err:
        read_selfeval(published(tmp_path / "评分表.xlsx"))
    assert err.value.messages == [
        "文件 评分表.xlsx，工作表「评分表」：没有“项目资金”栏（年初预算数、全年预算数、全年执行数），"
        "不是 10号 附件2 格式的自评表；只核对得分请用“导入评分表”（workbench import-scores）"
    ]
