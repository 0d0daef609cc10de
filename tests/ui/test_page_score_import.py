"""导入评分表: an uploaded score table shows the rebuilt tree, the recomputed total and grade and
every inconsistency; a bad file is one Chinese message; saving makes a new evaluation and opens it
on 评分."""

from __future__ import annotations

from decimal import Decimal

from screen import metric, read, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest
from xlsx_tables import PUBLISHED, published

from workbench.services import evaluations
from workbench.ui import session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="score_import_file").set_value((name, data, XLSX))
    return at.run()


def test_an_uploaded_table_shows_the_tree_total_grade_and_every_inconsistency(open_page, tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[2][5] = 5  # 绩效目标合理性: 5 of 4
    at = open_page("score_import")

    at = upload(at, "县里的评分表.xlsx", published(tmp_path / "t.xlsx", body).read_bytes())

    assert not at.exception
    assert metric(at, "重算总分") == "84.00 / 100.00"
    assert metric(at, "表列总分") == "83.00"
    assert metric(at, "等级") == "良"
    assert "不一致之处（2 处）" in texts(at.subheader)
    assert texts(at.error) == [
        "错误：文件 县里的评分表.xlsx，工作表「评分表」第 5 行，字段「得分」：得分 5.00 高于分值 4.00（重算总分按 4.00 计）",
        "错误：文件 县里的评分表.xlsx，工作表「评分表」第 14 行，字段「得分」：表列总分 83.00，与各指标得分合计 85.00 不一致（相差 -2.00）",
    ]
    tree = at.dataframe[0].value
    assert list(tree["指标"][:3]) == ["决策", "　项目立项", "　　立项依据充分性"]


def test_a_file_that_is_not_a_workbook_is_one_message_naming_it(open_page, app_db):
    before = len(evaluations.list_evaluations(app_db.uow(), PAGE_USER))
    at = open_page("score_import")

    at = upload(at, "上报材料.xlsx", b"PK\x03\x04 not really a workbook")

    assert (
        len(at.error) == 1
        and "上报材料.xlsx" in read(at.error[0].value)
        and "文件已损坏" in at.error[0].value
    )
    assert not at.dataframe
    assert len(evaluations.list_evaluations(app_db.uow(), PAGE_USER)) == before


def test_saving_the_table_makes_a_new_evaluation_and_opens_it_on_the_scoring_page(
    open_page, tmp_path, app_db
):
    at = upload(open_page("score_import"), "评分表.xlsx", published(tmp_path / "t.xlsx").read_bytes())
    at.text_input(key="score_import_project").set_value("某县智慧政务项目")
    at.text_input(key="score_import_year").set_value("2023")

    at = at.button(key="FormSubmitter:score_import_save-保存为新的评价").click().run()

    new_id = at.session_state[session.EVALUATION]
    assert new_id.startswith("project-2023")
    assert any("已从“评分表.xlsx”导入并保存为新的评价" in s for s in texts(at.success))
    assert metric(at, "总分") == "83.00 / 100.00"
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, new_id)
    assert (stored.case.project.name, stored.scorecard.total) == ("某县智慧政务项目", Decimal("83.00"))


def test_a_sheet_reaching_cell_xfd1048576_is_refused_and_the_page_keeps_working(open_page, tmp_path):
    from hostile_xlsx import dense_far_cell

    at = open_page("score_import")

    at = upload(at, "远处有一格.xlsx", dense_far_cell(tmp_path / "d.xlsx").read_bytes())

    assert not at.exception
    (message,) = texts(at.error)
    assert "远处有一格.xlsx" in message and "A1:XFD1048576" in message and "超过上限" in message
    at = upload(at, "评分表.xlsx", published(tmp_path / "t.xlsx").read_bytes())
    assert not at.exception and not at.error
    assert metric(at, "重算总分") == "83.00 / 100.00"


def test_a_table_with_two_score_columns_asks_which_one_and_never_guesses(open_page, tmp_path):
    from score_corpus import CASES, write_case

    case = next(c for c in CASES if c.name == "two-score-columns")
    at = upload(open_page("score_import"), "两列得分.xlsx", write_case(case, tmp_path).read_bytes())

    assert not at.exception and not at.metric
    assert "「自评得分」（F 列）、「评价得分」（G 列）" in at.error[0].value
    at = at.selectbox(key="score_import_score_column").select("评价得分").run()

    assert not at.exception and not at.error
    assert metric(at, "重算总分") == "83.00 / 100.00" and metric(at, "等级") == "良"


def test_saving_a_table_with_errors_needs_an_explicit_confirmation(open_page, tmp_path, app_db):
    body = [list(r) for r in PUBLISHED]
    body[2][5] = 5  # 5 of 4: an error
    at = upload(open_page("score_import"), "有错的表.xlsx", published(tmp_path / "t.xlsx", body).read_bytes())
    assert "已读取，有 2 处错误级不一致" in " ".join(texts(at.caption))
    at.text_input(key="score_import_project").set_value("某县项目")
    at.text_input(key="score_import_year").set_value("2023")
    before = len(evaluations.list_evaluations(app_db.uow(), PAGE_USER))

    at = at.button(key="FormSubmitter:score_import_save-保存为新的评价").click().run()
    assert any("确认仍按表中得分保存后才能保存" in e.value for e in at.error)
    assert len(evaluations.list_evaluations(app_db.uow(), PAGE_USER)) == before

    at.checkbox(key="score_import_confirm").check()
    at = at.button(key="FormSubmitter:score_import_save-保存为新的评价").click().run()
    assert at.session_state[session.EVALUATION].startswith("project-2023")
