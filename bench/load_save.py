"""Many evaluators saving scores at once on PostgreSQL: lost updates, save latency, throughput.

Run by hand:  .venv/bin/python bench/load_save.py [--database URL] [--users 50] [--seconds 60]
                                                  [--workers 4] [--shared 10]
Without --database it starts a throwaway PostgreSQL cluster (the machine's PostgreSQL binaries).

Each simulated evaluator loops without pause (``--think S``: a random pause of S seconds on average): open the evaluation as the 评分 page does
(``evaluations.get_case``), change one indicator's 评分依据, save it (``evaluations.save_score``) with
the version it saw.  ``--workers`` processes share the evaluators (each process holds its own
database handle and caches, as an app server does).  Most evaluators have an evaluation of their own
(a copy of the Yiyang case); the first ``--shared`` work in pairs on one evaluation and two
indicators, so they keep colliding: a save based on a version someone else replaced is refused
(Conflict) — refused, not lost.

Afterwards every acknowledged save is checked against the database: for each (evaluation, indicator)
the acknowledged versions must be distinct and run without gaps from the starting version to the
stored one, the stored text must be that of the newest acknowledged save, and the audit log must
hold one 保存评分 record per acknowledged save, in a chain that verifies.  Anything else counts as
a lost update.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

YIYANG = "yiyang-smart-brain-2018-eval"
PAIR_CODES = 2  # the indicators a pair sharing an evaluation both edit
THINK = float(os.environ.get("WB_LOAD_THINK", "0"))  # mean pause between saves, seconds (--think)


@dataclass
class Outcome:
    acks: list[tuple[str, str, int, str]] = field(default_factory=list)  # evaluation, code, version, text
    save_ms: list[float] = field(default_factory=list)
    cycle_ms: list[float] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


def actor(user: int):
    from workbench.services.actors import Actor

    return Actor(f"eval{user:02d}", f"评价人员{user:02d}", "评价人员")


def evaluator(url_db, user: int, evaluation_id: str, codes: list[str], until: float, out: Outcome) -> None:
    from workbench.errors import Conflict, WorkbenchError
    from workbench.services import evaluations

    who, rng, n = actor(user), random.Random(user), 0
    while time.monotonic() < until:
        if n and THINK:
            time.sleep(rng.uniform(0, 2 * THINK))  # reading and typing between two saves
        n += 1
        started = time.perf_counter()
        try:
            page = evaluations.get_case(url_db.uow(), who, evaluation_id)
            code = rng.choice(codes)
            entry = page.case.evaluation.scores[code].model_dump()
            text = f"{who.username} 第 {n} 次保存"
            before = time.perf_counter()
            saved = evaluations.save_score(
                url_db.uow(),
                who,
                evaluation_id,
                code,
                {**entry, "rationale": text},
                page.versions.of_score(code),
            )
        except Conflict:
            out.conflicts += 1
            continue
        except WorkbenchError as exc:
            out.errors.append(f"{who.username}: {exc}")
            continue
        done = time.perf_counter()
        out.save_ms.append((done - before) * 1000)
        out.cycle_ms.append((done - started) * 1000)
        out.acks.append((evaluation_id, code, saved.version, text))


def worker(url: str, plan: list[tuple[int, str, list[str]]], seconds: float, go, queue: mp.Queue) -> None:
    """One process: its own handle on the database, one thread per evaluator; the clock starts
    when every process is ready (``go``)."""
    from workbench.services import evaluations  # noqa: F401 - imported before the clock runs
    from workbench.storage.uow import open_database

    db = open_database(url)
    queue.put("ready")
    go.wait()
    until = time.monotonic() + seconds
    outs = [Outcome() for _ in plan]
    threads = [
        threading.Thread(target=evaluator, args=(db, user, eid, codes, until, out))
        for (user, eid, codes), out in zip(plan, outs, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.dispose()
    queue.put(outs)


def prepare(db, users: int, shared: int) -> list[tuple[int, str, list[str]]]:
    """An evaluation per evaluator (pairs among the first ``shared`` share one) and its codes."""
    from workbench.services import cases, evaluations, review
    from workbench.services.actors import Actor

    reviewer = Actor("bench-reviewer", "基准测试复核", "复核人")
    review.advance(db.uow(), reviewer, YIYANG, "workflow.reopen", reason="负载基准测试")
    codes = sorted(evaluations.get_case(db.uow(), reviewer, YIYANG).case.evaluation.scores)
    plan, pair_eval = [], ""
    for user in range(users):
        in_pair = user < shared - shared % 2
        if not in_pair or user % 2 == 0:
            pair_eval = cases.copy_evaluation(db.uow(), actor(user), YIYANG, f"load-{user:02d}")
        plan.append((user, pair_eval, codes[:PAIR_CODES] if in_pair else codes))
    return plan


def stored_scores(db, evaluation_ids: set[str]) -> dict[tuple[str, str], tuple[int, str]]:
    from workbench.storage.tables import ScoreRow

    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.select(ScoreRow.evaluation_id, ScoreRow.code, ScoreRow.version, ScoreRow.doc).where(
                ScoreRow.evaluation_id.in_(sorted(evaluation_ids))
            )
        )
        return {(r[0], r[1]): (r[2], (r[3] or {}).get("rationale", "")) for r in rows}


def saves_audited(db) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(
            sa.text("SELECT count(*) FROM audit_log WHERE event = '保存评分' AND result = '成功'")
        )


def lost_updates(before, after, acks) -> list[str]:
    """What acknowledged saves the database does not show (see the module's docstring)."""
    by_key: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for eid, code, version, text in acks:
        by_key[(eid, code)].append((version, text))
    lost = []
    for key, saves in by_key.items():
        versions = sorted(v for v, _ in saves)
        start, (stored_version, stored_text) = before[key][0], after[key]
        if versions != list(range(start + 1, stored_version + 1)):
            lost.append(f"{key}: acknowledged versions {versions[:5]}… vs stored {start}→{stored_version}")
        elif max(saves)[1] != stored_text:
            lost.append(f"{key}: stored “{stored_text}”, newest acknowledged “{max(saves)[1]}”")
    return lost


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def drive(url: str, plan: list[tuple[int, str, list[str]]], seconds: float, workers: int) -> list[Outcome]:
    """The evaluators of ``plan`` in ``workers`` processes, started together, for ``seconds``."""
    spawn = mp.get_context("spawn")
    queue, go = spawn.Queue(), spawn.Event()
    procs = [
        spawn.Process(target=worker, args=(url, plan[i::workers], seconds, go, queue)) for i in range(workers)
    ]
    for p in procs:
        p.start()
    assert all(queue.get() == "ready" for _ in procs)
    go.set()
    outs = [o for _ in procs for o in queue.get()]
    for p in procs:
        p.join()
    return outs


def run(url: str, users: int, seconds: float, workers: int, shared: int) -> int:
    from workbench.bootstrap import ensure_database
    from workbench.services import audit
    from workbench.services.actors import Actor

    db = ensure_database(url)
    plan = prepare(db, users, shared)
    evaluation_ids = {eid for _, eid, _ in plan}
    before = stored_scores(db, evaluation_ids)
    audited_before = saves_audited(db)
    outs = drive(url, plan, seconds, workers)
    acks = [a for o in outs for a in o.acks]
    save_ms = [x for o in outs for x in o.save_ms]
    cycle_ms = [x for o in outs for x in o.cycle_ms]
    conflicts, errors = sum(o.conflicts for o in outs), [e for o in outs for e in o.errors]
    lost = lost_updates(before, stored_scores(db, evaluation_ids), acks)
    unaudited = len(acks) - (saves_audited(db) - audited_before)
    chain = audit.verify_audit(db.uow(), Actor("bench-audit", "基准测试审计", "审计管理员"))
    db.dispose()
    think = float(os.environ.get("WB_LOAD_THINK", "0"))
    print(f"database: postgresql  evaluators: {users} ({shared} in pairs on shared evaluations)  "
          f"processes: {workers}  seconds: {seconds:g}  pause between saves: {think:g} s")  # fmt: skip
    print(f"acknowledged saves: {len(acks)}  throughput: {len(acks) / seconds:.1f} saves/s")
    print(f"refused as conflicts (not lost): {conflicts}  other errors: {len(errors)}")
    print(f"save latency ms: p50 {percentile(save_ms, 0.5):.1f}  p95 {percentile(save_ms, 0.95):.1f}  "
          f"max {max(save_ms, default=float('nan')):.1f}")  # fmt: skip
    print(f"open + save ms:  p50 {percentile(cycle_ms, 0.5):.1f}  p95 {percentile(cycle_ms, 0.95):.1f}")
    print(f"lost updates: {len(lost) + max(unaudited, 0)}  (saves without their audit record: {unaudited})")
    print(f"audit chain: {'verifies' if chain.ok else 'BROKEN: ' + chain.message} ({chain.checked} records)")
    for line in (lost + errors)[:10]:
        print("  ", line)
    return 0 if not lost and unaudited == 0 and chain.ok and not errors else 1


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary folder (as the ``postgres`` user when run as root)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    bindir = found[-1].parent if found else Path(shutil.which("initdb") or "initdb").parent
    base = Path(tempfile.mkdtemp(prefix="wb-load-pg-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pg = lambda *cmd: subprocess.run([*as_pg, *cmd], check=True, capture_output=True)  # noqa: E731
    pg(
        str(bindir / "initdb"),
        "-D",
        str(base / "data"),
        "-A",
        "trust",
        "-U",
        "app",
        "-E",
        "UTF8",
        "--no-sync",
    )
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200"
    pg(str(bindir / "pg_ctl"), "-D", str(base / "data"), "-o", opts, "-l", str(base / "log"), "-w", "start")
    try:
        admin = sa.create_engine(
            f"postgresql+psycopg://app@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE "load"'))
        admin.dispose()
        yield f"postgresql+psycopg://app@127.0.0.1:{port}/load"
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(base / "data"), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0, help="mean pause between two saves (0: flat out)")
    parser.add_argument(
        "--workers", type=int, default=4, help="processes (app servers) sharing the evaluators"
    )
    parser.add_argument(
        "--shared", type=int, default=10, help="evaluators working in pairs on one evaluation"
    )
    args = parser.parse_args()
    os.environ.setdefault("WORKBENCH_SECRET_KEY", f"load-bench-{uuid.uuid4().hex}-{uuid.uuid4().hex}")
    os.environ.setdefault("WORKBENCH_AUDIT_ANCHOR_DIR", tempfile.mkdtemp(prefix="wb-load-anchors-"))
    workers = max(1, min(args.workers, args.users))
    os.environ["WB_LOAD_THINK"] = str(args.think)  # read by the worker processes
    if args.database:
        raise SystemExit(run(args.database, args.users, args.seconds, workers, args.shared))
    with throwaway_postgres() as url:
        code = run(url, args.users, args.seconds, workers, args.shared)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
