"""Charts for the report: drawn with an OFL Chinese font, every character has a glyph."""

import io

import pytest
from PIL import Image

from workbench.formats.cases import load_case
from workbench.reports import charts
from workbench.reports.fonts import OFL_FONTS, font_file, fontconfig_text
from workbench.reports.synthetic import synthetic_case


@pytest.fixture(scope="module")
def case(yiyang_dir):
    return load_case(yiyang_dir)


@pytest.fixture(scope="module")
def figures(case):
    card = case.scorecard()
    return {
        "levels": charts.level_figure(card),
        "losses": charts.loss_figure(card),
        "payments": charts.payment_figure(case.ledger),
    }


@pytest.mark.parametrize("name", ["levels", "losses", "payments"])
def test_every_character_on_a_chart_has_a_glyph_in_the_chart_font(figures, name):
    text = "".join(charts.figure_texts(figures[name]))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # there is Chinese to draw
    assert charts.missing_glyphs(text) == set()


def test_level_chart_shows_each_level_one_score_against_its_weight(figures):
    text = list(charts.figure_texts(figures["levels"]))
    assert "16 / 20（80.00%）" in " ".join(text) and "项目绩效" in text
    assert "一级指标得分与分值（总分 83分，良好）" in text


def test_loss_chart_names_every_indicator_that_lost_points(figures, case):
    labels = set(charts.figure_texts(figures["losses"]))
    lost = [n for n in case.scorecard().leaves() if n.lost > 0]
    assert {n.name for n in lost} <= labels  # names, never codes
    assert not {n.code for n in lost} & {label.split(" ")[0] for label in labels}
    assert "扣分分布（共扣 17 分，9 项指标）" in labels


def test_loss_chart_of_a_large_evaluation_shows_fifteen_bars_and_sums_the_rest():
    card = synthetic_case().scorecard()
    text = list(charts.figure_texts(charts.loss_figure(card)))
    lost = [n for n in card.leaves() if n.lost > 0]
    rest = len(lost) - charts.MAX_LOSS_BARS
    assert sum(1 for t in text if t in {n.name for n in lost}) == charts.MAX_LOSS_BARS
    assert any(t.startswith(f"另有 {rest} 项指标合计扣") for t in text)


def test_payment_chart_marks_the_eight_plan_years_and_the_plan_total(figures):
    text = list(charts.figure_texts(figures["payments"]))
    assert [str(y) for y in range(2018, 2026)] == [t for t in text if t.isdigit() and len(t) == 4][:8]
    assert "分年支付计划（计划合计 14,680.00 万元）" in text  # nothing paid is recorded
    assert "已支付" not in text and "累计已支付" not in text


def test_report_charts_are_print_resolution_pngs(case):
    images = charts.report_charts(case.scorecard(), case.ledger)
    assert set(images) == {"levels", "losses", "payments"}
    for png in images.values():
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= 1000


def test_only_ofl_fonts_are_used_never_the_commercial_simhei(tmp_path):
    assert font_file().name in OFL_FONTS.values()
    conf = fontconfig_text(tmp_path)
    assert "SimHei" not in conf and "<family>仿宋_GB2312</family>" in conf
