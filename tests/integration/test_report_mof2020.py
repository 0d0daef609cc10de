"""The 财预〔2020〕10号 附件3 outline, and a 120-indicator report, read back with python-docx."""

import io

import pytest
from docx import Document

from workbench.formats.cases import load_case
from workbench.reports.synthetic import synthetic_case
from workbench.services.reporting import build_report

MOF2020_OUTLINE = [
    "一、基本情况",
    "二、绩效评价工作开展情况",
    "三、综合评价情况及评价结论",
    "四、绩效评价指标分析",
    "五、主要经验及做法、存在的问题及原因分析",
    "六、有关建议",
    "七、其他需要说明的问题",
]


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


@pytest.fixture(scope="module")
def doc(case):
    return Document(io.BytesIO(build_report(case, "mof2020").content))


def texts(doc, style=None):
    return [p.text for p in doc.paragraphs if style is None or p.style.name == style]


def section(doc, heading, next_heading):
    """Paragraphs (text, style) between a level-1 heading and the next one (or the attachment)."""
    paras = [(p.text, p.style.name) for p in doc.paragraphs]
    start = paras.index((heading, "Heading 1"))
    end = next(i for i, (t, _) in enumerate(paras) if i > start and t in (next_heading, "附件"))
    return paras[start + 1 : end]


def test_headings_follow_the_mof2020_outline(doc):
    assert texts(doc, "Heading 1") == MOF2020_OUTLINE
    assert "（二）绩效评价原则、评价指标体系、评价方法、评价标准等" in texts(doc, "Heading 2")


def test_indicator_analysis_has_a_section_per_level_one_indicator_with_its_score(doc, case):
    part = section(doc, "四、绩效评价指标分析", "五、主要经验及做法、存在的问题及原因分析")
    card = case.scorecard()
    headings = [t for t, style in part if style == "Heading 2"]
    assert headings == [f"（{n}）{node.name}" for n, node in zip("一二三", card.nodes, strict=True)]
    assert "该部分指标分值20.00分，得分16.00分，得分率80.00%。" in part[1][0]
    leaf = next(t for t, _ in part if "后期运行维护管理（分值4.00分，得分1.00分）" in t)
    assert "未明确专门人员" in leaf and leaf.endswith("（扣3.00分）")


def test_method_section_names_the_system_methods_and_grade_bands(doc):
    text = next(t for t in texts(doc) if t.startswith("评价指标体系："))
    assert "设一级指标3个、末级指标24项，总分100.00分" in text
    assert "评价方法：比较法、因素分析法、公众评判法。" in text and "良好［80，90)" in text


def test_other_matters_report_the_ledger_unit_slip_and_the_reconstruction(doc):
    part = [t for t, _ in section(doc, "七、其他需要说明的问题", "附件")]
    assert any("重构" in t for t in part)
    assert any("空调维修费" in t and "笔误" in t for t in part)


def test_the_conclusion_states_83_00_and_good(doc):
    assert any("实得83.00分，被评为“良好”等级" in t for t in texts(doc))


def test_tables_are_numbered_in_reading_order_and_cited_by_that_number(doc):
    assert texts(doc, "表题") == [
        "表1  2018年支出明细（单位：万元）",
        "表2  2018—2025年分年支付计划（单位：万元）",
        "表3  绩效目标完成情况",
        "表4  一级指标得分情况",
    ]
    cited = [t for t in texts(doc) if "见表" in t]
    assert [t[t.index("见表") + 1 : t.index("见表") + 3] for t in cited] == ["表1", "表2", "表3", "表4"]


@pytest.fixture(scope="module")
def big():
    case = synthetic_case()
    return case, Document(io.BytesIO(build_report(case, "mof2020", charts=False).content))


def test_a_120_indicator_report_lists_every_leaf_in_the_table_and_the_analysis(big):
    case, doc = big
    card = case.scorecard()
    assert len(card.leaves()) == 120
    table = doc.tables[-1]
    assert len(table.rows) == 1 + 120 + len(card.nodes) + 1
    analysed = [p.text for p in doc.paragraphs if "（分值" in p.text and "得分" in p.text]
    assert len(analysed) == 120
    assert table.rows[-1].cells[4].text == f"{card.total}"
    assert len(doc.inline_shapes) == 0  # --no-charts
