"""The audit log on SQLite and PostgreSQL: append-only in the database itself, hash-chained so an
edit made around the triggers is named by `workbench audit verify`, one chain under concurrent
writers, written with the change it describes, filtered and exported for the 审计管理员."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from actors import AUDITOR, CLI, EVALUATOR, YIYANG, add_accounts, audit_rows
from openpyxl import load_workbook
from typer.testing import CliRunner

from workbench.cli import app
from workbench.errors import Conflict, InvalidInput
from workbench.services import audit, evaluations, findings
from workbench.services.ports import AuditFilter
from workbench.services.trail import record
from workbench.storage import audit_log
from workbench.storage.audit_log import SQLITE_TRIGGERS


def raw(db, statement: str, *, lift_triggers: bool = False, put_back: bool = True) -> None:
    """Run SQL past the services, as someone with database access would (lifting the append-only
    triggers, and putting them back afterwards unless ``put_back`` is False)."""
    with db.engine.begin() as conn:
        if lift_triggers and db.backend == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        elif lift_triggers:
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        conn.exec_driver_sql(statement)
        if lift_triggers and put_back and db.backend == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")
        elif lift_triggers and put_back:
            for trigger in SQLITE_TRIGGERS:
                conn.exec_driver_sql(trigger)


def some_history(db) -> None:
    """A few real changes: a reopen, two score saves and a finding."""
    page = evaluations.get_case(db.uow(), EVALUATOR, YIYANG)
    evaluations.save_score(
        db.uow(), EVALUATOR, YIYANG, "B21", {"deductions": []}, page.versions.of_score("B21")
    )
    evaluations.save_score(db.uow(), EVALUATOR, YIYANG, "A11", {}, page.versions.of_score("A11"))
    findings.add_finding(db.uow(), EVALUATOR, YIYANG, {"title": '=HYPERLINK("http://x")'})


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET detail = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"],
)
def test_the_database_itself_refuses_to_change_or_delete_an_audit_record(editable_db, statement):
    with pytest.raises(sa.exc.DatabaseError, match="审计记录只能追加"):
        raw(editable_db, statement)
    assert audit.verify_audit(editable_db.uow(), CLI).ok


def test_an_edit_made_around_the_triggers_is_named_by_audit_verify(editable_db, monkeypatch):
    some_history(editable_db)
    target = audit_rows(editable_db)[3]
    raw(editable_db, f"UPDATE audit_log SET username = 'nobody' WHERE seq = {target.seq}", lift_triggers=True)

    report = audit.verify_audit(editable_db.uow(), AUDITOR)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", editable_db.url)
    result = CliRunner().invoke(app, ["audit", "verify"])

    assert (report.ok, report.first_broken) == (False, target.seq)
    assert report.message.startswith(
        f"审计日志被篡改或缺失：第一条异常记录序号 {target.seq}（记录内容与哈希不符"
    )
    assert result.exit_code == 1 and f"第一条异常记录序号 {target.seq}" in result.output


def test_a_deleted_record_breaks_the_chain_at_the_record_after_it(editable_db):
    some_history(editable_db)
    raw(editable_db, "DELETE FROM audit_log WHERE seq = 3", lift_triggers=True)

    report = audit.verify_audit(editable_db.uow(), AUDITOR)

    assert (report.ok, report.first_broken) == (False, 4)
    assert "序号不连续，应为 3" in report.message


def test_concurrent_writers_extend_one_chain_without_forks(seeded_db):
    def write(n: int) -> None:
        for i in range(15):
            with seeded_db.uow() as uow:
                if n % 2:  # a transaction that wrote before its audit record (a row of its own)
                    own = sa.text("UPDATE roles SET position = position WHERE name = :name")
                    uow.session.execute(own, {"name": ("评价人员", "复核人", "专家")[n // 2]})
                record(uow, EVALUATOR, "测试", f"线程 {n} 第 {i} 条")
                uow.commit()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    rows = audit_rows(seeded_db)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert sum(1 for r in rows if r.event == "测试") == 90
    assert audit.verify_audit(seeded_db.uow(), CLI).ok


def test_a_refused_save_leaves_neither_the_change_nor_an_audit_record(editable_db):
    before = audit_rows(editable_db)
    with pytest.raises(InvalidInput):
        evaluations.save_score(
            editable_db.uow(), EVALUATOR, YIYANG, "B21", {"deductions": [{"reason": "x", "points": 99}]}, 1
        )
    with pytest.raises(Conflict):
        evaluations.save_score(editable_db.uow(), EVALUATOR, YIYANG, "B21", {}, 7)
    assert audit_rows(editable_db) == before


def test_a_save_whose_audit_record_cannot_be_written_keeps_nothing_and_the_next_save_goes_through(
    editable_db, monkeypatch
):
    """The audit INSERT is the save's last statement (on PostgreSQL it carries the COMMIT): when
    the database refuses it, neither the score nor the record stays."""
    stored = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    version, before = stored.versions.of_score("B21"), audit_rows(editable_db)
    # a record the database refuses: no time, in a column that must have one
    monkeypatch.setattr(audit_log, "iso", lambda _at: None)
    with pytest.raises(Conflict, match="未保存任何内容"):
        evaluations.save_score(
            editable_db.uow(), EVALUATOR, YIYANG, "B21", {"rationale": "不会保存"}, version
        )
    monkeypatch.undo()

    after = evaluations.get_case(editable_db.uow(), EVALUATOR, YIYANG)
    assert after.versions.of_score("B21") == version and audit_rows(editable_db) == before
    evaluations.save_score(editable_db.uow(), EVALUATOR, YIYANG, "B21", {"rationale": "保存"}, version)
    assert audit_rows(editable_db)[-1].event == "保存评分" and audit.verify_audit(editable_db.uow(), CLI).ok


def test_the_audit_page_filters_by_time_user_event_and_object(editable_db):
    some_history(editable_db)
    everything = audit.query_audit(editable_db.uow(), AUDITOR)
    scores = audit.query_audit(editable_db.uow(), AUDITOR, AuditFilter(event="保存评分"))
    b21 = audit.query_audit(editable_db.uow(), AUDITOR, AuditFilter(object="指标 B21"))
    by_zhang = audit.query_audit(editable_db.uow(), AUDITOR, AuditFilter(username="zhang"))
    future = audit.query_audit(
        editable_db.uow(), AUDITOR, AuditFilter(since=datetime.now(UTC) + timedelta(hours=1))
    )
    recent = audit.query_audit(
        editable_db.uow(), AUDITOR, AuditFilter(since=datetime.now(UTC) - timedelta(hours=1))
    )

    assert everything.total == len(everything.records) and everything.records[0].seq == everything.total
    assert [r.object for r in scores.records] == [f"评价 {YIYANG} / 指标 A11", f"评价 {YIYANG} / 指标 B21"]
    assert [r.event for r in b21.records] == ["保存评分"]
    assert {r.username for r in by_zhang.records} == {"zhang"} and by_zhang.total == 3
    assert (future.total, recent.total) == (0, everything.total + 5)  # each viewing is recorded too
    assert audit_rows(editable_db)[-1].event == "查看审计日志"
    # the filter's 事件 choices: every event the log holds, once each, in order
    assert audit.audit_events(editable_db.uow(), AUDITOR) == sorted(
        {r.event for r in audit_rows(editable_db)}
    )


def test_the_csv_export_is_plain_text_and_is_itself_audited(editable_db):
    some_history(editable_db)
    content = audit.export_audit(editable_db.uow(), AUDITOR, "csv", AuditFilter(event="新增问题"))

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["序号", "时间", "用户", "角色", "事件", "对象"]
    assert rows[1][2:6] == ["zhang", "评价人员", "新增问题", f"评价 {YIYANG} / 问题 F3"]
    assert '"title": "=HYPERLINK' in rows[1][7] and not rows[1][7].startswith("=")
    last = audit_rows(editable_db)[-1]
    assert (last.event, last.username) == ("导出审计日志", "aud")
    assert "格式 csv，1 条" in last.detail


def test_the_xlsx_export_keeps_formula_like_text_as_text(editable_db, tmp_path):
    add_accounts(editable_db, EVALUATOR)
    with editable_db.uow() as uow:
        record(uow, EVALUATOR, "测试", "=1+1", detail="@SUM(A1)")
        uow.commit()
    path = tmp_path / "audit.xlsx"
    path.write_bytes(audit.export_audit(editable_db.uow(), AUDITOR, "xlsx"))

    sheet = load_workbook(path).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[4].value == "测试")
    assert (row[5].value, row[5].data_type) == ("=1+1", "s")
    assert (row[9].value, row[9].data_type) == ("@SUM(A1)", "s")
    assert sheet.cell(1, 1).value == "序号" and sheet.max_row == len(audit_rows(editable_db))


def test_two_evaluators_on_one_indicator_leave_one_save_and_one_audit_record(editable_db):
    colleague = EVALUATOR.__class__("li", "李评价", "评价人员")
    seen = evaluations.get_case(editable_db.uow(), colleague, YIYANG).versions.of_score("B21")
    evaluations.save_score(editable_db.uow(), EVALUATOR, YIYANG, "B21", {"deductions": []}, seen)

    with pytest.raises(Conflict, match="指标 B21 的评分已被 zhang 于"):
        evaluations.save_score(editable_db.uow(), colleague, YIYANG, "B21", {}, seen)

    saves = [r for r in audit_rows(editable_db) if r.event == "保存评分"]
    assert [(r.username, r.object) for r in saves] == [("zhang", f"评价 {YIYANG} / 指标 B21")]


def test_the_newest_record_of_any_of_some_events_after_a_point_is_found_per_object(seeded_db):
    def write(event: str, obj: str, result: str = "成功") -> int:
        with seeded_db.uow() as uow:
            record(uow, EVALUATOR, event, obj, result=result)
            uow.commit()
        with seeded_db.uow() as uow:
            return uow.audit.query(AuditFilter(), 1, 0)[0][0].seq

    before = write("保存评分", "评价 a / 指标 A1")  # the seeded log and this one come before the point
    cleared = write("清除评分", "评价 a / 指标 A1")
    write("保存评分", "评价 a / 指标 B1", result="失败")
    write("生成报告", "评价 a / 报告")
    other = write("保存评分", "评价 b / 指标 A1")
    changes = {"保存评分", "清除评分"}

    with seeded_db.uow() as uow:
        found = uow.audit.newest_after(changes, before)
        later = uow.audit.newest_after(changes, cleared)
        assert uow.audit.newest_after(changes, other) == {}

    assert {obj: r.seq for obj, r in found.items()} == {
        "评价 a / 指标 A1": cleared,
        "评价 b / 指标 A1": other,
    }
    assert found["评价 a / 指标 A1"].event == "清除评分" and list(later) == ["评价 b / 指标 A1"]


def test_the_newest_record_of_an_event_is_found_per_object_exactly_and_only_if_it_succeeded(seeded_db):
    def write(obj: str, result: str = "成功") -> None:
        with seeded_db.uow() as uow:
            record(uow, EVALUATOR, "生成报告", obj, result=result)
            uow.commit()

    for obj in ("评价 a / 报告", "评价 a / 报告", "评价 a / 报告 / 附件", "评价 b / 报告"):
        write(obj)
    write("评价 b / 报告", result="失败")

    with seeded_db.uow() as uow:
        found = uow.audit.latest("生成报告", ["评价 a / 报告", "评价 b / 报告", "评价 c / 报告"])
        everything, _ = uow.audit.query(AuditFilter(event="生成报告", result="成功"), 0, 0)

    newest_a = next(r for r in everything if r.object == "评价 a / 报告")  # the query lists newest first
    newest_b = next(r for r in everything if r.object == "评价 b / 报告")
    assert set(found) == {"评价 a / 报告", "评价 b / 报告"}
    assert (found["评价 a / 报告"].seq, found["评价 b / 报告"].seq) == (newest_a.seq, newest_b.seq)
