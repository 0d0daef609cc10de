"""Blocks shared by the report outlines (build_templates.py): paragraphs, tables, charts."""

from __future__ import annotations

from _layout import LEFT, RIGHT, Col, Writer

# --- shared parts of both outlines --------------------------------------------------------

PROJECT_SENTENCE = (
    "{{ project.background }}{{ project.decision.text }}{{ project.procurement.text }}"
    "{{ project.short_name }}总投资{{ money.total_investment }}万元"
    "{% if project.delivery %}，{{ project.delivery }}{% endif %}"
    "{% if money.has_plan and money.plan_years == 1 %}，财政于{{ money.plan_span }}年安排项目资金{{ money.plan_yearly }}万元"
    "{% elif money.has_plan %}，财政分{{ money.plan_years }}年（{{ money.plan_span }}年）"
    "{% if money.plan_uniform %}、每年安排项目资金{{ money.plan_yearly }}万元{% else %}安排项目资金{% endif %}{% endif %}"
    "{% if money.has_funds %}，{{ money.year }}年已安排项目资金{{ money.arranged }}万元"
    "{% if money.arranged_scope %}（{{ money.arranged_scope }}）{% endif %}{% endif %}。"
    "{% if project.contents %}{{ project.short_name }}主要建设内容包括：{% endif %}"
)
SCORE_SENTENCE = (
    "根据{{ score.system_name }}和绩效检查情况，{{ project.short_name }}整体绩效分值{{ score.declared }}分，"
    "得分{{ score.total }}分，被评为“{{ score.grade }}”等级（详见附件：{{ score.table_title }}）。"
)
ACCEPTED = (
    "{% if project.accepted %}{{ project.accepted }}，{{ project.short_name }}建成并验收合格。{% endif %}"
)
NUM = RIGHT


def opening(w: Writer) -> None:
    w.p("{{ title }}", "公文标题")
    w.tag("if evaluation.intro")
    w.p("{{ evaluation.intro }}现将有关情况报告如下：")
    w.tag("endif")


def para(w: Writer, value: str, text: str = "") -> None:
    """A paragraph printing one data item (or ``text``), left out when ``value`` is empty."""
    w.tag(f"if {value}")
    w.p(text or f"{{{{ {value} }}}}")
    w.tag("endif")


def contents(w: Writer) -> None:
    w.p(PROJECT_SENTENCE)
    w.each("c in project.contents", "{{ loop.index }}. {{ c.title }}。", "{{ c.text }}", "三级标题字符")


def targets(w: Writer) -> None:
    ref = w.ref("targets")
    w.tag("if targets.rows")
    w.p(
        f"绩效目标完成情况见{ref}。"
        "{% if targets.unset_count %}所列{{ targets.count }}项绩效指标中，"
        "{{ targets.unset_count }}项未设定目标值。{% endif %}"
    )
    cols = [
        Col("序号", 12, "{{ r.no }}"),
        Col("绩效指标", 32, "{{ r.name }}", LEFT),
        Col("目标值", 30, "{{ r.target }}", LEFT),
        Col("实际完成值", 50, "{{ r.actual }}", LEFT),
        Col("对应评分指标", 32, "{{ r.indicator }}", LEFT),
    ]
    w.table(f"{ref}  绩效目标完成情况", cols, "r in targets.rows")
    w.tag("endif")


def goal_targets(w: Writer) -> None:
    """The targets set for the project (目标值 only: what was achieved is reported later)."""
    ref = w.ref("goals")
    with w.h2("项目绩效目标", "targets.set_rows"):
        w.p(f"{{{{ project.short_name }}}}设定的绩效指标及目标值见{ref}。")
        cols = [
            Col("序号", 12, "{{ loop.index }}"),
            Col("绩效指标", 70, "{{ r.name }}", LEFT),
            Col("目标值", 74, "{{ r.target }}", LEFT),
        ]
        w.table(f"{ref}  绩效目标", cols, "r in targets.set_rows")


def funds(w: Writer) -> None:
    para(w, "money.funds_text")
    spend(w)
    plan(w)
    para(w, "project.funds_management")


def spend(w: Writer) -> None:
    ref = w.ref("spend")
    w.tag("if spend.has_lines")
    w.p(
        "{% if spend.has_lines %}{{ spend.year }}年，{{ project.short_name }}已发生费用{{ spend.total }}万元，其中"
        "{% for r in spend.rows %}{{ r.category }}{{ r.amount_text }}{% if not loop.last %}、{% endif %}"
        "{% endfor %}（明细见" + ref + "）。{% endif %}"
    )
    cols = [
        Col("序号", 12, "{{ r.no }}"),
        Col("支出项目", 30, "{{ r.category }}", LEFT),
        Col("收款单位", 36, "{{ r.payee }}", LEFT),
        Col("金额", 24, "{{ r.amount }}", NUM),
        Col("列入预算", 18, "{{ r.planned }}"),
        Col("备注", 36, "{{ r.note }}", LEFT),
    ]
    total = ["", "合计", "", "{{ spend.total }}", "", ""]
    w.table(ref + "  {{ spend.year }}年支出明细（单位：万元）", cols, "r in spend.rows", [total])
    w.tag("endif")


TERMS = (
    "{% if terms.exists %}按照合同约定，自{{ terms.from_year }}年起支付{{ terms.payee }}{{ terms.advance_item }}，"
    "{{ terms.advance_when }}支付当年合同金额的{{ terms.advance_percent }}%，{{ terms.settlement_when }}"
    "按照{{ terms.basis }}规定，组织对{{ project.short_name }}当年运营维护情况进行考评，"
    "根据考评结果支付{{ terms.settlement_item }}。{% endif %}"
)


def plan(w: Writer) -> None:
    ref = w.ref("plan")
    w.tag("if terms.exists or money.has_plan")
    w.p(
        TERMS
        + "{% if money.has_plan %}{{ money.plan_span }}年分年支付计划见"
        + ref
        + "{% if has_charts %}和"
        + w.ref("payments", "图")
        + "{% endif %}。{% endif %}"
    )
    w.tag("endif")
    w.tag("if money.has_plan")
    cols = [
        Col("年度", 18, "{{ r.year }}"),
        Col("计划支付", 26, "{{ r.planned }}", NUM),
        Col("当年安排", 26, "{{ r.arranged }}", NUM),
        Col("已支付", 26, "{{ r.paid }}", NUM),
        Col("累计计划", 30, "{{ r.cumulative_planned }}", NUM),
        Col("累计已支付", 30, "{{ r.cumulative_paid }}", NUM),
    ]
    total = ["合计", "{{ plan.total_planned }}", "{{ plan.total_arranged }}", "{{ plan.total_paid }}", "", ""]
    w.table(
        ref + "  {{ money.plan_span }}年分年支付计划（单位：万元）",
        cols,
        "r in plan.rows",
        [total],
    )
    w.chart("payments", "分年支付计划")
    w.tag("endif")


def process(w: Writer) -> None:
    w.p(
        "{% if evaluation.process_intro %}{{ evaluation.process_intro }}{% else %}"
        "{{ evaluation.self_reference }}按照以下步骤开展评价：{% endif %}"
    )
    w.tag("for s in evaluation.process")
    w.runin("{{ loop.index }}. {{ s.title }}。", "{{ s.text }}", "三级标题字符")
    w.tag("for t in s.steps")
    w.p("（{{ loop.index }}）{{ t }}")
    w.tag("endfor")
    w.tag("endfor")


def result(w: Writer) -> None:
    ref = w.ref("levels")
    w.p(
        SCORE_SENTENCE
        + "各一级指标得分情况见"
        + ref
        + "{% if has_charts %}和"
        + w.ref("levels", "图")
        + "，扣分分布见"
        + w.ref("losses", "图")
        + "{% endif %}。"
    )
    cols = [
        Col("一级指标", 46, "{{ r.name }}", LEFT),
        Col("分值", 26, "{{ r.weight }}", NUM),
        Col("得分", 26, "{{ r.score }}", NUM),
        Col("扣分", 26, "{{ r.lost }}", NUM),
        Col("得分率", 32, "{{ r.rate }}", NUM),
    ]
    total = [
        "合计",
        "{{ score.declared }}",
        "{{ score.total }}",
        "{{ score.lost_total }}",
        "{{ score.rate }}",
    ]
    w.table(f"{ref}  一级指标得分情况", cols, "r in score.levels", [total])
    w.chart("levels", "一级指标得分与分值")
    w.chart("losses", "扣分分布")
    selfeval_comparison(w)


def selfeval_comparison(w: Writer) -> None:
    """自评与评价得分对比: only when the project unit submitted a self-evaluation."""
    ref = w.ref("selfeval")
    w.tag("if selfeval.present")
    w.p(
        "项目单位自评得分{{ selfeval.self_total }}分，评价得分{{ selfeval.evaluator_total }}分"
        "（相差{{ selfeval.gap }}分）。{% if selfeval.flagged_count %}其中{{ selfeval.flagged_count }}项指标"
        "自评虚高（{{ selfeval.rule_text }}），评价组已逐项核对并说明。{% endif %}"
        f"自评与评价得分对比见{ref}。"
    )
    cols = [
        Col("自评指标", 40, "{{ r.name }}", LEFT),
        Col("分值", 16, "{{ r.weight }}", NUM),
        Col("自评得分", 18, "{{ r.self }}", NUM),
        Col("评价得分", 18, "{{ r.evaluator }}", NUM),
        Col("差异", 16, "{{ r.gap }}", NUM),
        Col("核对说明", 48, "{% if r.inflated %}{{ r.flag }}：{% endif %}{{ r.note }}", LEFT),
    ]
    total = [
        "合计",
        "",
        "{{ selfeval.self_total }}",
        "{{ selfeval.evaluator_total }}",
        "{{ selfeval.gap }}",
        "",
    ]
    w.table(f"{ref}  自评与评价得分对比", cols, "r in selfeval.rows", [total])
    w.tag("endif")


def findings(w: Writer, head: str, style: str) -> None:
    w.each(
        "f in evaluation.findings",
        head.format(item="f"),
        "{{ f.text }}{% if f.indicators_text %}（涉及扣分指标：{{ f.indicators_text }}）{% endif %}",
        style,
    )
    w.tag("if not evaluation.findings")
    w.p("评价中未发现需要说明的问题。")
    w.tag("endif")


def signature(w: Writer) -> None:
    """落款: only where the evaluation names its organisation (no placeholder, no lone date)."""
    w.tag("if signature.show")
    w.p("")
    w.p("{{ signature.organization }}", "落款")
    w.tag("if signature.date")
    w.p("{{ signature.date }}", "落款")
    w.tag("endif")
    w.tag("endif")


def attachment(w: Writer) -> None:
    w.landscape()
    w.p("附件", "附件标识")
    w.doc.paragraphs[-1].paragraph_format.page_break_before = False  # the section starts the page
    w.p("{{ score.table_title }}", "附件标题")
    cols = [
        Col("一级指标", 18, "{{ r.l1 }}"),
        Col("二级指标", 20, "{{ r.l2 }}"),
        Col("三级指标", 26, "{{ r.l3 }}", LEFT),
        Col("分值", 14, "{{ r.weight }}", NUM),
        Col("得分", 14, "{{ r.score }}", NUM),
        Col("评分标准", 70, "{{ r.criteria }}", LEFT),
        Col("扣分理由 / 评分说明", 80, "{{ r.reason }}", LEFT),
    ]
    w.table("", cols, "r in score_rows", merge=True, bold="not r.is_leaf")
    w.p("注：等级划分为{{ score.bands_text }}（{{ score.bands_name }}）。", "注释")
    w.tag("for o in score.omitted")
    w.p("未设{{ o.name }}指标：{{ o.reason }}", "注释")
    w.tag("endfor")
    w.tag("if notes.panel")
    w.p("{{ notes.panel }}", "注释")
    w.tag("endif")
    w.tag("for n in notes.not_applicable")
    w.p("不适用指标：{{ n }}", "注释")
    w.tag("endfor")


# --- blocks of the 财预〔2020〕10号 outline ---------------------------------------------------


def analysis(w: Writer) -> None:
    w.tag("for a in analysis")
    w.p("（{{ loop.index|cn }}）{{ a.name }}", "Heading 2")
    w.p(
        "该部分指标分值{{ a.weight }}分，得分{{ a.score }}分，得分率{{ a.rate }}。"
        "{% if a.full %}各项指标均得满分。{% else %}扣分指标：{{ a.lost_text }}。{% endif %}"
    )
    w.tag("for g in a.groups")
    w.runin(
        "{{ loop.index }}. {{ g.name }}。",
        "分值{{ g.weight }}分，得分{{ g.score }}分，得分率{{ g.rate }}。",
        "三级标题字符",
    )
    w.tag("for l in g.leaves")
    w.p(
        "（{{ loop.index }}）{{ l.name }}（分值{{ l.weight }}分{% if l.scored %}，得分{{ l.score }}分{% endif %}）"
        "：{{ l.reason }}"
    )
    w.tag("endfor")
    w.tag("endfor")
    w.tag("endfor")


def performance(w: Writer) -> None:
    w.tag("if project.performance")
    para(w, "project.performance_intro")
    w.each("s in project.performance", "（{{ loop.index|cn }}）{{ s.title }}。", "{{ s.text }}")
    w.tag("endif")


def method(w: Writer) -> None:
    w.tag("if evaluation.basis")
    w.p("评价依据：")
    w.tag("for b in evaluation.basis")
    w.p("{{ loop.index }}. {{ b }}")
    w.tag("endfor")
    w.tag("endif")
    w.p(
        "评价指标体系：采用{{ score.system_name }}，设一级指标{{ score.levels|length }}个"
        "（{{ score.levels_names }}，分值分别为{{ score.levels_weights }}）、末级指标{{ score.leaf_count }}项，"
        "总分{{ score.declared }}分。{% for o in score.omitted %}未设{{ o.name }}指标：{{ o.reason }}{% endfor %}"
        "{% if evaluation.methods %}评价方法：{{ evaluation.methods_text }}。{% endif %}"
        "{% if evaluation.standards %}评价标准：{{ evaluation.standards_text }}。{% endif %}"
        "评价等级：{{ score.bands_text }}。"
    )


def others(w: Writer) -> None:
    w.tag("for n in notes.not_applicable")
    w.p("不适用指标：{{ n }}")
    w.tag("endfor")
    w.tag("if notes.panel")
    w.p("{{ notes.panel }}")
    w.tag("endif")
    w.tag("if not notes.any")
    w.p("无。")
    w.tag("endif")


# --- the next year's look back (both outlines) -----------------------------------------------

PRIOR_SUMMARY = (
    "上年度（{{ prior.year }}年度）绩效评价《{{ prior.title }}》发现问题{{ prior.count }}个"
    "{% if prior.count %}，均已下达整改；截至本次评价，已整改{{ prior.closed }}个，尚在整改{{ prior.open }}个。"
    "各项问题的整改情况如下：{% else %}，无需整改。{% endif %}"
)


def prior_year(w: Writer, head: str, style: str) -> None:
    """上年度评价发现问题整改情况: only when the evaluation continues an earlier year's."""
    with w.h1("上年度评价发现问题整改情况", "prior.present"):
        w.p(PRIOR_SUMMARY)
        w.each("i in prior.rows", head, "{{ i.detail }}", style)
