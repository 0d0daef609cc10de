"""The database commands, driven as a user types them (on SQLite and PostgreSQL)."""

from typer.testing import CliRunner

from workbench.cli import app
from workbench.storage import migrate

YIYANG = "yiyang-smart-brain-2018-eval"


def test_db_upgrade_creates_the_schema_then_says_it_is_current(database_url):
    runner = CliRunner()
    first = runner.invoke(app, ["db", "upgrade", "--database", database_url])
    second = runner.invoke(app, ["db", "upgrade", "--database", database_url])

    assert first.exit_code == 0, first.output
    assert f"数据库已升级：空数据库 → {migrate.head()}" in first.output
    assert f"数据库已是最新版本（{migrate.head()}）" in second.output


def test_cases_lists_the_yiyang_case_with_its_total_and_grade(run):
    result = run("cases")

    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if YIYANG in row)
    assert "益阳智慧大脑+政务服务项目" in line and "83.00" in line and "良好" in line and "定稿" in line
    assert "共 1 项" in result.output


def test_export_then_import_under_a_new_id_goes_round_through_the_command_line(run, tmp_path):
    out = tmp_path / "yiyang-export"

    exported = run("export-case", YIYANG, out)
    refused = run("export-case", YIYANG, out)
    forced = run("export-case", YIYANG, out, "--force")
    imported = run("import-case", out, "--as", "yiyang-copy")
    listed = run("cases")

    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in out.iterdir()) == [
        "evaluation.yaml",
        "indicators.yaml",
        "ledger.yaml",
        "project.yaml",
    ]
    assert refused.exit_code == 1 and "文件已存在，未覆盖" in refused.output
    assert forced.exit_code == 0
    assert "已导入评价记录 yiyang-copy：总分 83.00，等级 良好" in imported.output
    assert "yiyang-copy" in listed.output and "共 2 项" in listed.output


def test_importing_the_same_case_twice_asks_for_a_new_id(run, yiyang_dir):
    result = run("import-case", yiyang_dir)
    assert result.exit_code == 1
    assert f"评价记录“{YIYANG}”已存在" in result.output and "--as" in result.output


def test_importing_a_folder_with_a_bad_score_prints_the_problem_and_stores_nothing(run, yiyang_dir, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("project.yaml", "ledger.yaml", "evaluation.yaml"):
        text = (yiyang_dir / name).read_text("utf-8")
        if name == "evaluation.yaml":
            text = text.replace("        points: 2\n", "        points: 99\n", 1)
        (broken / name).write_text(text, "utf-8")

    result = run("import-case", broken, "--as", "broken")

    assert result.exit_code == 1
    assert "evaluation.yaml" in result.output and "超过该指标分值" in result.output
    assert "broken" not in run("cases").output


def test_exporting_an_unknown_evaluation_says_so(run, tmp_path):
    result = run("export-case", "nope", tmp_path / "x")
    assert result.exit_code == 1 and "找不到评价记录“nope”" in result.output


def test_cases_lists_a_bureau_s_many_evaluations_one_plain_line_each(run, monkeypatch):
    from workbench.cli import db as db_commands

    monkeypatch.setattr(db_commands, "TABLE_ROWS", 0)  # as with more evaluations than a table shows
    result = run("cases")

    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if YIYANG in row)
    assert line.split("\t")[4:] == ["定稿", "83.00", "良好"]
    assert result.output.splitlines()[0].split("\t")[0] == "评价编号" and "共 1 项" in result.output
