"""新建评价: the starting points — a case folder (zip upload or a path), an indicator system with a
blank project form, a copy of an evaluation — each opening the new evaluation on 评分; and deleting
a 草稿 created by mistake."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from screen import metric, texts
from streamlit.testing.v1 import AppTest

YIYANG_DIR = Path(__file__).resolve().parents[2] / "projects" / "yiyang-smart-brain-2018"


def tab_button(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def case_zip(folder: Path = YIYANG_DIR, inside: str = "yiyang/") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for path in sorted(folder.glob("*.yaml")):
            archive.write(path, inside + path.name)
        archive.writestr(inside + "说明.txt", "不是案例文件，导入时忽略")
    return buf.getvalue()


def opened_on_scoring(at: AppTest, evaluation_id: str, status: str = "草稿") -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at.title) == ["评分"], texts(at.error)
    assert at.sidebar.selectbox(key="evaluation_picker").value == evaluation_id
    assert any(m.endswith(f"[状态：{status}]") for m in texts(at.markdown))


def test_the_start_page_lists_every_evaluation_with_status_total_and_grade(open_page):
    table = open_page("start").dataframe[0].value

    yiyang = table[table["评价编号"] == "yiyang-smart-brain-2018-eval"].iloc[0]
    assert (yiyang["状态"], yiyang["总分"], yiyang["等级"]) == ("定稿", "83.00", "良好")


def test_copying_an_evaluation_for_the_next_year_opens_the_copy_as_a_draft(open_page):
    at = open_page("start")
    at.text_input(key="copy_year").set_value("2019")
    at.text_input(key="copy_id").set_value("yiyang-2019")

    at = tab_button(at, "复制为新的草稿")

    opened_on_scoring(at, "yiyang-2019")
    assert any("已复制为新的草稿：yiyang-2019" in s for s in texts(at.success))
    assert metric(at, "总分") == "83.00 / 100.00"


def test_a_new_evaluation_from_an_indicator_system_and_a_blank_project_form(open_page):
    at = open_page("start")
    at.selectbox(key="new_system").set_value("mof-2020-generic")
    at.text_input(key="new_name").set_value("城区智慧停车项目")
    at.text_input(key="new_year").set_value("2024")
    at.text_input(key="new_unit").set_value("市城市管理局")
    at.text_input(key="new_investment").set_value("1200")

    at = tab_button(at, "新建评价")

    opened_on_scoring(at, "project-2024-eval")
    assert "2024 城区智慧停车项目（草稿）" in at.sidebar.selectbox(key="evaluation_picker").options
    assert metric(at, "总分") == "未评分"
    assert any("尚未评分" in i for i in texts(at.info))


def test_a_project_form_with_the_year_in_words_is_refused_in_chinese_and_keeps_the_input(open_page):
    at = open_page("start")
    at.text_input(key="new_name").set_value("城区智慧停车项目")
    at.text_input(key="new_year").set_value("二〇二四")
    at.text_input(key="new_unit").set_value("市城市管理局")

    at = tab_button(at, "新建评价")

    assert texts(at.title) == ["新建评价"]
    assert "项目基本情况，字段「年度」：应为数字，实际为“二〇二四”" in " ".join(texts(at.error))
    assert at.text_input(key="new_name").value == "城区智慧停车项目"


def test_a_case_folder_uploaded_as_a_zip_is_imported_under_a_new_id(open_page):
    at = open_page("start")
    at.get("file_uploader")[0].upload("yiyang.zip", case_zip(), "application/zip")
    at.text_input(key="import_as").set_value("yiyang-imported")

    at = tab_button(at, "导入案例")

    opened_on_scoring(at, "yiyang-imported", status="定稿")  # imported as the case files say
    assert metric(at, "总分") == "83.00 / 100.00"


def test_a_case_folder_on_the_server_is_imported_by_its_path(open_page):
    at = open_page("start")
    at.text_input(key="import_path").set_value(str(YIYANG_DIR))
    at.text_input(key="import_as").set_value("yiyang-imported-by-path")

    at = tab_button(at, "导入案例")

    opened_on_scoring(at, "yiyang-imported-by-path", status="定稿")


def test_importing_the_same_case_again_without_a_new_id_is_refused_and_stores_nothing(open_page):
    at = open_page("start")
    before = len(at.dataframe[0].value)
    at.text_input(key="import_path").set_value(str(YIYANG_DIR))

    at = tab_button(at, "导入案例")

    assert "评价记录“yiyang-smart-brain-2018-eval”已存在" in " ".join(texts(at.error))
    assert len(at.dataframe[0].value) == before


def test_uploads_that_are_not_a_case_are_refused_naming_the_file(open_page):
    at = open_page("start")
    uploader = at.get("file_uploader")[0]
    uploader.upload("evaluation.yaml", (YIYANG_DIR / "evaluation.yaml").read_bytes(), "application/x-yaml")
    uploader.upload("预算表.yaml", "年度: 2018\n".encode(), "application/x-yaml")
    at = tab_button(at, "导入案例")
    assert (
        "文件 预算表.yaml：不是案例文件；应为 project.yaml、ledger.yaml、evaluation.yaml、indicators.yaml、rectification.yaml、periods.yaml、result-use-record.yaml 之一，或一个 .zip"
        in texts(at.error)
    )

    at.get("file_uploader")[0].set_value(("case.zip", b"PK\x03\x04 not really a zip", "application/zip"))
    at = tab_button(at, "导入案例")
    assert "文件 case.zip：不是有效的 .zip 压缩文件" in texts(at.error)

    at.get("file_uploader")[0].set_value(
        ("evaluation.yaml", (YIYANG_DIR / "evaluation.yaml").read_bytes(), "application/x-yaml")
    )
    at = tab_button(at, "导入案例")
    assert "文件 上传的文件：project.yaml：案例文件夹缺少文件" in " ".join(texts(at.error))


def test_a_blank_new_evaluation_opens_on_every_page_without_an_error(open_page):
    at = open_page("start")
    at.selectbox(key="new_system").set_value("mof-2020-generic")
    at.text_input(key="new_name").set_value("乡村道路养护项目")
    at.text_input(key="new_year").set_value("2023")
    at.text_input(key="new_unit").set_value("县交通运输局")
    at = tab_button(at, "新建评价")
    evaluation_id = at.sidebar.selectbox(key="evaluation_picker").value

    for page in ("overview", "indicators", "scoring", "findings", "report", "dashboard"):
        at.switch_page(f"workbench/ui/views/{page}.py").run()
        assert not at.exception and not at.error, (page, texts(at.error))
    assert at.sidebar.selectbox(key="evaluation_picker").value == evaluation_id
    at.switch_page("workbench/ui/views/overview.py").run()
    assert any("台账中还没有分年支付计划" in i for i in texts(at.info))


def test_a_draft_created_by_mistake_is_deleted_after_a_confirmation(open_page, draft):
    at = open_page("start", draft)  # the draft is the current evaluation
    next(s for s in at.selectbox if s.label == "删除哪项评价").set_value(draft)

    at = tab_button(at, "删除评价")  # not confirmed yet
    assert "请先勾选确认，再删除评价。" in texts(at.error)
    assert draft in set(at.dataframe[0].value["评价编号"])

    next(c for c in at.checkbox if c.label.startswith("确认删除该评价")).check()
    at = tab_button(at, "删除评价")

    assert f"已删除评价：{draft}" in texts(at.success)
    assert draft not in set(at.dataframe[0].value["评价编号"])
    assert (
        at.sidebar.selectbox(key="evaluation_picker").value == "yiyang-smart-brain-2018-eval"
    )  # picker moved on
    choices = next(s for s in at.selectbox if s.label == "删除哪项评价").options
    assert not any(
        draft in c or "yiyang-smart-brain-2018-eval" in c for c in choices
    )  # 定稿 is never offered
