"""Text users type may hold anything; the .docx stays valid and shows it as written."""

import io
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from lxml import etree

from workbench.formats.cases import load_case
from workbench.services.reporting import build_report

MARKUP = "<w:p>A & B</w:p> \"引号\" 'x' ]]> &amp;"
EMOJI = "满意度高 😀👍🏻📊"
FORMULA = "=cmd|' /C calc'!A0"
JINJA = "{{ title }} {% if x %}"
CONTROL = "换\x00页\x0c符\x07号\x1b"
LONG = "后期维护与管理需要加强。" * 2500  # 30,000 characters


@pytest.fixture(scope="module")
def hostile(yiyang_dir):
    case = load_case(yiyang_dir)
    ev = case.evaluation
    f1 = ev.findings[0].model_copy(update={"title": MARKUP, "text": f"{EMOJI}\n第二行{JINJA}"})
    f2 = ev.findings[1].model_copy(update={"text": LONG})
    entry = ev.scores["B25"]
    reason = entry.deductions[0].model_copy(update={"reason": f"{FORMULA} {CONTROL}"})
    scores = {**ev.scores, "B25": entry.model_copy(update={"deductions": [reason]})}
    evaluation = ev.model_copy(update={"findings": [f1, f2], "scores": scores})
    return replace(case, evaluation=evaluation)


@pytest.fixture(scope="module")
def content(hostile):
    return build_report(hostile, "seed", charts=False).content


@pytest.fixture(scope="module")
def body(content):
    doc = Document(io.BytesIO(content))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    return paragraphs + "\n" + cells


def test_every_xml_part_stays_well_formed(content):
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                etree.fromstring(z.read(name))


def test_markup_characters_are_printed_as_text(body):
    assert f"（一）{MARKUP}。" in body


def test_emoji_and_line_breaks_survive(content, body):
    assert EMOJI in body
    doc = Document(io.BytesIO(content))
    para = next(p for p in doc.paragraphs if EMOJI in p.text)
    assert para._p.xpath(".//w:br")  # the typed newline is a line break, not a new paragraph


def test_template_like_text_from_a_user_is_printed_not_evaluated(body):
    assert JINJA in body


def test_formula_text_is_kept_and_control_characters_are_dropped(body):
    assert f"{FORMULA} 换页符号" in body


def test_very_long_text_is_kept_whole(body):
    assert LONG in body
