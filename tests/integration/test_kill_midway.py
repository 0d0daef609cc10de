"""A process killed (SIGKILL) in the middle of a batch of saves leaves the database consistent,
on a SQLite file and on PostgreSQL: every committed save is whole with its audit record, the
interrupted one left no trace, the audit chain verifies and the scorecard computes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from actors import CLI, EVALUATOR, YIYANG, audit_rows

from workbench.domain.evaluation import IndicatorScore
from workbench.services import audit, evaluations
from workbench.storage.uow import open_database

# The child: saves scores one transaction at a time, and every third step copies the whole
# evaluation (one transaction of ~30 rows), printing a line after each commit, until killed.
CHILD = """
import sys
from workbench.services import cases, evaluations
from workbench.services.actors import Actor
from workbench.storage.uow import open_database

db = open_database(sys.argv[1])
zhang = Actor("zhang", "张评价", "评价人员")
eid = "yiyang-smart-brain-2018-eval"
codes = ["B21", "A11", "A12", "B22", "A21"]
step = 0
while True:
    step += 1
    if step % 3 == 0:
        cases.copy_evaluation(db.uow(), zhang, eid, f"copy-{step}")
    else:
        code = codes[step % len(codes)]
        version = evaluations.get_case(db.uow(), zhang, eid).versions.of_score(code)
        entry = {"deductions": [{"reason": f"第 {step} 次保存", "points": step % 2}]}
        evaluations.save_score(db.uow(), zhang, eid, code, entry, version)
    print(step, flush=True)
"""


def run_and_kill(url: str, commits: int) -> int:
    child = subprocess.Popen([sys.executable, "-c", CHILD, url], stdout=subprocess.PIPE, text=True)
    seen = 0
    deadline = time.monotonic() + 120
    try:
        while seen < commits and time.monotonic() < deadline:
            line = child.stdout.readline()
            assert line, f"the child stopped early with exit code {child.poll()}"
            seen = int(line)
        time.sleep(0.013 * (seen % 7))  # land somewhere inside the next transaction
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return seen


@pytest.mark.timeout(180)
def test_a_batch_of_saves_killed_midway_leaves_a_consistent_database(editable_db):
    url = editable_db.url
    editable_db.dispose()
    committed = run_and_kill(url, commits=40)

    db = open_database(url)
    if db.backend == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []

    report = audit.verify_audit(db.uow(), CLI)
    records = audit_rows(db)
    saves = Counter(r.object.rsplit("指标 ", 1)[1] for r in records if r.event == "保存评分")
    copies = {r.object.removeprefix("评价 ") for r in records if r.event == "复制评价"}
    case = evaluations.get_case(db.uow(), EVALUATOR, YIYANG)
    listed = {row.id for row in evaluations.list_evaluations(db.uow(), EVALUATOR)}

    assert report.ok, report.message
    assert sum(saves.values()) + len(copies) >= committed  # every save reported as committed is there
    for code, count in saves.items():  # each stored save came with its audit record, and only those
        assert case.versions.of_score(code) == 1 + count
        IndicatorScore.model_validate(case.case.evaluation.scores[code].model_dump())
    assert listed == {YIYANG, *copies}  # an interrupted copy left nothing behind
    with db.engine.connect() as conn:
        per_evaluation = dict(
            conn.execute(
                sa.text("SELECT evaluation_id, COUNT(*) FROM indicator_scores GROUP BY evaluation_id")
            ).all()
        )
    assert set(per_evaluation.values()) == {len(case.case.evaluation.scores)}
    assert evaluations.scorecard(db.uow(), EVALUATOR, YIYANG).complete
    db.dispose()
