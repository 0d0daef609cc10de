"""Export → import: the workbench's own printable 评分表 reads back with the same scores and reasons."""

from __future__ import annotations

from decimal import Decimal

from xlsx_tables import PUBLISHED, leaves_by_names, published

from workbench.formats.cases import load_case
from workbench.formats.score_import import import_scores
from workbench.formats.score_xlsx import score_table_workbook
from workbench.reports.score_table import leaf_reason


def test_exported_yiyang_score_table_imports_with_the_same_scores_reasons_and_total(yiyang_dir, tmp_path):
    case = load_case(yiyang_dir)
    card = case.scorecard()
    data, _ = score_table_workbook(case, card)
    path = tmp_path / "评分表.xlsx"
    path.write_bytes(data)

    result = import_scores(path, bands=case.bands.id)

    table = result.table
    exported = leaves_by_names(card.nodes)
    imported = {r.names: r for r in table.rows}
    assert set(imported) == set(exported)
    for names, leaf in exported.items():
        row = imported[names]
        assert (row.weight, row.score) == (leaf.weight, leaf.score), names
        assert row.reason == leaf_reason(leaf)
    assert table.total == card.total == Decimal("83.00")
    assert result.grade == card.grade == "良好"
    assert len(table.subtotals) == 3  # every 小计 row read and checked, none counted as an indicator
    assert [p for p in result.problems if p.severity != "info"] == []


def test_subtotal_rows_are_checked_against_the_rows_above_them(tmp_path):
    body = [list(r) for r in PUBLISHED[:4]]
    body.append(["决策", "小计", "", 15, "", 14, ""])  # the rows above sum to 13
    body.extend(list(r) for r in PUBLISHED[4:])
    result = import_scores(published(tmp_path / "t.xlsx", body))

    assert result.table.total == Decimal("83.00")
    assert [str(p) for p in result.problems] == [
        "文件 t.xlsx，工作表「评分表」第 7 行，字段「得分」：“决策”小计得分 14.00，与其下各指标得分合计 13.00 不一致"
    ]
