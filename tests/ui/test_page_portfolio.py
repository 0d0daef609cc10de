"""绩效评价总览 as a leader and an evaluator use it: the newest year's evaluations with score,
grade, money and status, narrowed by 主管部门, 等级 and 状态; the grade distribution and the
department comparison; the list exported to Excel and every report of the list made at once."""

from __future__ import annotations

import io
import zipfile

import pytest
from actors import CLI, LEADER
from openpyxl import load_workbook
from portfolio_cases import store_plan
from screen import metric, shown, texts

from workbench.services import cases


@pytest.fixture(scope="module")
def bureau(app_db):
    """The shipped Yiyang case (2018) and the synthetic bureau: four 2024 evaluations of two
    departments, one of 2023, and a 2024 draft of 市卫生健康委 not scored yet."""
    store_plan(app_db)
    project = {"name": "未评分项目", "year": 2024, "department": "市卫生健康委", "unit": {"name": "某医院"}}
    cases.new_evaluation(app_db.uow(), CLI, project, "synthetic", "b", evaluation_id="draft-2024")
    return app_db


def listed(at) -> list[str]:
    return list(at.dataframe[0].value["评价编号"])


def test_a_leader_sees_the_newest_year_best_score_first_with_figures_and_charts(open_page, bureau):
    at = open_page("portfolio", None, as_=LEADER)
    assert texts(at.title) == ["绩效评价总览"]
    assert listed(at)[:2] == ["synthetic-1-eval", "synthetic-3-eval"] and listed(at)[-1] == "draft-2024"
    assert len(listed(at)) == 5 and "yiyang-smart-brain-2018-eval" not in listed(at)
    assert metric(at, "评价数") == "5 项" and metric(at, "评价资金（万元）") == "2,050.50"
    assert len(at.get("plotly_chart")) == 2
    departments = at.table[0].value
    assert list(departments["主管部门"]) == ["市教育局", "市卫生健康委"]
    assert list(departments["平均得分"]) == ["80.86", "70.86"]
    assert "绩效评价总览（2024年度，全部主管部门）" in shown(at)


def test_filters_narrow_the_list_by_department_grade_status_and_year(open_page, bureau):
    at = open_page("portfolio", None, as_=LEADER)
    at = at.selectbox(key="portfolio_department").set_value("市卫生健康委").run()
    assert sorted(listed(at)) == ["draft-2024", "synthetic-3-eval", "synthetic-4-eval"]
    at = at.multiselect(key="portfolio_grades").set_value(["差"]).run()
    assert listed(at) == ["synthetic-4-eval"]
    at = at.multiselect(key="portfolio_grades").set_value([]).run()
    at = at.selectbox(key="portfolio_department").set_value("全部主管部门").run()
    at = at.selectbox(key="portfolio_year").set_value("2018").run()
    assert listed(at) == ["yiyang-smart-brain-2018-eval"] and metric(at, "平均得分") == "83.00"
    at = at.multiselect(key="portfolio_statuses").set_value(["定稿"]).run()
    assert listed(at) == ["yiyang-smart-brain-2018-eval"]


def test_sorting_by_money_puts_the_largest_first(open_page, bureau):
    at = open_page("portfolio", None, as_=LEADER)
    at = at.selectbox(key="portfolio_sort").set_value("评价资金").run()
    assert listed(at)[0] == "synthetic-2-eval"


def test_the_excel_export_downloads_the_filtered_list_as_a_workbook(open_page, bureau, downloads):
    at = open_page("portfolio", None, as_=LEADER)
    at = at.selectbox(key="portfolio_department").set_value("市教育局").run()
    at = next(b for b in at.button if b.label == "生成 Excel 总览").click().run()
    button = next(b for b in at.get("download_button") if b.proto.label == "下载 Excel 总览")
    book = load_workbook(io.BytesIO(downloads(button)))
    rows = list(book["评价清单"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["synthetic-1-eval", "synthetic-2-eval"]
    assert book["评价清单"]["A1"].value == "绩效评价总览（2024年度，市教育局）"


def test_batch_reports_make_a_zip_of_every_report_and_name_the_one_that_failed(open_page, bureau, downloads):
    at = open_page("portfolio", None, as_=LEADER)
    at = at.selectbox(key="portfolio_department").set_value("市卫生健康委").run()
    at = next(b for b in at.button if b.label.startswith("批量生成报告（3 份）")).click().run()
    assert not at.exception
    assert "成功 2 项，失败 1 项" in shown(at)
    assert any("draft-2024" in w and "尚有末级指标未评分" in w for w in texts(at.warning))
    button = next(b for b in at.get("download_button") if b.proto.label == "下载报告（.zip）")
    archive = zipfile.ZipFile(io.BytesIO(downloads(button)))
    assert sorted(archive.namelist()) == [
        "2024_synthetic-3-eval.docx",
        "2024_synthetic-4-eval.docx",
        "报告清单.xlsx",
    ]
    index = load_workbook(io.BytesIO(archive.read("报告清单.xlsx")))["报告清单"]
    results = {r[0]: r[6] for r in index.iter_rows(min_row=3, values_only=True)}
    assert results == {"synthetic-3-eval": "成功", "synthetic-4-eval": "成功", "draft-2024": "失败"}
