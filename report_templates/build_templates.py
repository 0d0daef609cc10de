"""Build the Word report templates (seed.docx, mof2020.docx) in this folder.

    .venv/bin/python report_templates/build_templates.py [OUT_DIR]

The committed .docx files are what the workbench loads and what users open, restyle and keep
using in Word; this script only regenerates them (their look is in _layout.py).  Placeholders are
docxtpl (Jinja) tags over the report context (workbench/reports/context.py): ``{{ ... }}`` prints,
``{%p ... %}`` / ``{%tr ... %}`` repeat or hide paragraphs and table rows, ``cn`` writes 1 as 一.
Headings are numbered here (一、（一）1.（1）), so data titles carry no numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _blocks import (  # noqa: E402
    ACCEPTED,
    analysis,
    attachment,
    contents,
    findings,
    funds,
    goal_targets,
    method,
    opening,
    others,
    para,
    performance,
    prior_year,
    process,
    result,
    signature,
    targets,
)
from _layout import Writer, setup_page, setup_styles  # noqa: E402

# --- the seed's outline (湖南 2019) --------------------------------------------------------


FUNDS_DATA = (
    "spend.has_lines or money.has_plan or terms.exists or project.funds_management or money.funds_text"
)
GOALS_DATA = "project.accepted or project.goals or targets.rows"


def seed(w: Writer) -> None:
    w.counters()
    opening(w)
    with w.h1("基本情况"):
        with w.h2("项目单位基本情况", "project.unit.description"):
            w.p("{{ project.unit.description }}")
        with w.h2("项目基本情况"):
            contents(w)
        with w.h2("项目绩效目标完成情况", GOALS_DATA):
            para(
                w,
                "project.accepted or project.goals",
                ACCEPTED + "{% if project.goals %}主要绩效：{% endif %}",
            )
            w.each("g in project.goals", "{{ loop.index }}. {{ g.title }}。", "{{ g.text }}", "三级标题字符")
            targets(w)
    with w.h1("项目资金使用和管理情况", FUNDS_DATA):
        funds(w)
    with w.h1("项目实施情况", "project.implementation or project.implementation_intro"):
        para(w, "project.implementation_intro")
        w.each("s in project.implementation", "（{{ loop.index|cn }}）{{ s.title }}。", "{{ s.text }}")
    with w.h1("绩效评价工作情况", "evaluation.purpose or evaluation.process"):
        with w.h2("绩效评价目的", "evaluation.purpose"):
            w.p("{{ evaluation.purpose }}")
        with w.h2("绩效评价过程", "evaluation.process"):
            process(w)
    with w.h1("绩效评价结果和主要绩效"):
        result(w)
        performance(w)
    prior_year(w, "（{{ loop.index|cn }}）{{ i.title }}。", "二级标题字符")
    with w.h1("存在的问题"):
        findings(w, "（{{{{ loop.index|cn }}}}）{{{{ {item}.title }}}}。", "二级标题字符")
    with w.h1("建议", "evaluation.recommendations"):
        w.each("r in evaluation.recommendations", "（{{ loop.index|cn }}）{{ r.title }}。", "{{ r.text }}")
    signature(w)
    attachment(w)


# --- 财预〔2020〕10号 附件3 outline -----------------------------------------------------------


def mof2020(w: Writer) -> None:
    w.counters()
    opening(w)
    with w.h1("基本情况"):
        with w.h2("项目概况"):
            para(w, "project.unit.description")
            contents(w)
            para(w, "project.accepted", ACCEPTED)
            funds(w)
        goal_targets(w)
    with w.h1("绩效评价工作开展情况"):
        with w.h2("绩效评价目的、对象和范围"):
            para(w, "evaluation.purpose")
            w.p(
                "评价对象为{{ project.name }}，评价范围为{{ money.year }}年度项目资金"
                "{% if money.has_funds %}（当年安排{{ money.arranged }}万元，实际支出{{ money.spend }}万元）{% endif %}"
                "及项目实施、产出和效益情况。"
            )
        with w.h2("评价指标体系、评价方法和评价标准"):
            method(w)
        with w.h2("绩效评价工作过程", "evaluation.process"):
            process(w)
    with w.h1("综合评价情况及评价结论"):
        result(w)
        performance(w)
        targets(w)
    with w.h1("绩效评价指标分析"):
        analysis(w)
    prior_year(w, "{{ loop.index }}. {{ i.title }}。", "三级标题字符")
    with w.h1("主要经验及做法、存在的问题及原因分析"):
        with w.h2("主要经验及做法", "project.implementation"):
            para(w, "project.implementation_intro")
            w.each(
                "s in project.implementation",
                "{{ loop.index }}. {{ s.title }}。",
                "{{ s.text }}",
                "三级标题字符",
            )
        with w.h2("存在的问题及原因分析"):
            findings(w, "{{{{ loop.index }}}}. {{{{ {item}.title }}}}。", "三级标题字符")
    with w.h1("有关建议", "evaluation.recommendations"):
        w.each("r in evaluation.recommendations", "（{{ loop.index|cn }}）{{ r.title }}。", "{{ r.text }}")
    with w.h1("其他需要说明的问题"):
        others(w)
    signature(w)
    attachment(w)


OUTLINES = {
    "seed": (seed, "绩效评价报告（湖南 2019 年报告提纲）"),
    "mof2020": (mof2020, "绩效评价报告（财预〔2020〕10号 附件3 提纲）"),
}


def build(out_dir: Path = HERE) -> list[Path]:
    written = []
    for name, (outline, title) in OUTLINES.items():
        doc = Document()
        setup_styles(doc)
        setup_page(doc)
        doc.core_properties.title = title
        doc.core_properties.author = "财政绩效评价工作台"
        doc.core_properties.comments = "docxtpl 模板：可在 Word 中修改版式与文字，花括号标记（占位符）请保留"
        outline(Writer(doc))
        path = out_dir / f"{name}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
