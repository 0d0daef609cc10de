"""What the security layer costs: sign-in, the audit chain, export, backup and restore.

Run by hand:  .venv/bin/python bench/security.py [--database URL] [--records 10000]
Without --database it uses a fresh SQLite file in a temporary folder.  Prints milliseconds:
a sign-in (argon2id verify + audit record), resuming a session from the cookie token, appending
audit records (and what writing the chain's anchor file after each commit adds), verifying the whole chain, exporting it (CSV, .xlsx), and a
backup then restore of the database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from workbench.bootstrap import ensure_database
from workbench.services import audit, auth, backup, users
from workbench.services.actors import Actor
from workbench.services.trail import record

OPERATOR = Actor("cli:bench", "基准测试", "系统")
AUDITOR = Actor("bench-aud", "基准审计员", "审计管理员")  # exporting the log needs one (三员分立)
PASSWORD = "Wb#2024-timing"


def ms(action: Callable[[], object], runs: int = 1) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill(db, records: int) -> float:
    """Append ``records`` audit records in batches of 100 per transaction; ms per record."""
    start = time.perf_counter()
    for batch in range(records // 100):
        with db.uow() as uow:
            for i in range(100):
                record(uow, OPERATOR, "基准测试", f"对象 {batch}-{i}", after={"n": i})
            uow.commit()
    return (time.perf_counter() - start) * 1000 / max(records, 1)


def single(db, records: int) -> None:
    """``records`` transactions of one audit record each (each then moves the anchor file)."""
    for i in range(records):
        with db.uow() as uow:
            record(uow, OPERATOR, "基准测试", f"单条 {i}")
            uow.commit()


def anchor_cost(db) -> tuple[float, float]:
    """ms per one-record commit with the anchor written after it, and with it switched off."""
    import workbench.storage.uow as uow_module

    with_anchor = ms(lambda: single(db, 50), 3) / 50
    kept = uow_module.anchor_after_commit
    uow_module.anchor_after_commit = lambda session, sealed: None
    try:
        without = ms(lambda: single(db, 50), 3) / 50
    finally:
        uow_module.anchor_after_commit = kept
    return with_anchor, without


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--records", type=int, default=10000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    db = ensure_database(args.database or f"sqlite:///{folder / 'bench.db'}")
    users.add_user(db.uow(), OPERATOR, "bench", "基准测试", "评价人员", PASSWORD)
    users.add_user(db.uow(), OPERATOR, AUDITOR.username, AUDITOR.display_name, AUDITOR.role, PASSWORD)
    session = auth.login(db.uow(), "bench", PASSWORD)
    token = auth.login_token(db.uow(), session, key="bench")
    print(f"database: {db.backend}  (medians, ms)")
    print(
        f"  sign-in (argon2id + audit record)        {ms(lambda: auth.login(db.uow(), 'bench', PASSWORD), 10):9.1f}"
    )
    print(
        f"  resume from the cookie token             {ms(lambda: auth.resume(db.uow(), token, key='bench'), 50):9.2f}"
    )
    print(
        f"  check_session (every request)            {ms(lambda: auth.check_session(db.uow(), session), 50):9.2f}"
    )
    one = ms(lambda: fill(db, 100), 5) / 100
    print(f"  audit record, batch of 100 per commit    {one:9.3f} per record")
    anchored, bare = anchor_cost(db)
    print(f"  one-record commit, anchor file written   {anchored:9.3f}  (without the anchor {bare:.3f})")
    fill(db, args.records)
    total = audit.query_audit(db.uow(), OPERATOR, limit=1).total
    print(
        f"  verify the chain ({total} records)        {ms(lambda: audit.verify_audit(db.uow(), OPERATOR)):9.1f}"
    )
    print(
        f"  export CSV ({total} records)              {ms(lambda: audit.export_audit(db.uow(), AUDITOR, 'csv')):9.1f}"
    )
    print(
        f"  export .xlsx ({total} records)            {ms(lambda: audit.export_audit(db.uow(), AUDITOR, 'xlsx')):9.1f}"
    )
    zip_path = folder / "backup.zip"
    print(
        f"  backup                                   {ms(lambda: backup.create_backup(db.uow(), OPERATOR, zip_path)):9.1f}"
    )
    target = ensure_database(f"sqlite:///{folder / 'restored.db'}", seed=False)
    print(
        f"  restore into a new SQLite file           {ms(lambda: backup.restore_backup(target.uow(), OPERATOR, zip_path)):9.1f}"
    )
    db.dispose()
    target.dispose()


if __name__ == "__main__":
    main()
