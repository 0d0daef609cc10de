"""Bad indicator-system and case files: every problem as one Chinese line naming file and place."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.cli import app
from workbench.formats.cases import check_system
from workbench.formats.yamlio import parse_yaml
from workbench.services.casefiles import validate_path

GOOD = """\
id: demo
name: 演示体系
indicators:
  - code: A
    name: 决策
    weight: 40
    children:
      - code: A1
        name: 立项依据充分性
        weight: 20
        rule: {kind: manual}
      - code: A2
        name: 立项程序规范性
        weight: 20
        rule: {kind: per_item, points_per_item: 2}
  - code: B
    name: 产出
    weight: 60
    children:
      - code: B1
        name: 实际完成率
        weight: 60
        rule: {kind: ratio, target: 100}
"""


def write(tmp_path: Path, text: str, name: str = "system.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(p) for p in validate_path(path) if p.is_error]


def test_a_well_formed_system_has_no_problems(tmp_path):
    assert messages(write(tmp_path, GOOD)) == []


def test_missing_weight_names_the_indicator_and_line(tmp_path):
    path = write(
        tmp_path,
        GOOD.replace("        weight: 20\n        rule: {kind: manual}\n", "        rule: {kind: manual}\n"),
    )
    assert any("第 8 行" in m and "指标 A1" in m and "缺少分值" in m for m in messages(path)), messages(path)


def test_duplicate_code_names_both_indicators(tmp_path):
    path = write(tmp_path, GOOD.replace("code: A2", "code: A1"))
    found = messages(path)
    assert any(
        "指标 A1（立项程序规范性）" in m and "代码重复" in m and "立项依据充分性" in m for m in found
    ), found


def test_weights_off_by_half_a_point_say_by_how_much(tmp_path):
    path = write(tmp_path, GOOD.replace("weight: 60\n        rule", "weight: 59.5\n        rule"))
    found = messages(path)
    assert any(
        "指标 B（产出）" in m and "合计 59.50，应等于本级分值 60.00（相差 -0.50）" in m for m in found
    ), found
    assert not any("一级指标分值合计" in m for m in found)  # level 1 still adds up to 100


def test_level_one_weights_not_adding_to_the_total(tmp_path):
    text = GOOD.replace("weight: 40\n    children", "weight: 30\n    children").replace(
        "        weight: 20\n        rule: {kind: manual}", "        weight: 10\n        rule: {kind: manual}"
    )
    found = messages(write(tmp_path, text))
    assert found == [
        f"文件 {tmp_path / 'system.yaml'}：一级指标分值合计 90.00，应等于总分 100.00（相差 -10.00）"
    ]


def test_text_in_a_number_field_quotes_the_text(tmp_path):
    path = write(tmp_path, GOOD.replace("weight: 60\n        rule", "weight: 六十\n        rule"))
    found = messages(path)
    assert any(
        "第 22 行" in m and "指标 B1" in m and "字段「分值」" in m and "应为数字，实际为“六十”" in m
        for m in found
    ), found


def test_negative_weight_is_refused(tmp_path):
    text = GOOD.replace("weight: 40\n    children", "weight: 120\n    children").replace(
        "weight: 60\n    children", "weight: -20\n    children"
    )
    found = messages(write(tmp_path, text))
    assert any("指标 B（产出）" in m and "分值不能为负数" in m for m in found), found


def test_unknown_rule_kind_lists_the_kinds(tmp_path):
    found = messages(write(tmp_path, GOOD.replace("kind: manual", "kind: magic")))
    assert any("第 11 行" in m and "未知的规则类型 “magic”" in m and "per_item" in m for m in found), found


def test_a_typo_in_a_key_is_reported_not_ignored(tmp_path):
    found = messages(write(tmp_path, GOOD.replace("name: 实际完成率", "nmae: 实际完成率")))
    assert any("未知字段“nmae”" in m for m in found), found


def test_malformed_yaml_names_line_and_column(tmp_path):
    found = messages(write(tmp_path, GOOD.replace("    name: 决策", "    name: 决策: 错")))
    assert found == [
        f"文件 {tmp_path / 'system.yaml'}，第 5 行第 13 列：YAML 格式错误：此处不能出现“键: 值”（可能缺少缩进或冒号后未加空格）（mapping values are not allowed here）"
    ]


def test_a_leaf_without_a_rule_is_reported(tmp_path):
    found = messages(write(tmp_path, GOOD.replace("        rule: {kind: ratio, target: 100}\n", "")))
    assert any("指标 B1" in m and "必须设定评分规则" in m for m in found), found


def test_a_file_that_is_not_utf8_text(tmp_path):
    path = tmp_path / "system.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    assert messages(path) == [f"文件 {path}：文件不是 UTF-8 编码的文本"]


@pytest.mark.parametrize("text", ["- code: A\n  name: 决策\n", "只是一行文字\n"])
def test_an_uploaded_system_file_that_is_not_a_mapping_gets_one_chinese_line(text):
    system, problems = check_system(parse_yaml(text, "上传的体系.yaml"))
    assert system is None
    assert [str(p) for p in problems] == ["文件 上传的体系.yaml，第 1 行：应为“键: 值”形式的映射"]


def test_composition_rule_is_a_warning_not_an_error(tmp_path):
    text = GOOD + "composition:\n  - {names: [产出], min: 70, source: 测试规则}\n"
    problems = validate_path(write(tmp_path, text))
    assert [p.severity for p in problems] == ["warning"]
    assert "产出 分值为 60.00，要求不低于 70.00（测试规则）" in str(problems[0])


@pytest.mark.parametrize(
    "name", ["mof-2020-reference", "mof-2020-generic", "mof-2020-self-evaluation", "yiyang-2018"]
)
def test_every_shipped_indicator_system_is_valid(name):
    root = Path(__file__).resolve().parents[2]
    assert [p for p in validate_path(root / "indicators" / f"{name}.yaml") if p.is_error] == []


def test_validate_command_exits_non_zero_and_prints_every_problem(tmp_path):
    path = write(
        tmp_path,
        GOOD.replace("code: A2", "code: A1").replace(
            "weight: 60\n        rule", "weight: 六十\n        rule"
        ),
    )
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "代码重复" in result.output and "应为数字，实际为“六十”" in result.output
    assert "校验未通过" in result.output


def test_validate_command_accepts_a_good_file(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0
    assert "校验通过" in result.output
