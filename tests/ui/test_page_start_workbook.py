"""新建评价 → 用 Excel 工作簿: the blank workbook to download, a filled one uploaded as a new evaluation."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from screen import metric, texts

from workbench.formats.case_xlsx_write import case_workbook
from workbench.formats.cases import load_case

YIYANG_DIR = Path(__file__).resolve().parents[2] / "projects" / "yiyang-smart-brain-2018"


def workbook_upload(at):
    return next(u for u in at.get("file_uploader") if "案例工作簿" in u.proto.label)


def click(at, label):
    return next(b for b in at.button if b.label == label).click().run()


def test_the_blank_workbook_offered_has_the_six_sheets_a_bureau_fills_in(open_page, downloads):
    at = open_page("start")

    button = next(b for b in at.get("download_button") if b.label == "下载空白案例工作簿")

    book = openpyxl.load_workbook(io.BytesIO(downloads(button)))
    assert book.sheetnames == ["项目信息", "资金台账", "支出明细", "指标体系", "评分", "问题与建议"]
    assert book["支出明细"]["E1"].value == "单位（万元/元）"
    units = next(v for v in book["支出明细"].data_validations.dataValidation if "E2" in str(v.sqref))
    assert units.formula1 == '"万元,元"' and units.showErrorMessage


def test_an_uploaded_workbook_opens_as_a_new_evaluation_on_scoring(open_page):
    at = open_page("start")
    workbook_upload(at).upload("益阳.xlsx", case_workbook(load_case(YIYANG_DIR)), "application/octet-stream")
    at.text_input(key="book_as").set_value("yiyang-from-book")

    at = click(at, "导入工作簿")

    assert not at.exception, [e.value for e in at.exception]
    assert texts(at.title) == ["评分"], texts(at.error)
    assert at.session_state["evaluation_id"] == "yiyang-from-book"
    assert metric(at, "总分") == "83.00 / 100.00"


def test_a_workbook_with_a_wrong_unit_is_refused_naming_sheet_and_cell_and_nothing_is_added(open_page):
    book = openpyxl.load_workbook(io.BytesIO(case_workbook(load_case(YIYANG_DIR))))
    book["支出明细"]["E5"] = "千元"
    out = io.BytesIO()
    book.save(out)
    at = open_page("start")
    before = len(at.dataframe[0].value)
    workbook_upload(at).upload("益阳.xlsx", out.getvalue(), "application/octet-stream")
    at.text_input(key="book_as").set_value("yiyang-bad-unit")

    at = click(at, "导入工作簿")

    shown = " ".join(texts(at.error))
    assert "益阳.xlsx" in shown and "支出明细" in shown and "E5" in shown and "千元" in shown
    assert texts(at.title) == ["新建评价"] and len(at.dataframe[0].value) == before
