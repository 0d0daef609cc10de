"""An indicator system imported from one Excel sheet, laid out the way bureaus publish them."""

from decimal import Decimal as D

import pytest
from published_sheets import ROWS, published
from typer.testing import CliRunner

from workbench.cli import app
from workbench.errors import InvalidInput
from workbench.formats.system_xlsx import read_system_workbook


def test_a_published_sheet_with_merged_level_cells_becomes_a_checked_system(tmp_path):
    system = read_system_workbook(published(tmp_path / "体系.xlsx"), system_id="city-2025", name="某市体系")

    assert [n.name for n in system.indicators] == ["决策", "过程", "产出", "效益"]
    decision = system.indicators[0]
    assert (decision.code, decision.weight) == ("A", D(30))
    assert [c.name for c in decision.children] == ["项目立项", "绩效目标"]
    assert decision.children[0].children[1].criteria == "缺一项扣2分"
    assert len(system.leaves()) == 6 and all(leaf.rule.kind == "manual" for leaf in system.leaves())


def test_weights_that_do_not_add_up_name_the_row(tmp_path):
    rows = [*ROWS[:-1], ["效益", "满意度", "服务对象满意度", "二十五", "", ""]]

    with pytest.raises(InvalidInput) as caught:
        read_system_workbook(published(tmp_path / "体系.xlsx", rows), system_id="x", name="x")

    (problem,) = caught.value.problems
    assert "第 8 行" in str(problem) and "D8" in str(problem) and "分值应为数字" in problem.message


def test_import_system_stores_it_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'wb.db'}")
    path = published(tmp_path / "体系.xlsx")

    result = CliRunner().invoke(app, ["import-system", str(path), "--id", "city-2025", "--name", "某市体系"])

    assert result.exit_code == 0, result.output
    assert "已导入指标体系 city-2025：6 个末级指标" in result.output
