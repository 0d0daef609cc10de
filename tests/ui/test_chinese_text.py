"""Chinese on the page: charts in Plotly's zh-CN locale without the English toolbar, and no
developer text (file paths, field names) on the pages."""

from __future__ import annotations

import json

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
