"""The seed-outline Word report, written and read back with python-docx: parts, tables, fonts, page."""

import io
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from workbench.errors import InvalidInput
from workbench.formats.cases import load_case
from workbench.services.reporting import build_report

SEED_OUTLINE = [
    "一、基本情况",
    "二、项目资金使用和管理情况",
    "三、项目实施情况",
    "四、绩效评价工作情况",
    "五、绩效评价结果和主要绩效",
    "六、存在的问题",
    "七、建议",
]


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


@pytest.fixture(scope="module")
def result(case):
    return build_report(case, "seed")


@pytest.fixture(scope="module")
def doc(result):
    return Document(io.BytesIO(result.content))


def texts(doc, style=None):
    return [p.text for p in doc.paragraphs if style is None or p.style.name == style]


def table_after(doc, caption_start):
    """The first table after the paragraph that starts with ``caption_start``."""
    body = doc.element.body
    seen = False
    for el in body.iterchildren():
        if el.tag == qn("w:p") and "".join(el.itertext()).startswith(caption_start):
            seen = True
        elif seen and el.tag == qn("w:tbl"):
            return next(t for t in doc.tables if t._tbl is el)
    raise AssertionError(f"no table after {caption_start}")


def rows(table):
    return [[c.text for c in r.cells] for r in table.rows]


def east_asia(style):
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_headings_follow_the_seeds_outline_in_order_and_end_with_the_score_table(doc):
    assert texts(doc, "Heading 1") == SEED_OUTLINE
    assert texts(doc, "Heading 2")[:3] == [
        "（一）项目单位基本情况",
        "（二）项目基本情况",
        "（三）项目绩效目标完成情况",
    ]
    attachment = texts(doc, "附件标识")
    assert attachment == ["附件"]
    assert texts(doc, "附件标题") == ["2018年度“益阳智慧大脑+政务服务”项目资金绩效评价指标评分表"]


def test_title_is_the_evaluations_title_in_fangzheng_xiaobiaosong_22pt(doc):
    title = doc.paragraphs[0]
    assert title.text == "2018年度益阳智慧大脑+政务服务项目资金绩效评价报告"
    assert (title.style.name, east_asia(title.style), title.style.font.size) == (
        "公文标题",
        "方正小标宋简体",
        Pt(22),
    )


def test_the_opening_states_why_and_by_whom_the_evaluation_was_made(doc, case):
    assert doc.paragraphs[1].text == f"{case.evaluation.intro}现将有关情况报告如下："


def test_fonts_are_set_through_the_east_asian_slot_with_times_new_roman_for_latin(doc):
    styles = doc.styles
    assert (east_asia(styles["Normal"]), styles["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert styles["Normal"].font.name == "Times New Roman"
    assert east_asia(styles["Heading 1"]) == "黑体" and east_asia(styles["Heading 2"]) == "楷体_GB2312"
    assert styles["Heading 1"].font.size == Pt(16) and not styles["Heading 1"].font.bold
    fonts = styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None


def test_page_is_a4_with_gbt_9704_margins(doc):
    s = doc.sections[0]
    mm = [round(v.mm, 1) for v in (s.page_width, s.page_height)]
    margins = [round(v.mm, 1) for v in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert (mm, margins) == ([210.0, 297.0], [37.0, 35.0, 28.0, 26.0])


def test_body_has_exact_line_spacing_for_22_lines_a_page(doc):
    pf = doc.styles["Normal"].paragraph_format
    assert round(225 / 25.4 * 72 / pf.line_spacing.pt) == 22


def test_body_characters_are_spaced_for_28_a_line(doc):
    spacing = doc.styles["Normal"].element.rPr.find(qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20  # points per character
    line = (210 - 28 - 26) / 25.4 * 72
    assert int(line // pitch) == 28


def test_page_numbers_are_dashed_songti_at_the_outside_edge(doc):
    s = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    for para, side in ((odd, "right"), (even, "left")):
        assert para.text == "— 1 —"  # "1" is the PAGE field's placeholder result
        assert para._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"
        assert para.alignment.name.lower() == side
        assert east_asia(para.style) == "宋体" and para.style.font.size == Pt(14)


def test_spend_table_lists_the_five_lines_in_wan_with_the_slip_corrected_once(doc):
    table = rows(table_after(doc, "表2"))
    assert table[0] == ["序号", "支出项目", "收款单位", "金额", "列入预算", "备注"]
    lines = table[1:-1]
    assert [r[1] for r in lines] == [
        "软硬件建设费",
        "监理费",
        "新增软硬件设备",
        "空调维修费",
        "资料打印及其他费",
    ]
    assert (lines[3][3], lines[3][5]) == ("8.40", "")  # the decided figure, in 万元 like every line
    assert table[-1][1] == "合计" and table[-1][3] == "1,905.20" and table[-1][5] == ""


def test_payment_plan_table_runs_2018_to_2025_and_totals_14680(doc):
    table = rows(table_after(doc, "表3"))
    assert [r[0] for r in table[1:-1]] == [str(y) for y in range(2018, 2026)]
    assert {r[1] for r in table[1:-1]} == {"1,835.00"}
    assert table[-1][:4] == ["合计", "14,680.00", "1,905.00", "—"]  # the source states 应支付, not 已支付


def test_money_sentence_uses_the_ledger_figures(doc):
    text = next(t for t in texts(doc) if "总投资" in t)
    assert "总投资14,680.00万元" in text and "财政分8年（2018—2025年）、每年安排项目资金1,835.00万元" in text
    assert "2018年已安排项目资金1,905.00万元（含项目监理等费用）" in text


def test_targets_table_puts_each_target_beside_the_actual(doc, case):
    table = rows(table_after(doc, "表1"))
    assert table[0] == ["序号", "绩效指标", "目标值", "实际完成值", "对应评分指标"]
    assert len(table) == 1 + len(case.project.targets)
    assert table[1][1:4] == ["建设内容完成数", "9项", "9项"]


def test_result_states_83_00_and_good_from_the_scorecard(doc):
    text = next(t for t in texts(doc) if "整体绩效分值" in t)
    assert "整体绩效分值100分，得分83分，被评为“良好”等级" in text and "实得" not in text
    assert text.endswith("各一级指标得分情况见表4和图2，扣分分布见图3。")
    levels = rows(table_after(doc, "表4"))
    assert levels[-1] == ["合计", "100", "83", "17", "83.00%"]  # 得分率, not the grade


def test_score_table_attachment_has_every_leaf_subtotals_and_the_total_with_merged_levels(doc, case):
    table = doc.tables[-1]
    data = rows(table)
    card = case.scorecard()
    assert data[0] == ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分标准", "扣分理由 / 评分说明"]
    assert len(data) == 1 + len(card.leaves()) + len(card.nodes) + 1
    assert [r[4] for r in data if r[1] == "小计"] == ["16", "31", "36"]
    assert data[-1][0] == "合计" and data[-1][4] == "83" and "良好" in data[-1][6]
    b25 = next(r for r in data if r[2] == "后期运行维护管理")
    assert (b25[3], b25[4]) == ("4", "1") and "扣3分" in b25[6]
    assert b25[5] == card.find("B25").criteria
    restarts = table._tbl.xpath(".//w:tc[1]/w:tcPr/w:vMerge[@w:val='restart']")
    assert len(restarts) == len(card.nodes)  # one merged level-1 cell per level-1 indicator


def test_three_charts_are_embedded_as_png_pictures(result, doc):
    assert len(doc.inline_shapes) == 3
    with zipfile.ZipFile(io.BytesIO(result.content)) as z:
        pngs = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(pngs) == 3 and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in pngs)


def test_no_template_tag_is_left_and_every_part_is_well_formed_xml(result, doc):
    assert not [t for t in texts(doc) if "{{" in t or "{%" in t]
    with zipfile.ZipFile(io.BytesIO(result.content)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                etree.fromstring(z.read(name))  # strict parser: raises on any malformed part


def test_implementation_steps_are_numbered_consistently_by_the_template(doc):
    steps = [t for t in texts(doc) if t.startswith("（") and "。" in t[:20]]
    implementation = [t for t in steps if "明确工作职责" in t or "妥善保管资料" in t]
    assert implementation[0].startswith("（一）明确工作职责。") and implementation[-1].startswith(
        "（八）妥善保管资料。"
    )


def test_the_evaluator_names_itself_the_same_way_throughout(doc):
    body = "".join(texts(doc))
    assert "我单位" in body and "我公司" not in body


def test_problems_name_the_indicators_where_points_were_lost_and_each_has_advice(doc):
    problems = [t for t in texts(doc) if t.startswith("（一）该项目后期维护与管理有待加强")]
    assert problems[0].endswith("（涉及扣分指标：后期运行维护管理（扣3分）、管理制度健全性（扣2分））")
    advice = texts(doc)[texts(doc).index("七、建议") + 1]
    assert advice.startswith("（一）加强项目后期维护与管理。")


def test_a_source_that_names_no_one_gets_no_signature_and_no_placeholder(doc):
    body = "".join(texts(doc))
    assert texts(doc, "落款") == [] and "原报告未具名" not in body and "第三方评价机构" not in body


def test_check_notes_stay_in_the_log_and_out_of_the_document(result, doc):
    body = "".join(texts(doc)) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for phrase in ("笔误", "未自动更正", "台账核对", "重构", "未留存", "8.4元", "8.40元", "原报告"):
        assert phrase not in body, phrase
    log = "\n".join(result.log)
    assert "总分：83.00 / 100.00，等级：良好" in log and "模板：seed" in log
    assert "已处理（按笔误更正为 8.4 万元" in log and "未留存" in log and "我公司" in log


def section(doc, heading):
    """Paragraph texts from a level-1 heading to the next one (or to the attachment)."""
    paras = [(p.text, p.style.name) for p in doc.paragraphs]
    start = paras.index((heading, "Heading 1"))
    end = next(i for i, (t, s) in enumerate(paras) if i > start and (s == "Heading 1" or t == "附件"))
    return [t for t, _ in paras[start + 1 : end]]


def test_section_one_prints_the_unit_the_project_its_contents_and_goals(doc, case):
    part = section(doc, "一、基本情况")
    p = case.project
    assert p.unit.description in part
    assert [t for t in part if t[:2] in {f"{i}." for i in range(1, 10)} and "。" in t][:9] == [
        f"{i}. {c.title}。{c.text}" for i, c in enumerate(p.contents, 1)
    ]
    assert [f"{i}. {g.title}。{g.text}" for i, g in enumerate(p.goals, 1)] == [
        t for t in part if any(t.endswith(g.text) for g in p.goals)
    ]
    assert any(t.startswith(f"{p.accepted}，该项目建成并验收合格。") for t in part)


def test_section_two_prints_spend_terms_plan_and_funds_management(doc, case):
    part = section(doc, "二、项目资金使用和管理情况")
    assert part[0].startswith("2018年，该项目已发生费用1,905.20万元，其中软硬件建设费1,835.00万元")
    assert "空调维修费8.40万元" in part[0]  # the evaluator's correction, in one unit
    assert any(
        "按照合同约定，自2019年起支付中国电信建设费，年初支付当年合同金额的50%" in t
        and "根据考评结果支付服务费" in t
        for t in part
    )
    assert part[-1] == case.project.funds_management


def test_section_three_prints_every_implementation_step(doc, case):
    part = section(doc, "三、项目实施情况")
    steps = case.project.implementation
    assert part[0] == case.project.implementation_intro
    assert part[1:] == [f"（{n}）{s.title}。{s.text}" for n, s in zip("一二三四五六七八", steps, strict=True)]


def test_section_four_prints_purpose_and_process_with_sub_steps(doc, case):
    part = section(doc, "四、绩效评价工作情况")
    ev = case.evaluation
    assert part[:2] == ["（一）绩效评价目的", ev.purpose]
    assert ev.process_intro in part
    assert f"2. {ev.process[1].title}。" in part
    assert [t for t in part if t.startswith("（") and t[2] == "）" and t[1].isdigit()] == [
        f"（{i}）{s}" for i, s in enumerate(ev.process[1].steps, 1)
    ]


def test_section_five_prints_the_result_and_every_main_performance(doc, case):
    part = section(doc, "五、绩效评价结果和主要绩效")
    assert part[0].startswith("根据2018年度“益阳智慧大脑+政务服务”项目资金绩效评价指标体系和绩效检查情况")
    items = [f"（{n}）{s.title}。{s.text}" for n, s in zip("一二三四", case.project.performance, strict=True)]
    assert part[-len(items) :] == items


def test_sections_six_and_seven_print_each_problem_and_its_recommendation(doc, case):
    problems, advice = section(doc, "六、存在的问题"), section(doc, "七、建议")
    assert [t.split("。")[0] for t in problems] == [
        f"（{n}）{f.title}" for n, f in zip("一二", case.evaluation.findings, strict=True)
    ]
    assert advice[:2] == [
        f"（{n}）{r.title}。{r.text}" for n, r in zip("一二", case.evaluation.recommendations, strict=True)
    ]


def test_the_attachment_states_the_grade_bands_in_one_bracket_style_and_why_no_cost_indicator(doc):
    assert texts(doc, "注释")[-2:] == [
        "注：等级划分为优秀[90，100]；良好[80，90)；合格[60，80)；不合格[0，60)（优秀/良好/合格/不合格）。",
        "未设产出成本指标：项目总投资14680万元为竞争性磋商确定的合同价，由财政分8年支付，2018年度没有可与计划成本"
        "比较的单项产出成本，成本控制情况在“预算编制科学性”指标中评价。",
    ]


def test_the_attachment_is_a_landscape_section(doc):
    first, last = doc.sections[0], doc.sections[-1]
    assert len(doc.sections) == 2 and first.page_width < first.page_height
    assert last.page_width > last.page_height


def test_figures_are_captioned_and_numbered_in_reading_order(doc):
    assert texts(doc, "图题") == ["图1  分年支付计划", "图2  一级指标得分与分值", "图3  扣分分布"]
    assert [t.split()[0] for t in texts(doc, "表题")] == ["表1", "表2", "表3", "表4"]
    assert not [t for t in texts(doc) if "〔" in t or "下图" in t]


def _rescored_to_85(case):
    scores = dict(case.evaluation.scores)
    scores["B21"] = scores["B21"].model_copy(update={"deductions": []})
    return replace(case, evaluation=case.evaluation.model_copy(update={"scores": scores}))


@pytest.mark.parametrize("template", ["seed", "mof2020"])
def test_a_copy_rescored_to_85_still_saying_83_is_refused_naming_the_field(case, template):
    other = _rescored_to_85(case)
    assert other.scorecard().total == 85
    with pytest.raises(InvalidInput) as refused:
        build_report(other, template)
    text = str(refused.value)
    assert "评分表重构说明，字段「reconstructed」" in text and "总分与等级（83 分" in text and "85.00" in text


def test_the_corrected_copy_says_85_everywhere_and_nothing_of_83(case):
    other = _rescored_to_85(case)
    fixed = replace(
        other, evaluation=other.evaluation.model_copy(update={"reconstructed": "总分85分，良好。"})
    )
    doc = Document(io.BytesIO(build_report(fixed, "seed", charts=False).content))
    body = "".join(texts(doc)) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "得分85分，被评为“良好”等级" in body and "83分" not in body and "总分85分" not in body


def test_a_signed_evaluation_ends_with_the_organisation_and_date_on_the_last_text_page(case):
    evaluator = case.evaluation.evaluator.model_copy(
        update={"organization": "湖南某会计师事务所", "unnamed": ""}
    )
    signed = replace(
        case, evaluation=case.evaluation.model_copy(update={"evaluator": evaluator, "written": "2019年6月"})
    )
    doc = Document(io.BytesIO(build_report(signed, "seed", charts=False).content))
    paras = texts(doc)
    assert texts(doc, "落款") == ["湖南某会计师事务所", "2019年6月"]
    last_advice = max(i for i, t in enumerate(paras) if t.startswith("（二）引进必要的专业技术人才"))
    assert paras[last_advice + 1 : last_advice + 4] == ["", "湖南某会计师事务所", "2019年6月"]
