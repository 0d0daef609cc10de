"""报告: the report checks, and documents generated from the page that open and hold what was
scored: the Word report (read back with python-docx), the 评分表 (openpyxl) and a PDF."""

from __future__ import annotations

import io
import shutil

import pytest
from docx import Document
from openpyxl import load_workbook
from screen import button, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations


def generate(at: AppTest) -> AppTest:
    at = button(at, "生成报告").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download(at: AppTest, label: str, downloads) -> bytes:
    found = [b for b in at.get("download_button") if b.label == label]
    assert found, f"no download {label!r}"
    return downloads(found[0])


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_report_checks_list_the_ledger_warnings_without_stopping_the_report(open_page):
    at = open_page("report")
    at = button(at, "运行报告检查").click().run()

    assert "报告检查：0 个错误，3 个警告或提示。警告不妨碍生成报告，会写入生成记录。" in texts(at.info)
    assert any("空调维修费" in w and "单位笔误" in w for w in texts(at.warning))


def test_the_report_generated_from_the_page_is_a_word_file_holding_the_new_total(
    open_page, draft, app_db, downloads
):
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft)
    entry = stored.case.evaluation.scores["A22"].model_dump()
    entry["deductions"][0]["points"] = "1"
    evaluations.save_score(app_db.uow(), PAGE_USER, draft, "A22", entry, stored.versions.of_score("A22"))

    at = generate(open_page("report", draft))

    assert not at.error, texts(at.error)
    text = docx_text(download(at, "下载 Word 报告（.docx）", downloads))
    assert "实得84.00分，被评为“良好”等级" in text
    assert "该项目后期维护与管理有待加强" in text
    sheet = load_workbook(io.BytesIO(download(at, "下载评分表（.xlsx）", downloads))).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "良好（总分 84.00 / 100.00）" in values


def test_a_report_the_checks_stop_lists_the_errors_and_offers_no_download(open_page, draft, app_db):
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft)
    evaluations.clear_score(app_db.uow(), PAGE_USER, draft, "A11", stored.versions.of_score("A11"))

    at = generate(open_page("report", draft))

    errors = " ".join(texts(at.error))
    assert "尚有末级指标未评分：A11（立项依据充分性）" in errors
    assert "报告未生成：检查发现 1 个错误，请先改正后重试" in errors
    assert not at.get("download_button")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装，跳过 PDF 测试")
def test_a_pdf_is_offered_when_libreoffice_is_installed(open_page, downloads):
    at = open_page("report")
    next(c for c in at.checkbox if c.label == "同时生成 PDF").check()

    at = generate(at)

    assert download(at, "下载 PDF", downloads).startswith(b"%PDF")
