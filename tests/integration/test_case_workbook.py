"""One Excel workbook per evaluation: exported, filled in by hand, imported (SQLite and PostgreSQL)."""

from decimal import Decimal as D

import openpyxl
import pytest

from workbench.errors import InvalidInput
from workbench.services import cases, evaluations
from workbench.services.actors import SYSTEM

YIYANG = "yiyang-smart-brain-2018-eval"


def test_yiyang_goes_to_one_workbook_and_back_through_the_command_line_losing_nothing(
    run, seeded_db, tmp_path
):
    target = tmp_path / "益阳.xlsx"

    exported = run("export-case", YIYANG, target)
    imported = run("import-case", target, "--as", "yiyang-from-excel")

    assert exported.exit_code == 0, exported.output
    assert imported.exit_code == 0, imported.output
    assert "已导入评价记录 yiyang-from-excel：总分 83.00，等级 良好" in imported.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["项目信息", "资金台账", "支出明细", "指标体系", "评分", "问题与建议"]
    original = evaluations.get_case(seeded_db.uow(), SYSTEM, YIYANG).case
    again = evaluations.get_case(seeded_db.uow(), SYSTEM, "yiyang-from-excel").case
    assert again.project == original.project and again.ledger == original.ledger
    assert again.system == original.system
    assert again.evaluation.model_dump() == {**original.evaluation.model_dump(), "id": "yiyang-from-excel"}
    ledger = again.ledger
    assert (ledger.total_investment, len(ledger.plan), len(ledger.spend_lines)) == (D(14680), 8, 5)
    slip = next(line for line in ledger.spend_lines if line.category == "空调维修费")
    assert (slip.amount, slip.unit) == (D("8.4"), "元")
    deductions = [d for s in again.evaluation.scores.values() for d in s.deductions]
    assert deductions and all(d.reason and d.source for d in deductions if d.points)
    assert sum(d.points or 0 for d in deductions) == sum(
        d.points or 0 for s in original.evaluation.scores.values() for d in s.deductions
    )


def test_an_existing_workbook_is_not_overwritten_without_force(run, tmp_path):
    target = tmp_path / "case.xlsx"
    target.write_bytes(b"keep me")

    result = run("export-case", YIYANG, target)

    assert result.exit_code == 1 and "文件已存在，未覆盖" in result.output
    assert target.read_bytes() == b"keep me"


def _exported(seeded_db, tmp_path):
    path = tmp_path / "case.xlsx"
    cases.export_workbook(seeded_db.uow(), SYSTEM, YIYANG, path)
    return path


def _stored(db):
    return [row.id for row in evaluations.list_evaluations(db.uow(), SYSTEM)]


def test_wrong_units_and_text_for_numbers_give_one_message_each_and_save_nothing(seeded_db, tmp_path):
    path = _exported(seeded_db, tmp_path)
    book = openpyxl.load_workbook(path)
    book["支出明细"]["E5"] = "千元"  # the 空调维修费 line's unit
    book["资金台账"]["D4"] = "1905万"  # 2018 预算安排 as text
    book["评分"]["J3"] = "两分"
    book["支出明细"]["D2"] = "1E+999999"  # a figure no sum or format could take
    book.save(path)
    before = _stored(seeded_db)

    with pytest.raises(InvalidInput) as caught:
        cases.import_workbook(seeded_db.uow(), SYSTEM, path, evaluation_id="bad")

    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 4, lines
    assert any("支出明细" in x and "D2" in x and "数值过大" in x for x in lines)
    assert any("支出明细" in x and "E5" in x and "单位应为“万元”或“元”，填写的是“千元”" in x for x in lines)
    assert any("资金台账" in x and "D4" in x and "应为数字，填写的是“1905万”" in x for x in lines)
    assert any("「评分」" in x and "J3" in x and "两分" in x for x in lines)
    assert all("case.xlsx" in x for x in lines)
    assert _stored(seeded_db) == before


def test_a_workbook_missing_sheets_names_each_missing_sheet(seeded_db, tmp_path):
    path = _exported(seeded_db, tmp_path)
    book = openpyxl.load_workbook(path)
    del book["评分"]
    del book["支出明细"]
    book.save(path)

    with pytest.raises(InvalidInput) as caught:
        cases.import_workbook(seeded_db.uow(), SYSTEM, path, evaluation_id="bad")

    messages = [p.message for p in caught.value.problems]
    assert [m.split("」")[0] for m in messages] == ["缺少工作表「支出明细", "缺少工作表「评分"]
    assert "bad" not in _stored(seeded_db)


def test_the_blank_workbook_filled_in_by_hand_becomes_a_new_unscored_evaluation(seeded_db, tmp_path):
    content = cases.blank_case_workbook(seeded_db.uow(), SYSTEM, "yiyang-2018", "excellent-good")
    path = tmp_path / "新项目.xlsx"
    path.write_bytes(content)
    book = openpyxl.load_workbook(path)
    info = book["项目信息"]
    values = {
        "project.id": "river-2025",
        "project.name": "河道整治项目",
        "project.year": 2025,
        "project.unit.name": "市水利局",
        "evaluation.id": "river-2025-eval",
        "evaluation.project": "river-2025",
        "evaluation.year": 2025,
    }
    for row in info.iter_rows(min_row=2):
        if row[2].value in values:
            row[1].value = values[row[2].value]
    book["资金台账"]["B1"] = 300
    book["资金台账"].append([2025, 300, "", 300, 300, 120, 118.5])
    book["支出明细"].append([2025, "工程款", "某建设公司", 118.5, "万元", "是"])
    book.save(path)

    new_id = cases.import_workbook(seeded_db.uow(), SYSTEM, path)

    stored = evaluations.get_case(seeded_db.uow(), SYSTEM, new_id)
    assert new_id == "river-2025-eval"
    assert stored.case.project.unit.name == "市水利局"
    assert stored.case.ledger.spend(2025) == D("118.5")
    assert stored.case.evaluation.scores == {}
