"""领导看板: one screen with total, grade, level-1 scores, largest deductions, problems with their
recommendations and the payment progress."""

from __future__ import annotations

from screen import metric, shown, texts


def test_the_leader_dashboard_shows_everything_on_one_screen(open_page):
    at = open_page("dashboard")

    assert metric(at, "总分") == "83.00 / 100.00"
    assert metric(at, "等级") == "良好"
    assert metric(at, "扣分合计") == "17.00"
    assert metric(at, "累计支付") == "0.00 万元"  # the source states 应支付, no payment
    levels = at.dataframe[0].value
    assert list(levels["一级指标"]) == ["项目决策", "项目管理", "项目绩效"]
    assert list(levels["得分"]) == ["16.00", "31.00", "36.00"]
    page = shown(at)
    assert "**B25 后期运行维护管理** 扣 3.00 分" in page
    assert "该项目后期维护与管理有待加强** → 建议：加强项目后期维护与管理" in page
    assert "已支付 0.00 万元 / 总投资 14,680.00 万元（0.00%）" in at.get("progress")[0].proto.text
    assert len(at.get("plotly_chart")) == 3
    assert "定稿" in " ".join(texts(at.info))
