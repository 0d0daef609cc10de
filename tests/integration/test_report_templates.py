"""Templates: none uses data the context lacks; a dropped .docx is a new template; bad ones are named."""

import importlib.util
import io
import shutil

import pytest
from docx import Document

from workbench.errors import InvalidInput, NotFound
from workbench.formats.cases import load_case
from workbench.reports import templates
from workbench.reports.context import build_context
from workbench.reports.render import undeclared
from workbench.reports.synthetic import synthetic_case
from workbench.services.reporting import build_report

TEMPLATES = templates.available()


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


def test_the_two_shipped_templates_are_found():
    assert {"seed", "mof2020"} <= set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_no_template_uses_a_variable_its_context_lacks(name, case):
    for subject in (case, synthetic_case(2, 2, 2)):
        context = build_context(subject, subject.scorecard())
        assert undeclared(TEMPLATES[name], context) == set()


def test_a_template_variable_the_context_lacks_is_detected(tmp_path, case):
    path = tmp_path / "custom.docx"
    doc = Document()
    doc.add_paragraph("{{ title }}：预算{{ budget_total }}万元")
    doc.save(path)
    assert undeclared(path, build_context(case, case.scorecard())) == {"budget_total"}


def test_dropping_a_docx_into_the_templates_folder_adds_a_template(tmp_path, monkeypatch, case):
    shutil.copy(TEMPLATES["seed"], tmp_path / "county.docx")
    (tmp_path / "~$county.docx").write_bytes(b"Word lock file")
    monkeypatch.setenv("WORKBENCH_TEMPLATES_DIR", str(tmp_path))
    assert list(templates.available()) == ["county"]
    doc = Document(io.BytesIO(build_report(case, "county", charts=False).content))
    assert doc.paragraphs[0].text == case.evaluation.title


def test_a_template_can_be_given_as_a_path(tmp_path, case):
    path = tmp_path / "mine.docx"
    shutil.copy(TEMPLATES["mof2020"], path)
    doc = Document(io.BytesIO(build_report(case, str(path), charts=False).content))
    assert "四、绩效评价指标分析" in [p.text for p in doc.paragraphs]


def test_an_unknown_template_names_the_ones_there_are(case):
    with pytest.raises(NotFound) as err:
        build_report(case, "province")
    assert "找不到报告模板“province”" in str(err.value) and "seed" in str(err.value)


def test_a_template_using_missing_data_stops_with_the_missing_name(tmp_path, case):
    path = tmp_path / "custom.docx"
    doc = Document()
    doc.add_paragraph("{{ title }}，预算合计{{ budget_total }}万元")
    doc.save(path)
    with pytest.raises(InvalidInput) as err:
        build_report(case, str(path), charts=False)
    assert "custom.docx" in str(err.value) and "budget_total" in str(err.value)


def test_a_template_with_broken_tags_stops_with_a_chinese_message(tmp_path, case):
    path = tmp_path / "broken.docx"
    doc = Document()
    doc.add_paragraph("{% if score.total %}总分{{ score.total }")
    doc.save(path)
    with pytest.raises(InvalidInput) as err:
        build_report(case, str(path), charts=False)
    assert "报告模板“broken.docx”有语法错误" in str(err.value)


def test_a_file_that_is_not_a_word_document_is_refused(tmp_path, case):
    path = tmp_path / "fake.docx"
    path.write_text("not a docx", "utf-8")
    with pytest.raises(InvalidInput) as err:
        build_report(case, str(path), charts=False)
    assert "不是有效的 Word 文档" in str(err.value)


def test_the_build_script_regenerates_templates_with_the_same_outline(tmp_path, case):
    script = templates.ROOT / "report_templates" / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = {p.stem: p for p in module.build(tmp_path)}
    assert set(built) == {"seed", "mof2020"}
    for name, path in built.items():
        fresh = [p.text for p in Document(path).paragraphs]
        shipped = [p.text for p in Document(TEMPLATES[name]).paragraphs]
        assert fresh == shipped
        assert undeclared(path, build_context(case, case.scorecard())) == set()


def test_an_excel_file_renamed_to_docx_is_refused(tmp_path, case):
    from openpyxl import Workbook

    path = tmp_path / "sheet.docx"
    Workbook().save(path)
    with pytest.raises(InvalidInput) as err:
        build_report(case, str(path), charts=False)
    assert "sheet.docx" in str(err.value) and "不是有效的 Word 文档" in str(err.value)
