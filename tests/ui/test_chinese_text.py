"""Chinese on the page: charts in Plotly's zh-CN locale without the English toolbar, and no
developer text (file paths, field names) on the pages."""

from __future__ import annotations

import json
import re

from screen import shown


def test_every_chart_uses_the_chinese_locale_and_hides_the_toolbar(open_page):
    at = open_page("overview")
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert config["locale"] == "zh-CN" and config["displayModeBar"] is False


def test_the_indicator_page_shows_no_file_paths_or_field_names(open_page):
    text = shown(open_page("indicators"))
    assert "code 代码" not in text and "indicators/" not in text


# --- Streamlit's own words -------------------------------------------------------------------


def test_the_typing_hints_and_the_uploaders_english_are_replaced_by_a_style_on_every_page(open_page):
    at = open_page("overview")
    styles = [h.proto.body for h in at.get("html")]
    assert any('[data-testid="InputInstructions"] { display: none; }' in s for s in styles)
    assert any('content: "选择文件"' in s and "或将文件拖放到此处" in s for s in styles)


def test_each_uploader_states_its_real_limit_in_chinese_and_refuses_more_in_the_browser(open_page):
    at = open_page("score_import")
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == 50 and "单个文件不超过 50 MB" in uploader.proto.help

    at = open_page("indicators")
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == 20 and "单个文件不超过 20 MB" in uploader.proto.help


def test_reason_boxes_do_not_submit_on_enter(open_page, draft):
    from actors import REVIEWER
    from test_page_workflow import press

    at = press(open_page("overview", draft), draft, "workflow.submit")
    at = open_page("overview", draft, as_=REVIEWER)
    forms = {f.proto.form.form_id: f.proto.form for f in at.get("form")}
    assert forms[f"workflow_form:{draft}:workflow.return"].enter_to_submit is False


def test_the_report_templates_are_offered_by_their_chinese_names(open_page):
    at = open_page("report")
    box = next(s for s in at.selectbox if s.label == "报告模板")
    assert box.options == [
        "绩效评价报告（湖南 2019 年报告提纲）",
        "绩效评价报告（财预〔2020〕10号 附件3 提纲）",
    ]


def test_the_audit_log_shows_changes_in_words_not_json(open_page, draft):
    from actors import AUDITOR
    from test_page_workflow import press

    press(open_page("overview", draft), draft, "workflow.submit")
    at = open_page("audit_log", as_=AUDITOR)
    at.selectbox(key="audit_event").set_value("提交复核")
    at = at.button(key="FormSubmitter:audit_filters-查询").click().run()

    row = at.dataframe[0].value.iloc[0]
    assert (row["修改前"], row["修改后"]) == ("状态：草稿", "状态：已提交")


def test_a_date_filter_is_typed_in_chinese_order_and_a_wrong_one_is_refused_by_name(open_page):
    from actors import AUDITOR

    at = open_page("audit_log", as_=AUDITOR)
    assert at.text_input(key="audit_since").placeholder == "年-月-日，如 2025-03-01；留空不限"
    at.text_input(key="audit_since").set_value("2025年2月30日")
    at = at.button(key="FormSubmitter:audit_filters-查询").click().run()

    assert any("起始日期“2025年2月30日”不是有效的日期" in e for e in [str(x.value) for x in at.error])


DEVELOPER_TEXT = re.compile(
    r"review-rules|indicators/|report_templates|\bseed\b|mof2020|code 代码|name 名称|[{}]\"|"
    r"Choose an? option|Upload|per file|Press (Ctrl\+)?Enter|yyyy|Page not found"
)


def test_no_page_of_the_evaluator_shows_developer_words_or_streamlits_english(open_page):
    from workbench.ui import navigation

    seen = []
    for entry in navigation.ENTRIES:
        at = open_page(entry.path.stem)
        words = [shown(at)]
        for kind in ("selectbox", "multiselect", "text_input", "text_area"):
            for widget in getattr(at, kind):
                words += [widget.label, widget.help or "", getattr(widget, "placeholder", "") or ""]
                words += [str(o) for o in getattr(widget, "options", [])[:20]]
        found = DEVELOPER_TEXT.findall("\n".join(words))
        seen += [(entry.title, f) for f in found]
    assert seen == []
