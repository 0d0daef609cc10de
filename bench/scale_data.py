"""A bureau's database at scale, built quickly: projects × years of evaluations, users, audit records.

Run by hand:  .venv/bin/python bench/scale_data.py --out /tmp/scale.db [--projects 300 --years 8
              --users 100 --audit 100000]   (or --database URL for PostgreSQL)

The database is migrated and seeded as the app does (the Yiyang reference case), then filled with
bulk inserts through SQLAlchemy core — rows as the storage layer writes them, so every service
reads them: each project is a copy of the Yiyang project (its own id, name, year, department);
each evaluation copies the Yiyang evaluation's header, findings and recommendations with one of a
few score variants (all scored, none, the first n indicators), its totals stored as a save would
store them; older years are 定稿, the newest year a mix of 草稿, 已提交, 退回修改 and 已复核.
Users share one password hash (argon2 once, not a hundred times).  Audit records are appended
through the chain (``storage.audit_log.append``), so ``workbench audit verify`` passes.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.bootstrap import ensure_database  # noqa: E402
from workbench.domain.evaluation import Evaluation  # noqa: E402
from workbench.security.passwords import hash_password  # noqa: E402
from workbench.services.ports import AuditEntry, Totals  # noqa: E402
from workbench.services.trail import evaluation_object  # noqa: E402
from workbench.storage.audit_log import anchor_after_commit, append  # noqa: E402
from workbench.storage.repository import COLUMNS, PARTS, to_doc  # noqa: E402
from workbench.storage.tables import (  # noqa: E402
    EvaluationRow,
    FindingRow,
    ProjectRow,
    RecommendationRow,
    ScoreRow,
    new_etag,
)
from workbench.storage.tables_security import UserRow  # noqa: E402

YIYANG = "yiyang-smart-brain-2018-eval"
PASSWORD = "Scale#2024-bench"
DEPARTMENTS = (
    "教育局",
    "卫健委",
    "交通运输局",
    "农业农村局",
    "住建局",
    "民政局",
    "水利局",
    "文旅局",
    "科技局",
    "财政局",
)
ROLES = (("评价人员", 60), ("复核人", 15), ("专家", 10), ("项目单位", 10), ("领导", 5))
CURRENT = ("草稿", "草稿", "草稿", "已提交", "退回修改", "已复核")
BATCH = 2_000


def stamps(at: datetime, who: str = "scale") -> dict[str, Any]:
    return {"created_at": at, "created_by": who, "updated_at": at, "updated_by": who, "version": 1}


def template(db) -> tuple[Evaluation, dict[str, Any], dict[str, Any], list[tuple[Evaluation, Totals]]]:
    """The Yiyang evaluation, its project's facts and ledger, and its score variants with totals."""
    with db.uow() as uow:
        ev = uow.evaluations.get(YIYANG).evaluation
        project, ledger = uow.projects.get(ev.project)
        system, bands = uow.systems.get(ev.system), uow.band_sets.get(ev.bands)
    codes = sorted(ev.scores)
    variants = [ev, ev.model_copy(update={"scores": {}})]
    for n in (len(codes) // 4, len(codes) // 2, 3 * len(codes) // 4):
        variants.append(ev.model_copy(update={"scores": {c: ev.scores[c] for c in codes[:n]}}))
    scored = [(v, Totals.scored(system, v, bands)) for v in variants]
    return ev, to_doc(project), to_doc(ledger), scored


def build(
    db, projects: int, years: int, users: int, audit: int, evaluations: int | None = None
) -> dict[str, float]:
    """Fill ``db`` (already seeded); returns seconds per part.  ``evaluations`` caps the count."""
    spent: dict[str, float] = {}
    start = time.perf_counter()
    ev, facts, ledger, variants = template(db)
    now = datetime.now(UTC)
    header = to_doc(ev, {*COLUMNS, *PARTS})
    project_rows, evaluation_ids = [], []
    with db.engine.begin() as conn:
        for p in range(projects):
            pid, dept = f"scale-p{p:03d}", DEPARTMENTS[p % len(DEPARTMENTS)]
            name = f"{dept}第{p + 1}号专项资金项目"
            doc = {**facts, "id": pid, "name": name, "year": 2025, "department": dept}
            project_rows.append(
                {"id": pid, "name": name, "year": 2025, "facts": doc, "ledger": ledger, **stamps(now)}
            )
            for y in range(years):
                if evaluations is not None and len(evaluation_ids) >= evaluations:
                    break
                evaluation_ids.append((pid, name, 2025 - y, p))
        conn.execute(sa.insert(ProjectRow), project_rows)
        projects_by_id = {row["id"]: row["facts"] for row in project_rows}
        rows, scores, findings, recommendations = [], [], [], []
        for n, (pid, name, year, p) in enumerate(evaluation_ids):
            variant, totals = variants[0] if year < 2025 else variants[(n + p) % len(variants)]
            eid = f"{pid}-{year}-eval"
            status = "定稿" if year < 2025 else CURRENT[p % len(CURRENT)]
            title = f"{year}年度{name}绩效评价"
            # A 定稿 keeps the facts of its own project it was signed with; one in work keeps none.
            signed = header.get("frozen")
            frozen = {**signed, "project": projects_by_id[pid]} if signed and status == "定稿" else None
            rows.append(
                {
                    "id": eid, "project_id": pid, "system_id": ev.system, "band_set_id": ev.bands,
                    "year": year, "status": status, "header": {**header, "title": title, "frozen": frozen},
                    "etag": new_etag(), **vars_of(totals), **stamps(now),
                }
            )  # fmt: skip
            scores += [
                {"evaluation_id": eid, "code": c, "doc": to_doc(s), **stamps(now)}
                for c, s in variant.scores.items()
            ]
            for kind, out in (("findings", findings), ("recommendations", recommendations)):
                for position, item in enumerate(getattr(ev, kind)):
                    doc = to_doc(item, {"id"})
                    out.append(
                        {"evaluation_id": eid, "id": item.id, "position": position, "doc": doc, **stamps(now)}
                    )
        for table, values in (
            (EvaluationRow, rows), (ScoreRow, scores), (FindingRow, findings), (RecommendationRow, recommendations)
        ):  # fmt: skip
            for chunk in chunks(values):
                conn.execute(sa.insert(table), chunk)
    spent["projects and evaluations"] = time.perf_counter() - start
    start = time.perf_counter()
    add_users(db, users, [p["id"] for p in project_rows], now)
    spent["users"] = time.perf_counter() - start
    start = time.perf_counter()
    add_audit(db, audit, [f"{pid}-{y}-eval" for pid, _n, y, _p in evaluation_ids] or [YIYANG])
    spent["audit records"] = time.perf_counter() - start
    return spent


def vars_of(totals: Totals) -> dict[str, Any]:
    return {
        "total": totals.total, "declared_total": totals.declared_total, "grade": totals.grade,
        "complete": totals.complete, "unscored": totals.unscored, "scored_count": totals.scored_count,
    }  # fmt: skip


def chunks(values: list[dict[str, Any]]) -> Any:
    it = iter(values)
    while chunk := list(islice(it, BATCH)):
        yield chunk


def add_users(db, count: int, project_ids: list[str], now: datetime) -> None:
    if count <= 0:
        return
    digest = hash_password(PASSWORD)
    rows = []
    roles = [role for role, share in ROLES for _ in range(share)]
    for n in range(count):
        role = roles[n % len(roles)]
        owned = (
            project_ids[n % len(project_ids) : n % len(project_ids) + 3]
            if role == "项目单位" and project_ids
            else []
        )
        rows.append(
            {
                "username": f"scale-u{n:03d}", "display_name": f"用户{n:03d}", "role": role,
                "organisation": DEPARTMENTS[n % len(DEPARTMENTS)], "projects": owned, "password_hash": digest,
                "password_changed_at": now, "must_change_password": False, "failed_logins": [],
                "locked_until": None, "totp_secret": None, "active": True, "last_login_at": None,
                "totp_last_step": None, **stamps(now),
            }
        )  # fmt: skip
    with db.engine.begin() as conn:
        conn.execute(sa.insert(UserRow), rows)


def add_audit(db, count: int, evaluation_ids: list[str]) -> None:
    """``count`` score-save records spread over the evaluations, appended through the chain."""
    sealed: list[Any] = []
    with db.sessions() as session:
        for start in range(0, count, BATCH):
            entries = [record(n, evaluation_ids) for n in range(start, min(start + BATCH, count))]
            sealed = append(session, entries)
            session.commit()
        anchor_after_commit(session, sealed)


def record(n: int, evaluation_ids: list[str]) -> AuditEntry:
    """The ``n``-th generated audit record: a score saved by one of the evaluators."""
    where = evaluation_object(evaluation_ids[n % len(evaluation_ids)], f"指标 B{n % 9 + 1}")
    user = f"scale-u{n % 60:03d}"
    return AuditEntry(
        user, "评价人员", "保存评分", where, before={"points": n % 5}, after={"points": (n + 1) % 5}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="a new SQLite file")
    where.add_argument("--database", help="a database URL (an empty database)")
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--audit", type=int, default=100_000)
    args = parser.parse_args()
    if args.out and args.out.exists():
        raise SystemExit(f"{args.out} exists: give a new file")
    start = time.perf_counter()
    db = ensure_database(args.database or args.out)
    spent = {
        "migrate and seed": time.perf_counter() - start,
        **build(db, args.projects, args.years, args.users, args.audit),
    }
    with db.engine.connect() as conn:
        counts = {
            t: conn.scalar(sa.text(f"SELECT COUNT(*) FROM {t}"))
            for t in ("evaluations", "users", "audit_log")
        }
    db.dispose()
    for part, seconds in spent.items():
        print(f"{part:28s} {seconds:7.1f} s")
    print(f"{'total':28s} {sum(spent.values()):7.1f} s")
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))


if __name__ == "__main__":
    main()
