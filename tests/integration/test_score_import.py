"""Importing published score tables from real .xlsx files written into tmp_path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from xlsx_tables import PUBLISHED, blank_merged_level_cells, published, self_evaluation, write_book

from workbench.domain.scoring import score_evaluation
from workbench.errors import InvalidInput, NotFound
from workbench.formats.cases import load_bands
from workbench.formats.score_import import import_scores, read_score_table

D = Decimal


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_published_table_is_rebuilt_as_a_tree_with_recomputed_total_and_grade(tmp_path):
    result = import_scores(published(tmp_path / "评分表.xlsx"), bands="excellent-good")

    table = result.table
    assert [n.name for n in table.nodes] == ["决策", "过程", "产出", "效益"]
    assert [n.weight for n in table.nodes] == [15, 25, 35, 25]
    decision = table.nodes[0]
    assert [c.name for c in decision.children] == ["项目立项", "绩效目标", "资金投入"]
    assert [leaf.name for leaf in decision.children[0].children] == ["立项依据充分性", "立项程序规范性"]
    assert decision.children[1].children[0].leaf.reason == "绩效目标仅有定性表述"
    assert table.total == D("83.00")
    assert result.grade == "良好"
    assert table.stated_total == 83
    assert result.problems == []


@pytest.mark.parametrize("layout", ["blank cells", "merged cells"])
def test_blank_or_merged_level_cells_mean_same_as_above(tmp_path, layout):
    body, merges = list(PUBLISHED), []
    if layout == "merged cells":
        body, merges = blank_merged_level_cells(PUBLISHED, first_row=3)

    table = read_score_table(published(tmp_path / "t.xlsx", body, merges=merges))

    paths = [r.names for r in table.rows]
    assert paths[1] == ("决策", "项目立项", "立项程序规范性")
    assert paths[5] == ("过程", "资金管理", "资金使用合规性")
    assert paths[-1] == ("效益", "满意度", "服务对象满意度")
    assert len(table.nodes) == 4


def test_header_row_may_sit_on_any_of_the_first_ten_rows(tmp_path):
    preamble = [["2018年度项目资金绩效评价"], *[[f"说明第 {i} 行"] for i in range(8)]]
    table = read_score_table(published(tmp_path / "t.xlsx", preamble=preamble))
    assert table.total == D("83.00")
    assert table.title == "2018年度项目资金绩效评价"


def test_header_below_the_tenth_row_is_not_found(tmp_path):
    preamble = [[f"说明第 {i} 行"] for i in range(10)]
    with pytest.raises(Exception) as err:
        read_score_table(published(tmp_path / "t.xlsx", preamble=preamble))
    assert "前 10 行中找不到表头行" in str(err.value)
    assert "t.xlsx" in str(err.value)


def test_slash_row_is_not_applicable_and_leaves_the_total_alone(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[-1] = ["", "满意度", "服务对象满意度", 10, "", "/", ""]
    result = import_scores(published(tmp_path / "t.xlsx", body, total=80))

    row = result.table.rows[-1]
    assert row.not_applicable
    assert result.table.total == D("80.00")
    assert result.table.score100() == D("88.89")  # 80 of the 90 points that apply
    assert result.problems == []


def test_stated_total_that_differs_from_the_sum_is_reported_with_the_gap(tmp_path):
    result = import_scores(published(tmp_path / "t.xlsx", total=85))
    assert result.table.total == D("83.00")
    assert any("表列总分 85.00，与各指标得分合计 83.00 不一致（相差 2.00）" in m for m in messages(result))
    assert any("第 14 行" in m for m in messages(result))  # title, header, 11 rows, 总分


def test_weights_that_do_not_sum_to_100_say_what_they_sum_to(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[0][3] = 9  # 立项依据充分性 9 instead of 4
    result = import_scores(published(tmp_path / "t.xlsx", body))
    assert any("各指标分值合计 105.00，应为 100.00（相差 5.00）" in m for m in messages(result))
    assert any("总分行的分值 100.00，与各指标分值合计 105.00 不一致" in m for m in messages(result))


def test_score_above_its_weight_is_reported_and_counted_at_the_weight(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[1][5] = 6  # 立项程序规范性 scored 6 of 4
    result = import_scores(published(tmp_path / "t.xlsx", body, total=85))
    found = [m for m in messages(result) if "高于分值" in m]
    assert found == [
        "文件 t.xlsx，工作表「评分表」第 4 行，字段「得分」：得分 6.00 高于分值 4.00（重算总分按 4.00 计）"
    ]
    assert result.table.total == D("83.00")


def test_self_evaluation_with_level_one_weights_off_10_50_30_10_is_flagged_from_the_data_file(tmp_path):
    from xlsx_tables import SELF_EVAL_INDICATORS

    rows = [list(r) for r in SELF_EVAL_INDICATORS]
    rows[0][6], rows[0][7] = 25, 25  # 产出 55
    rows[8][6] = 5  # 满意度 5
    result = import_scores(self_evaluation(tmp_path / "自评.xlsx", indicators=rows, total=98))
    assert result.rules_from == "项目支出绩效自评表（10号 附件2）"
    found = messages(result)
    assert any("产出指标 分值为 55.00，要求等于 50.00（自评表：产出指标 50 分）" in m for m in found)
    assert any("满意度指标 分值为 5.00，要求等于 10.00" in m for m in found)


def test_self_evaluation_table_reads_the_funds_block_as_the_execution_indicator(tmp_path):
    result = import_scores(self_evaluation(tmp_path / "自评.xlsx"))
    table = result.table
    assert [n.name for n in table.nodes] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert [n.weight for n in table.nodes] == [10, 50, 30, 10]
    assert table.funds is not None and table.funds.total.executed == D("1905.2")
    assert table.goals == ("整合资源，实现共享", "平台建成并通过验收")
    assert table.total == D("93.00")
    assert result.problems == []


def test_execution_score_that_contradicts_the_budget_figures_is_reported(tmp_path):
    path = self_evaluation(tmp_path / "自评.xlsx", budget=(1905, 2000, 1500), funds_score=10)
    found = messages(import_scores(path))
    assert any(
        "第 6 行" in m
        and "执行率得分填写为 10.00 分，与预算数据不符：执行率 75.00%" in m
        and "应得 7.50 分" in m
        for m in found
    )


def test_imported_scores_become_a_system_and_evaluation_that_score_to_the_same_total(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[-1] = ["", "满意度", "服务对象满意度", 10, "", "/", ""]
    table = read_score_table(published(tmp_path / "t.xlsx", body, total=80))

    system = table.to_system("imported", "导入的评分表")
    evaluation = table.to_evaluation("imported-eval", "p", "imported", "excellent-good", 2018)
    card = score_evaluation(system, evaluation, load_bands("excellent-good"))

    assert system.problems() == []
    assert card.total == table.total == D("80.00")
    assert card.score100 == table.score100()
    leaf = card.find("1.2.1")
    assert leaf is not None and [d.reason for d in leaf.deductions] == ["绩效目标仅有定性表述"]
    assert leaf.deductions[0].points == 1
    assert card.find("4.2.1").status == "na"


def test_first_sheet_without_a_header_is_passed_over_for_one_that_has_one(tmp_path):
    rows = [
        ["附件：指标评分表"],
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["决策", "立项", "依据", 100, 90],
    ]
    path = write_book(
        tmp_path / "t.xlsx", [["封面"], ["2018年度"]], sheet="封面", extra_sheets={"评分表": rows}
    )
    table = read_score_table(path)
    assert table.sheet == "评分表" and table.total == 90


def test_rows_below_the_total_row_are_not_read_but_are_mentioned(tmp_path):
    path = published(tmp_path / "t.xlsx")
    book = load_workbook(path)
    book.active.append([])
    book.active.append(["评价人：张三", "", "", 5, "", 5])
    book.active.append(["日期：2019年6月"])
    book.save(path)

    result = import_scores(path)
    assert result.table.total == D("83.00")
    assert len(result.table.rows) == len(PUBLISHED)
    assert [(p.severity, p.message) for p in result.problems] == [
        ("info", "总分行之后还有 2 行内容（第 16–17 行），未作为指标读取（如为备注、签字可忽略）")
    ]


@pytest.mark.parametrize(
    "header",
    [
        ["一级指标", "二级指标", "三级指标", "分值（分）", "评分标准", "得 分", "扣分原因"],
        ["一级 指标", "二级指标", "三级指标", "权重", "评分细则", "评价得分", "扣分说明"],
    ],
)
def test_header_words_are_matched_without_spaces_units_or_usual_synonyms(tmp_path, header):
    table = read_score_table(published(tmp_path / "t.xlsx", header=header))
    assert table.total == D("83.00")
    assert table.rows[2].reason == "绩效目标仅有定性表述"


def test_two_level_table_without_a_third_level_column(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "得分"],
        ["决策", "立项依据", 40, "38分"],
        ["", "程序规范", 60, 55],
    ]
    table = read_score_table(write_book(tmp_path / "t.xlsx", rows))
    assert [r.names for r in table.rows] == [("决策", "立项依据"), ("决策", "程序规范")]
    assert table.total == 93


def test_a_header_repeated_inside_the_table_is_skipped(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body.insert(5, ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分", "扣分理由"])
    table = read_score_table(published(tmp_path / "t.xlsx", body))
    assert len(table.rows) == len(PUBLISHED) and table.total == D("83.00")


def test_many_bad_cells_are_listed_up_to_a_limit_with_the_rest_counted(tmp_path):
    body = [["决策", "立项", f"指标{i}", "几分", "", 1, ""] for i in range(40)]
    with pytest.raises(InvalidInput) as err:
        read_score_table(published(tmp_path / "t.xlsx", body))
    assert len(err.value.problems) == 31
    assert err.value.messages[-1] == "文件 t.xlsx：……另有 10 处问题未列出"


def test_a_sheet_named_on_the_command_line_must_exist(tmp_path):
    with pytest.raises(NotFound, match="没有名为「汇总」的工作表，现有：评分表"):
        read_score_table(published(tmp_path / "t.xlsx"), sheet="汇总")


def test_the_message_names_the_sheet_that_came_closest_to_a_score_table(tmp_path):
    near = [
        ["附件"],
        ["一级指标", "二级指标", "三级指标", "分值", "扣分理由"],
        ["决策", "立项", "依据", 100, ""],
    ]
    path = write_book(tmp_path / "t.xlsx", [["封面"]], sheet="封面", extra_sheets={"评分表": near})
    with pytest.raises(InvalidInput) as err:
        read_score_table(path)
    assert err.value.messages == [
        "文件 t.xlsx，工作表「评分表」第 2 行：表头缺少「得分」列（须有 一级指标、二级指标、分值、得分）"
    ]
