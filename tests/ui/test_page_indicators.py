"""指标体系: the tree with 分值, 指标解释, 评分标准 and each leaf's rule; choosing a system for a new
evaluation; importing a system file, checked, with every problem in Chinese."""

from __future__ import annotations

from published_sheets import published_bytes
from screen import button, read, shown, texts

GOOD = """\
id: test-small
name: 测试指标体系（小型）
indicators:
  - code: A
    name: 决策
    weight: 40
    children:
      - {code: A1, name: 立项依据, weight: 40, explanation: 立项是否有据, criteria: 每缺一项依据扣 5 分, rule: {kind: per_item, points_per_item: 5}}
  - code: B
    name: 产出
    weight: 60
    children:
      - {code: B1, name: 完成率, weight: 60, rule: {kind: ratio, target: 100, unit: "%"}}
"""

BROKEN = """\
id: test-broken
name: 测试指标体系（有错）
indicators:
  - code: A
    name: 决策
    weight: 40
    children:
      - {code: A1, name: 立项, weight: 30, rule: {kind: manual}}
      - {code: A1, name: 目标, weight: 20, rule: {kind: magic}}
  - code: B
    name: 产出
    weight: 60
    children:
      - {code: B1, name: 数量, weight: 60, rule: {kind: manual}}
"""


def upload(at, name: str, text: str):
    at.get("file_uploader")[0].upload(name, text.encode("utf-8"), "application/x-yaml")
    return button(at, "导入").click().run()


def test_the_tree_shows_weights_explanations_criteria_and_each_leafs_rule(open_page):
    at = open_page("indicators")

    assert at.selectbox(key="indicator_system").value == "yiyang-2018"
    assert [read(e.label) for e in at.expander] == [
        "A 项目决策（20.00 分）",
        "B 项目管理（40.00 分）",
        "C 项目绩效（40.00 分）",
        "修订此指标体系（另存为新版本）",
    ]
    page = shown(at)
    assert "**A11 立项依据充分性**（4.00 分）" in page
    assert "- 指标解释：项目立项是否符合法律法规" in page
    assert "- 评分标准：立项符合国家和地方政策" in page
    assert "- 评分规则：人工评分（扣分制）" in page
    assert "- 评分规则：每发现一处问题扣 2.00 分，扣完为止" in page  # B12
    assert "- 评分规则：预算执行率分档：≥95.00% 得 100.00%" in page  # B11


def test_choosing_a_system_for_a_new_evaluation_preselects_it_on_the_new_evaluation_form(open_page):
    at = open_page("indicators")
    at.selectbox(key="indicator_system").set_value("mof-2020-generic").run()

    at = button(at, "用此指标体系新建评价").click().run()
    at.switch_page("workbench/ui/views/start.py").run()

    assert at.selectbox(key="new_system").value == "mof-2020-generic"


def test_the_reference_framework_without_weights_cannot_start_an_evaluation(open_page):
    at = open_page("indicators")
    at.selectbox(key="indicator_system").set_value("mof-2020-reference").run()

    assert button(at, "用此指标体系新建评价").disabled
    assert "不设分值" in " ".join(e.label for e in at.expander)


def test_a_valid_system_file_is_imported_and_shown_and_a_second_import_changes_nothing(open_page):
    at = upload(open_page("indicators"), "small.yaml", GOOD)

    assert any("已导入：测试指标体系（小型）（test-small，2 项末级指标）" in s for s in texts(at.success))
    assert at.selectbox(key="indicator_system").value == "test-small"
    assert "- 评分规则：每发现一处问题扣 5.00 分，扣完为止" in shown(at)

    at = upload(at, "small.yaml", GOOD)
    assert any("已有相同的指标体系，未重复导入" in s for s in texts(at.success))


def test_a_broken_system_file_is_refused_with_each_problem_in_chinese_and_nothing_is_stored(open_page):
    at = upload(open_page("indicators"), "broken.yaml", BROKEN)

    errors = " ".join(texts(at.error))
    assert "文件 broken.yaml，第 9 行，指标 A1，字段「评分规则」：未知的规则类型 “magic”" in errors
    assert "指标代码重复" in errors
    assert "test-broken" not in at.selectbox(key="indicator_system").options
    assert not at.exception


def test_a_file_that_is_not_text_is_refused_in_chinese(open_page):
    at = open_page("indicators")
    at.get("file_uploader")[0].upload("scan.yaml", b"\xff\xfe\x00\x81binary", "application/x-yaml")
    at = button(at, "导入").click().run()

    assert "文件 scan.yaml：文件不是 UTF-8 编码的文本" in " ".join(texts(at.error))


def test_a_published_excel_sheet_is_imported_as_a_system_with_its_weights(open_page, tmp_path):
    at = open_page("indicators")
    at.get("file_uploader")[0].upload(
        "某市评价指标体系.xlsx", published_bytes(tmp_path), "application/octet-stream"
    )
    at.text_input(key="indicator_xlsx_id").set_value("city-2025-ui")

    at = button(at, "导入").click().run()

    assert any("已导入：某市评价指标体系（city-2025-ui，6 项末级指标）" in s for s in texts(at.success)), (
        texts(at.error)
    )
    assert at.selectbox(key="indicator_system").value == "city-2025-ui"
