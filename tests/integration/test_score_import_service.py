"""Importing a published score table from the app: preview without storing, save as a new
evaluation, and bad files that end in one message and change nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from actors import CLI, EVALUATOR, UNIT, add_accounts
from hostile_xlsx import dense_far_cell
from test_score_import_bad_files import _encrypted, _formula_score, _old_xls, _set
from typer.testing import CliRunner
from xlsx_tables import PUBLISHED, leaves_by_names, published

from workbench.bootstrap import ensure_database
from workbench.cli import app
from workbench.errors import Forbidden, InvalidInput
from workbench.formats.cases import load_case
from workbench.services import evaluations, score_imports
from workbench.storage.uow import Database

D = Decimal
NEW = score_imports.NewEvaluation(project_name="某县智慧政务项目", year="2023", unit="某县数据局")


@pytest.fixture
def db(tmp_path, database_templates) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'workbench.db'}"
    database_templates.copy(url, seed=True)
    opened = ensure_database(url)
    yield opened
    opened.dispose()


def stored_ids(db: Database) -> list[str]:
    return [s.id for s in evaluations.list_evaluations(db.uow(), EVALUATOR)]


def test_a_score_table_from_export_scores_comes_back_as_an_evaluation_with_the_same_scores(
    db, tmp_path, yiyang_dir
):
    out = tmp_path / "评分表.xlsx"
    exported = CliRunner().invoke(app, ["export-scores", str(yiyang_dir), "--out", str(out)])
    assert exported.exit_code == 0, exported.output

    source = load_case(yiyang_dir)
    same_bands = score_imports.NewEvaluation("某县智慧政务项目", 2023, bands=source.bands.id)

    new_id = score_imports.save_as_evaluation(
        db.uow(), EVALUATOR, out.read_bytes(), "评分表.xlsx", same_bands
    )

    card = evaluations.get_case(db.uow(), EVALUATOR, new_id).scorecard
    source = source.scorecard()

    def scores(c):
        return {names: leaf.score for names, leaf in leaves_by_names(c.nodes).items()}

    assert scores(card) == scores(source)
    assert (card.total, card.grade) == (D("83.00"), "良好")
    stored = evaluations.get_case(db.uow(), EVALUATOR, new_id).case
    assert (stored.project.name, stored.project.year, stored.evaluation.status) == (
        "某县智慧政务项目",
        2023,
        "草稿",
    )


def test_the_preview_shows_the_tree_total_grade_and_every_inconsistency_and_stores_nothing(db, tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[2][5] = 5  # 绩效目标合理性: 5 of 4
    data = published(tmp_path / "t.xlsx", body).read_bytes()
    before = stored_ids(db)

    result = score_imports.preview(db.uow(), EVALUATOR, data, "县里的评分表.xlsx")

    assert [n.name for n in result.table.nodes] == ["决策", "过程", "产出", "效益"]
    assert result.total == D("84.00") and result.grade
    assert [str(p) for p in result.problems] == [
        "文件 县里的评分表.xlsx，工作表「评分表」第 5 行，字段「得分」：得分 5.00 高于分值 4.00（重算总分按 4.00 计）",
        "文件 县里的评分表.xlsx，工作表「评分表」第 14 行，字段「得分」：表列总分 83.00，与各指标得分合计 85.00 不一致（相差 -2.00）",
    ]
    assert stored_ids(db) == before


def _pdf(path):
    path.write_bytes(b"%PDF-1.4 a pdf")
    return path


BAD = [
    ("not a workbook", _pdf, "不是 Excel 工作簿"),
    ("old .xls", _old_xls, "旧版 Excel 97-2003 工作簿（.xls）"),
    ("password-protected", _encrypted, "设置了打开密码（已加密）"),
    ("formula without a saved result", _formula_score, "单元格是公式“=D5*0.75”，但文件中没有保存计算结果"),
    ("text for a score", _set(4, 5, "良好"), "应为数字，填写的是“良好”"),
    ("a cell at XFD1048576", dense_far_cell, "工作表声明的使用区域为 A1:XFD1048576"),
]


@pytest.mark.parametrize(("case", "build", "what"), BAD, ids=[c[0] for c in BAD])
def test_a_bad_file_ends_in_one_message_naming_it_and_nothing_stored_changes(db, tmp_path, case, build, what):
    data = build(tmp_path / "bad.xlsx").read_bytes()
    before = stored_ids(db)

    for attempt in (
        lambda: score_imports.preview(db.uow(), EVALUATOR, data, "上报的评分表.xlsx"),
        lambda: score_imports.save_as_evaluation(db.uow(), EVALUATOR, data, "上报的评分表.xlsx", NEW),
    ):
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert len(refused.value.messages) == 1
        assert "上报的评分表.xlsx" in refused.value.messages[0] and what in refused.value.messages[0]
    assert stored_ids(db) == before


def test_an_empty_upload_and_a_missing_year_are_refused_in_chinese(db, tmp_path):
    with pytest.raises(InvalidInput, match="文件是空的（0 字节）"):
        score_imports.preview(db.uow(), EVALUATOR, b"", "空.xlsx")
    data = published(tmp_path / "t.xlsx").read_bytes()
    no_year = score_imports.NewEvaluation(project_name="某项目", year="二〇二三")
    with pytest.raises(InvalidInput, match="年度"):
        score_imports.save_as_evaluation(db.uow(), EVALUATOR, data, "t.xlsx", no_year)


def test_a_project_unit_may_preview_but_not_store_a_table(db, tmp_path):
    add_accounts(db, UNIT)
    data = published(tmp_path / "t.xlsx").read_bytes()

    assert score_imports.preview(db.uow(), UNIT, data, "t.xlsx").total == D("83.00")
    with pytest.raises(Forbidden, match="角色“项目单位”无权新建评价"):
        score_imports.save_as_evaluation(db.uow(), UNIT, data, "t.xlsx", NEW)
    assert score_imports.save_as_evaluation(db.uow(), CLI, data, "t.xlsx", NEW)  # the operator may


def test_the_same_table_saved_twice_is_kept_twice_under_new_ids(db, tmp_path):
    data = published(tmp_path / "t.xlsx").read_bytes()

    first = score_imports.save_as_evaluation(db.uow(), EVALUATOR, data, "t.xlsx", NEW)
    second = score_imports.save_as_evaluation(db.uow(), EVALUATOR, data, "t.xlsx", NEW)

    cases = [evaluations.get_case(db.uow(), EVALUATOR, i).case for i in (first, second)]
    assert (first, second) == ("project-2023-eval", "project-2023-2-eval")
    assert [(c.project.id, c.system.id) for c in cases] == [
        ("project-2023", "imported-2023"),
        ("project-2023-2", "imported-2023-2"),
    ]
    assert cases[0].scorecard().total == cases[1].scorecard().total == D("83.00")
