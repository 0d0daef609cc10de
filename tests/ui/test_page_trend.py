"""历年趋势: the selected evaluation's project year by year — the stored scores, money against
the plan in 万元, and the 整改 columns."""

from __future__ import annotations

from actors import LEADER
from screen import shown


def rows(at) -> dict[str, dict]:
    (found,) = at.table
    return {r["年度"]: r for r in found.value.to_dict("records")}


def test_a_leader_reads_each_year_with_its_scores_and_money_against_the_plan(open_page):
    at = open_page("trend", as_=LEADER)

    assert "**益阳智慧大脑+政务服务项目**：共 8 个年度，其中 1 个年度已有评价得分" in shown(at)
    years = rows(at)
    assert list(years) == [str(y) for y in range(2018, 2026)]
    first = years["2018"]
    assert (first["总分"], first["等级"], first["项目管理"]) == ("83.00", "良好", "31.00")
    assert (first["执行率"], first["整改销号"], first["整改逾期"]) == ("100.01%", "0/0", "0")
    assert years["2025"]["累计计划（万元）"] == "14,680.00" and years["2019"]["总分"] == "—"
