"""Line breaks and tabs a user typed into report text still become Word's breaks and tabs when
the render skips docxtpl's listing pass for documents without any (workbench/reports/render.py)."""

import io

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import Environment

from workbench.reports.render import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def template(tmp_path):
    doc = Document()
    doc.add_paragraph("项目概况：{{ text }}")
    doc.add_paragraph("结论：{{ grade }}")
    path = tmp_path / "t.docx"
    doc.save(path)
    return path


def body_xml(content: bytes) -> bytes:
    from lxml import etree

    return etree.tostring(Document(io.BytesIO(content)).element.body)


def test_a_line_break_and_a_tab_in_the_text_become_a_word_break_and_tab(tmp_path):
    content = render_docx(template(tmp_path), {"text": "第一行\n第二行\t附注", "grade": "良好"})

    body = Document(io.BytesIO(content)).element.body
    assert len(body.findall(f".//{W}br")) == 1 and len(body.findall(f".//{W}tab")) == 1
    assert "第一行第二行附注" in "".join(t.text for t in body.iter(f"{W}t"))


def test_text_without_breaks_renders_as_docxtpl_renders_it(tmp_path):
    path = template(tmp_path)
    context = {"text": "总投资 14,680.00 万元", "grade": "良好"}
    ours = render_docx(path, context)
    theirs = DocxTemplate(path)
    theirs.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
    out = io.BytesIO()
    theirs.save(out)

    assert body_xml(ours) == body_xml(out.getvalue())
