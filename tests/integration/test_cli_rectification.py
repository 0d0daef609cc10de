"""``workbench rectification list ID`` prints the 台账 with status, deadline and the overdue flag."""

from __future__ import annotations

from datetime import date

from actors import EVALUATOR, UNIT, YIYANG, YIYANG_PROJECT, add_accounts
from test_rectification_services import NEXT, next_year
from typer.testing import CliRunner, Result

from workbench.bootstrap import ensure_database
from workbench.cli import app
from workbench.services import rectification as rect


def test_the_list_shows_each_item_its_deadline_status_and_whether_it_is_overdue(database_url, run):
    db = ensure_database(database_url)
    try:
        add_accounts(db, UNIT)
        first, _ = next_year(db)
        rect.report_done(db.uow(), UNIT, first, "已配备专人", ["运维合同"], 1)
        rect.close(db.uow(), EVALUATOR, first, 2)
    finally:
        db.dispose()

    listed = run("rectification", "list", NEXT, "--today", "2020-06-02")

    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    kept = next(line for line in lines if "该项目后期维护与管理有待加强" in line)
    late = next(line for line in lines if "专业技术人才不足" in line)
    assert "销号" in kept and "逾期" not in kept
    assert all(word in late for word in ("市电子政务管理办公室", "短期", "2020-06-01", "已下达", "逾期"))
    assert "共 2 项：销号 1，已整改待销号 0，未完成 1（其中逾期 1）" in listed.output
    on_time = run("rectification", "list", YIYANG_PROJECT, "--today", date(2020, 6, 1).isoformat())
    assert "专业技术人才不足" in on_time.output and "（其中逾期 0）" in on_time.output
    assert run("rectification", "list", YIYANG).exit_code == 0  # the 2018 evaluation lists what it found


def test_a_bad_date_and_an_unknown_id_are_refused_in_chinese(tmp_path):
    def run(*args: str) -> Result:
        return CliRunner().invoke(app, [*args, "--database", f"sqlite:///{tmp_path / 'w.db'}"])

    assert "不是日期" in run("rectification", "list", YIYANG, "--today", "明天").output
    unknown = run("rectification", "list", "no-such-thing")
    assert unknown.exit_code != 0 and "找不到项目“no-such-thing”" in unknown.output


def test_the_deadline_types_are_listed_from_the_data_file():
    shown = CliRunner().invoke(app, ["rectification", "types"]).output
    assert "立行立改" in shown and "60 日" in shown and "短期（默认）" in shown and "3 年" in shown
