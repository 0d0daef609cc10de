"""The 财预〔2020〕10号 附件3 outline, and a 120-indicator report, read back with python-docx."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from workbench.domain.base import fmt_score
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
    # no 绩效评价原则 heading with nothing under it
    assert "（二）评价指标体系、评价方法和评价标准" in texts(doc, "Heading 2")
    assert not [t for t in texts(doc) if "评价原则" in t]


def test_indicator_analysis_has_a_section_per_level_one_indicator_with_its_score(doc, case):
    part = section(doc, "四、绩效评价指标分析", "五、主要经验及做法、存在的问题及原因分析")
    card = case.scorecard()
    headings = [t for t, style in part if style == "Heading 2"]
    assert headings == [f"（{n}）{node.name}" for n, node in zip("一二三", card.nodes, strict=True)]
    assert "该部分指标分值20分，得分16分，得分率80.00%。" in part[1][0]
    leaf = next(t for t, _ in part if "后期运行维护管理（分值4分，得分1分）" in t)
    assert "未明确专门人员" in leaf and leaf.endswith("（扣3分）")
    assert not [t for t, _ in part if "原报告" in t or "报告未" in t]  # evaluator statements only


def test_method_section_names_the_system_methods_and_grade_bands(doc):
    text = next(t for t in texts(doc) if t.startswith("评价指标体系："))
    assert (
        "设一级指标3个（项目决策、项目管理、项目绩效，分值分别为20分、40分、40分）、末级指标24项，总分100分"
        in text
    )
    assert "285号" not in text and "权重" not in text  # no raw field text
    assert "未设产出成本指标：" in text
    # only the methods used: no 公众评判法 when no survey was made
    assert "评价方法：比较法、因素分析法。" in text and "公众评判法" not in "".join(texts(doc))
    assert "良好[80，90)" in text


def test_other_matters_carry_no_check_or_reconstruction_notes(doc):
    part = [t for t, _ in section(doc, "七、其他需要说明的问题", "附件")]
    assert [t for t in part if t] == ["无。"]


def test_the_ledger_correction_is_printed_once_in_one_unit(doc):
    body = "".join(texts(doc))
    assert body.count("空调维修费8.40万元") == 1 and "8.40元" not in body and "笔误" not in body


def test_the_conclusion_states_83_and_good(doc):
    assert any("得分83分，被评为“良好”等级" in t for t in texts(doc))


def tables_after(doc, heading, next_heading):
    """Rows of each table between a level-1 heading and the next, by the caption above it."""
    paragraphs = {p._p: p.text for p in doc.paragraphs}
    found, caption, inside = {}, None, False
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            text = paragraphs[el]
            inside = (inside or text == heading) and text != next_heading
            caption = text if inside and text.startswith("表") else caption
        elif inside and el.tag == qn("w:tbl"):
            table = next(t for t in doc.tables if t._tbl is el)
            found[caption] = [[c.text for c in r.cells] for r in table.rows]
    return found


def test_section_one_prints_the_unit_contents_funds_goals_and_targets(doc, case):
    part = [t for t, _ in section(doc, "一、基本情况", "二、绩效评价工作开展情况")]
    p = case.project
    assert part[:2] == ["（一）项目概况", p.unit.description]
    assert "总投资14,680.00万元" in part[2] and "每年安排项目资金1,835.00万元" in part[2]
    contents = [f"{i}. {c.title}。{c.text}" for i, c in enumerate(p.contents, 1)]
    assert part[3 : 3 + len(contents)] == contents
    assert any(t.startswith("2018年，该项目已发生费用1,905.20万元") for t in part)
    assert p.funds_management in part
    assert "2018年12月，该项目建成并验收合格。" in part
    # targets are targets: what was set, not what was achieved
    goals = part[part.index("（二）项目绩效目标") + 1 :]
    assert goals == ["该项目设定的绩效指标及目标值见表3。", "表3  绩效目标"]
    tables = tables_after(doc, "一、基本情况", "二、绩效评价工作开展情况")
    assert tables["表1  2018年支出明细（单位：万元）"][-1][3] == "1,905.20"
    assert tables["表2  2018—2025年分年支付计划（单位：万元）"][-1][:2] == ["合计", "14,680.00"]
    assert tables["表3  绩效目标"] == [
        ["序号", "绩效指标", "目标值"],
        ["1", "建设内容完成数", "9项"],
        ["2", "网络安全等级保护", "等保三级"],
    ]


def test_tables_are_numbered_in_reading_order_and_cited_by_that_number(doc):
    assert texts(doc, "表题") == [
        "表1  2018年支出明细（单位：万元）",
        "表2  2018—2025年分年支付计划（单位：万元）",
        "表3  绩效目标",
        "表4  一级指标得分情况",
        "表5  绩效目标完成情况",
    ]
    cited = [t for t in texts(doc) if "见表" in t]
    assert [t[t.index("见表") + 1 : t.index("见表") + 3] for t in cited] == [
        "表1",
        "表2",
        "表3",
        "表4",
        "表5",
    ]
    assert texts(doc, "图题") == ["图1  分年支付计划", "图2  一级指标得分与分值", "图3  扣分分布"]


def test_section_two_prints_purpose_scope_and_the_process_with_sub_steps(doc, case):
    part = [t for t, _ in section(doc, "二、绩效评价工作开展情况", "三、综合评价情况及评价结论")]
    ev = case.evaluation
    assert part[:3] == [
        "（一）绩效评价目的、对象和范围",
        ev.purpose,
        f"评价对象为{case.project.name}，评价范围为2018年度项目资金（当年安排1,905.00万元，"
        "实际支出1,905.20万元）及项目实施、产出和效益情况。",
    ]
    process = part[part.index("（三）绩效评价工作过程") + 1 :]
    assert process[0] == ev.process_intro
    assert process[1:] == [
        f"1. {ev.process[0].title}。{ev.process[0].text}",
        f"2. {ev.process[1].title}。",
        *[f"（{i}）{step}" for i, step in enumerate(ev.process[1].steps, 1)],
    ]


def test_section_three_prints_the_conclusion_level_table_and_main_performance(doc, case):
    part = [t for t, _ in section(doc, "三、综合评价情况及评价结论", "四、绩效评价指标分析")]
    assert "得分83分，被评为“良好”等级" in part[0]
    levels = tables_after(doc, "三、综合评价情况及评价结论", "四、绩效评价指标分析")["表4  一级指标得分情况"]
    assert [r[0] for r in levels[1:]] == ["项目决策", "项目管理", "项目绩效", "合计"]
    assert levels[-1] == ["合计", "100", "83", "17", "83.00%"]
    items = [f"（{n}）{s.title}。{s.text}" for n, s in zip("一二三四", case.project.performance, strict=True)]
    start = part.index(case.project.performance_intro)
    assert part[start : start + 1 + len(items)] == [case.project.performance_intro, *items]


def test_section_five_prints_the_practice_and_each_problem_with_its_indicators(doc, case):
    part = [t for t, _ in section(doc, "五、主要经验及做法、存在的问题及原因分析", "六、有关建议")]
    p, findings = case.project, case.evaluation.findings
    steps = [f"{i}. {s.title}。{s.text}" for i, s in enumerate(p.implementation, 1)]
    assert part[: 2 + len(steps)] == ["（一）主要经验及做法", p.implementation_intro, *steps]
    problems = part[part.index("（二）存在的问题及原因分析") + 1 :]
    assert [t.split("。")[0] for t in problems] == [f"{i}. {f.title}" for i, f in enumerate(findings, 1)]
    assert "（涉及扣分指标：后期运行维护管理（扣3分）、管理制度健全性（扣2分））" in problems[0]


def test_section_six_prints_every_recommendation(doc, case):
    part = [t for t, _ in section(doc, "六、有关建议", "七、其他需要说明的问题")]
    recs = case.evaluation.recommendations
    assert part == [f"（{n}）{r.title}。{r.text}" for n, r in zip("一二", recs, strict=True)]


def test_the_attachment_states_the_grade_bands_and_no_reconstruction_note(doc, case):
    paras = texts(doc)
    notes = paras[paras.index("附件") + 2 :]
    assert (
        notes[0]
        == "注：等级划分为优秀[90，100]；良好[80，90)；合格[60，80)；不合格[0，60)（优秀/良好/合格/不合格）。"
    )
    assert len(notes) == 2 and notes[1].startswith("未设产出成本指标")


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
    assert table.rows[-1].cells[4].text == fmt_score(card.total)
    assert len(doc.inline_shapes) == 0  # --no-charts
