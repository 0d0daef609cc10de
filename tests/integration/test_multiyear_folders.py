"""A next year's evaluation in and out of case folders, and from the command line: the demo's
2019 folder carries its prior year and 整改 items (rectification.yaml); importing it stores them,
``export-case`` writes them back, and ``workbench report FOLDER`` prints the same
上年度评价发现问题整改情况 as the report from the database.  ``workbench next-year`` starts the next
year and lists the items carried."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from actors import EVALUATOR
from multiyear_steps import DEMO, PROJECT, SECTION, Y2018, Y2019, docx_text

from workbench.errors import InvalidInput
from workbench.services import case_upload, cases, stored_reports
from workbench.services import rectification as rect

FOLDER_2018, FOLDER_2019 = DEMO / f"{PROJECT}-2018", DEMO / f"{PROJECT}-2019"


def section(text: str) -> str:
    start = text.index(SECTION)
    return text[start : text.index("存在的问题", start)]


def test_a_2019_folder_imports_with_its_items_and_exports_and_reports_the_same_section(
    seeded_db, run, tmp_path
):
    cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2018)
    cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2019)
    items = rect.items_for_evaluation(seeded_db.uow(), EVALUATOR, Y2019)
    from_db = docx_text(stored_reports.report(seeded_db.uow(), EVALUATOR, Y2019, charts=False).content)

    out = tmp_path / "exported-2019"
    exported = run("export-case", Y2019, out)
    reported = run("report", out, "-o", tmp_path / "r.docx", "--no-charts")

    assert [(i.title, i.status, i.evaluation) for i in items] == [
        ("运维考核办法不健全", "销号", Y2019),
        ("部分监测点长期离线", "已整改", Y2019),
    ]
    assert exported.exit_code == 0, exported.output
    assert "rectification.yaml" in sorted(p.name for p in out.iterdir())
    assert reported.exit_code == 0, reported.output
    from_folder = docx_text((tmp_path / "r.docx").read_bytes())
    assert section(from_folder) == section(from_db)
    assert "整改状态：销号" in section(from_db) and "佐证材料：EV-示例-1 运维服务考核细则.pdf" in section(
        from_db
    )


def test_a_2019_folder_whose_prior_year_is_not_stored_is_refused_naming_the_file(seeded_db):
    with pytest.raises(InvalidInput) as refused:
        cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2019)

    problem = refused.value.problems[0]
    assert "上年度评价“demo-water-monitoring-2018-eval”不在数据库中" in problem.message
    assert problem.file and problem.file.endswith("rectification.yaml") and problem.field == "evaluation"
    with seeded_db.uow() as uow:
        assert uow.evaluations.get(Y2019) is None


def test_a_bad_rectification_file_is_one_chinese_problem_with_file_line_and_field(seeded_db, tmp_path):
    folder = tmp_path / "bad-2019"
    shutil.copytree(FOLDER_2019, folder)
    text = (folder / "rectification.yaml").read_text("utf-8")
    (folder / "rectification.yaml").write_text(text.replace("status: 销号", "status: 已完成", 1), "utf-8")
    cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2018)

    with pytest.raises(InvalidInput) as refused:
        cases.import_case(seeded_db.uow(), EVALUATOR, folder)

    problem = refused.value.problems[0]
    assert Path(problem.file or "").name == "rectification.yaml"
    assert "第 20 行" in str(problem) and "字段「状态」" in str(problem) and "实际为“已完成”" in str(problem)
    with seeded_db.uow() as uow:
        assert uow.evaluations.get(Y2019) is None


def test_next_year_on_the_command_line_starts_the_draft_and_lists_the_items_carried(run):
    imported = run("import-case", FOLDER_2018)
    started = run("next-year", Y2018, "--year", 2019, "--as", "water-2019")
    again = run("next-year", Y2018, "--year", 2019)

    assert imported.exit_code == 0, imported.output
    assert started.exit_code == 0, started.output
    assert (
        "已开始 2019 年度评价 water-2019（草稿），上年度评价 demo-water-monitoring-2018-eval"
        in started.output
    )
    assert "整改事项 2 项" in started.output and "运维考核办法不健全" in started.output
    assert again.exit_code == 1 and "该项目已有 2019 年度的评价“water-2019”" in again.output


def test_an_uploaded_2019_folder_stores_its_items_too(seeded_db):
    cases.import_case(seeded_db.uow(), EVALUATOR, FOLDER_2018)
    files = [(p.name, p.read_bytes()) for p in sorted(FOLDER_2019.iterdir())]

    stored = case_upload.import_uploaded_case(seeded_db.uow(), EVALUATOR, files, evaluation_id="water-2019")

    items = rect.items_for_evaluation(seeded_db.uow(), EVALUATOR, stored)
    assert [(i.title, i.evaluation) for i in items] == [
        ("运维考核办法不健全", "water-2019"),
        ("部分监测点长期离线", "water-2019"),
    ]
