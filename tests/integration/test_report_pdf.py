"""Render the reports with LibreOffice: the PDF holds 83.00 and 良好, a sane page count, real glyphs."""

import shutil
import subprocess

import pytest

from workbench.formats.cases import load_case
from workbench.reports.pdf import docx_to_pdf, soffice
from workbench.services.reporting import build_report

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: no PDF rendering"),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
    ),
]


def tool(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module", params=["seed", "mof2020"])
def pdf(request, tmp_path_factory, yiyang_dir):
    case = load_case(yiyang_dir)
    path = tmp_path_factory.mktemp("pdf") / f"{request.param}.pdf"
    path.write_bytes(docx_to_pdf(build_report(case, request.param).content))
    return path


def test_the_pdf_states_83_00_and_good(pdf):
    text = tool("pdftotext", "-layout", str(pdf), "-")
    assert "得分83分，被评为“良好”等级" in text.replace(" ", "").replace("\n", "")
    assert "附件" in text and "合计" in text


def test_the_page_count_is_that_of_a_report_with_its_tables(pdf):
    pages = int(
        next(line.split()[-1] for line in tool("pdfinfo", str(pdf)).splitlines() if line.startswith("Pages:"))
    )
    assert 8 <= pages <= 30


def page_number_line(pdf, page):
    text = tool("pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-")
    return next(line for line in reversed(text.splitlines()) if line.strip())


def test_page_numbers_are_dashed_at_the_outside_edge(pdf):
    even, odd = page_number_line(pdf, 2), page_number_line(pdf, 3)
    assert (even.replace(" ", ""), odd.replace(" ", "")) == ("—2—", "—3—")
    indent = len(odd) - len(odd.lstrip())
    assert indent > len(even) - len(even.lstrip()) + 20  # odd pages on the right, even on the left


def test_a_full_body_line_holds_28_characters(pdf):
    lines = tool("pdftotext", "-f", "1", "-l", "1", str(pdf), "-").splitlines()
    chinese = [line for line in lines if line and all("\u3000" <= ch <= "\uffee" for ch in line)]
    assert max(len(line) for line in chinese) == 28


def test_chinese_is_drawn_with_the_ofl_stand_in_fonts_not_boxes(pdf):
    fonts = tool("pdffonts", str(pdf))
    assert "NotoSerifCJK" in fonts and "SourceHanSerif" in fonts and "NotoSansCJK" in fonts
    assert "SimHei" not in fonts  # the commercial font in the mplfonts wheel is never used
