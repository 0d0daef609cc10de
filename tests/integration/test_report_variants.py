"""What both outlines print for cases unlike Yiyang, read back with python-docx: a 不适用
indicator, an evaluation that found no problems, and one with nothing else to note."""

import io
from dataclasses import replace

import pytest
from docx import Document

from workbench.domain.evaluation import IndicatorScore
from workbench.formats.cases import load_case
from workbench.reports.synthetic import synthetic_case
from workbench.services.reporting import build_report

OUTLINES = ["seed", "mof2020"]
NA_NOTE = "不适用指标：服务对象满意度：无服务对象"


@pytest.fixture(scope="module")
def yiyang(yiyang_dir):
    return load_case(yiyang_dir)


def paragraphs(case, template):
    doc = Document(io.BytesIO(build_report(case, template, charts=False).content))
    return doc, [p.text for p in doc.paragraphs]


def after(texts, heading):
    """The paragraphs that follow ``heading``, up to the next level-1 heading or the attachment."""
    start = texts.index(heading) + 1
    end = next(i for i, t in enumerate(texts) if i >= start and t[:2] in {"六、", "七、", "附件"})
    return texts[start:end]


@pytest.fixture(scope="module")
def not_applicable(yiyang):
    scores = {**yiyang.evaluation.scores, "C51": IndicatorScore(not_applicable=True, na_reason="无服务对象")}
    # a re-scored copy: the note stating the original 83 would now stop the report
    evaluation = yiyang.evaluation.model_copy(update={"scores": scores, "reconstructed": ""})
    case = replace(yiyang, evaluation=evaluation)
    return {name: paragraphs(case, name) for name in OUTLINES}


@pytest.mark.parametrize("template", OUTLINES)
def test_a_not_applicable_indicator_is_a_slash_in_the_score_table_and_noted_under_it(
    not_applicable, template
):
    doc, texts = not_applicable[template]
    rows = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert next(r for r in rows if r[2] == "服务对象满意度")[:5] == [
        "项目绩效",
        "满意度",
        "服务对象满意度",
        "6",
        "/",
    ]
    assert rows[-1][4] == "85.11" and "不适用指标分值按比例分摊，适用分值 94.00" in rows[-1][6]
    assert texts[-1] == NA_NOTE


def test_the_indicator_analysis_gives_no_score_for_a_not_applicable_indicator(not_applicable):
    _, texts = not_applicable["mof2020"]
    assert "（1）服务对象满意度（分值6分）：不适用：无服务对象" in texts
    assert NA_NOTE in after(texts, "七、其他需要说明的问题")


@pytest.mark.parametrize(
    ("template", "heading"), [("seed", "六、存在的问题"), ("mof2020", "（二）存在的问题及原因分析")]
)
def test_an_evaluation_that_found_no_problems_says_so(yiyang, template, heading):
    evaluation = yiyang.evaluation.model_copy(update={"findings": [], "recommendations": []})
    _, texts = paragraphs(replace(yiyang, evaluation=evaluation), template)
    assert [t for t in after(texts, heading) if t] == ["评价中未发现需要说明的问题。"]
    # nothing to recommend: the 建议 heading is left out, the next one takes its number
    assert not [t for t in texts if t.endswith(("、建议", "、有关建议"))]
    if template == "mof2020":
        assert "六、其他需要说明的问题" in texts


def test_with_nothing_else_to_note_the_other_matters_read_none():
    _, texts = paragraphs(synthetic_case(2, 2, 2), "mof2020")
    assert after(texts, "七、其他需要说明的问题")[0] == "无。"
