"""The printable 评分表 (.xlsx), written and read back with openpyxl."""

import io
from dataclasses import replace
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from workbench.domain.evaluation import IndicatorScore
from workbench.errors import InvalidInput
from workbench.formats.cases import load_case
from workbench.services.reporting import export_score_table

HEADERS = ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分", "扣分理由 / 评分说明", "评分标准"]


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def sheet_of(case):
    return load_workbook(io.BytesIO(export_score_table(case).content)).active


@pytest.fixture(scope="module")
def ws(case):
    return sheet_of(case)


def value_rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]


def num(value):
    return D(str(value)).quantize(D("0.01"))


def test_title_project_and_header_rows(ws, case):
    assert ws["A1"].value == "2018年度“益阳智慧大脑+政务服务”项目资金绩效评价指标评分表"
    assert case.project.name in ws["A2"].value and "2018" in ws["A2"].value
    assert [c.value for c in ws[3]] == HEADERS


def test_every_leaf_has_weight_score_and_reason_and_level_one_has_a_subtotal(ws, case):
    card = case.scorecard()
    rows = value_rows(ws)
    leaves = [r for r in rows if r[2]]
    assert [r[2] for r in leaves] == [n.name for n in card.leaves()]
    b25 = next(r for r in leaves if r[2] == "后期运行维护管理")
    assert (num(b25[3]), num(b25[4]), num(b25[5])) == (D("4.00"), D("1.00"), D("3.00"))
    assert "未明确专门人员" in b25[6] and "扣3分" in b25[6]
    subtotals = [(num(r[3]), num(r[4]), r[6]) for r in rows if r[1] == "小计"]
    assert subtotals == [
        (D("20.00"), D("16.00"), "得分率 80.00%"),
        (D("40.00"), D("31.00"), "得分率 77.50%"),
        (D("40.00"), D("36.00"), "得分率 90.00%"),
    ]


def test_total_and_grade_close_the_table(ws):
    rows = value_rows(ws)
    total = next(r for r in rows if r[0] == "合计")
    assert (num(total[3]), num(total[4]), num(total[5]), total[6]) == (
        D("100.00"),
        D("83.00"),
        D("17.00"),
        "等级：良好",
    )
    grade = next(r for r in rows if r[0] == "评价等级")
    assert grade[3] == "良好（总分 83 / 100）"


def test_level_one_and_level_two_cells_are_merged_down_their_rows(ws, case):
    merged = {str(r) for r in ws.merged_cells.ranges}
    card = case.scorecard()
    first = 4
    for top in card.nodes:
        span = sum(1 for n in top.walk() if n.is_leaf) + 1  # its leaves and its subtotal row
        assert f"A{first}:A{first + span - 1}" in merged
        first += span
    assert "B4:B5" in merged  # 项目立项 over its two leaves
    assert ws["B4"].value == "项目立项" and ws["B5"].value is None


def test_scores_are_numbers_with_two_decimals_and_text_is_never_a_formula(ws):
    assert ws["D4"].data_type == "n" and ws["D4"].number_format == "0.00"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_printing_is_landscape_a4_fit_to_width_with_the_header_repeated(ws):
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"


def test_formula_like_reason_is_stored_as_a_plain_string(case):
    attack = "=cmd|' /C calc'!A0"
    entry = case.evaluation.scores["B25"]
    deduction = entry.deductions[0].model_copy(update={"reason": attack})
    scores = {**case.evaluation.scores, "B25": entry.model_copy(update={"deductions": [deduction]})}
    other = replace(case, evaluation=case.evaluation.model_copy(update={"scores": scores}))
    ws = sheet_of(other)
    cell = next(
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=cmd")
    )
    assert cell.value == attack + "（扣3分）"
    assert cell.data_type == "s" and cell.quotePrefix


def test_text_too_long_for_excel_is_cut_with_a_warning(case):
    entry = case.evaluation.scores["A11"].model_copy(update={"rationale": "依据充分。" * 8000})
    scores = {**case.evaluation.scores, "A11": entry}
    other = replace(case, evaluation=case.evaluation.model_copy(update={"scores": scores}))
    result = export_score_table(other)
    ws = load_workbook(io.BytesIO(result.content)).active
    assert len(ws["G4"].value) <= 32767 and ws["G4"].value.endswith("全文见评价报告）")
    assert any("G4" in p.message and "32,767" in p.message for p in result.problems)


def test_a_not_applicable_indicator_shows_a_slash_and_the_total_is_rescaled(case):
    scores = {**case.evaluation.scores, "C51": IndicatorScore(not_applicable=True, na_reason="无服务对象")}
    other = replace(
        case, evaluation=case.evaluation.model_copy(update={"scores": scores, "reconstructed": ""})
    )
    ws = sheet_of(other)
    c51 = next(r for r in value_rows(ws) if r[2] == "服务对象满意度")
    assert c51[4] == "/" and c51[6] == "不适用：无服务对象"
    total = next(r for r in value_rows(ws) if r[0] == "合计")
    assert num(total[4]) == other.scorecard().total and "按比例分摊" in total[6]


def test_a_draft_with_an_unscored_indicator_still_prints_and_says_what_is_missing(case):
    scores = {code: entry for code, entry in case.evaluation.scores.items() if code != "B25"}
    other = replace(
        case, evaluation=case.evaluation.model_copy(update={"scores": scores, "reconstructed": ""})
    )
    result = export_score_table(other)
    rows = value_rows(load_workbook(io.BytesIO(result.content)).active)
    b25 = next(r for r in rows if r[2] == "后期运行维护管理")
    assert (b25[4], b25[5], b25[6]) == ("未评分", None, "尚未评分")
    assert [r[4] for r in rows if r[1] == "小计"][1] == "未评分"  # 项目管理 is not yet complete
    total = next(r for r in rows if r[0] == "合计")
    assert num(total[4]) == D("82.00") and total[6] == "等级：良好（尚有指标未评分）"
    assert "尚有末级指标未评分：B25（后期运行维护管理）" in [str(p) for p in result.problems]


def test_a_rescored_copy_still_stating_the_old_total_is_refused_naming_the_field(case):
    scores = {
        **case.evaluation.scores,
        "C51": case.evaluation.scores["C51"].model_copy(update={"deductions": []}),
    }
    other = replace(case, evaluation=case.evaluation.model_copy(update={"scores": scores}))
    with pytest.raises(InvalidInput) as err:
        export_score_table(other)
    assert "评分表重构说明" in str(err.value) and "83 分" in str(err.value) and "86.00" in str(err.value)
