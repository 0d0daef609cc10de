"""How long each page and command takes as the database grows: 1, 100 and 2,400 evaluations.

Run by hand:  .venv/bin/python bench/scale_pages.py [--sizes 1,100,2400] [--runs 5]

Each size is a fresh SQLite database in a temporary folder: 1 is the shipped database (the Yiyang
reference case), the others are filled by ``bench/scale_data.py`` (projects × 8 years, users and
audit records in proportion: 100 users and 100,000 records at 2,400).  Pages are run in AppTest,
signed in as a person of the role that uses them, on a draft evaluation (the Yiyang case at size
1): the median of ``--runs`` reruns of the page once opened.  Commands run as whole processes
(the `workbench` command), median of ``--runs``.  Each figure is printed with its ratio to
size 1, the shipped database (target ≤ 1.5×).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from scale_data import build  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from workbench.bootstrap import ensure_database  # noqa: E402
from workbench.services import auth, cases, users  # noqa: E402
from workbench.services.actors import SYSTEM, Actor  # noqa: E402
from workbench.ui import session  # noqa: E402

TARGET = 1.5
YIYANG = "yiyang-smart-brain-2018-eval"
PASSWORD = "Wb#2024-scale"
ADMIN = Actor("cli:bench", "命令行", "系统")
PEOPLE = {
    "评价人员": Actor("scale-eval", "计时评价员", "评价人员"),
    "领导": Actor("scale-lead", "计时领导", "领导"),
    "审计管理员": Actor("scale-audit", "计时审计", "审计管理员"),
}
# (label, page file, role)
PAGES = (
    ("待办", "todo", "评价人员"),
    ("项目总览", "overview", "评价人员"),
    ("评分", "scoring", "评价人员"),
    ("问题与建议", "findings", "评价人员"),
    ("报告", "report", "评价人员"),
    ("新建评价", "start", "评价人员"),
    ("领导看板", "dashboard", "领导"),
    ("审计日志", "audit_log", "审计管理员"),
)


@dataclass
class Size:
    """One database of the comparison: its URL, the draft the pages open, who is signed in."""

    evaluations: int
    url: str
    draft: str
    logins: dict[str, auth.LoginSession]


def fill(folder: Path, size: int) -> Size:
    """A database of ``size`` evaluations (scale_data.build; size 1 is the shipped database)."""
    url = f"sqlite:///{folder / f'scale-{size}.db'}"
    db = ensure_database(url)
    if size > 1:
        projects = -(-(size - 1) // 8)
        share = (size - 1) / 2_399
        build(db, projects, 8, max(int(100 * share), 3), int(100_000 * share), evaluations=size - 1)
    draft = cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
    logins = {role: sign_in(db, actor) for role, actor in PEOPLE.items()}
    db.dispose()
    return Size(size, url, draft, logins)


def sign_in(db, actor: Actor) -> auth.LoginSession:
    users.add_user(db.uow(), ADMIN, actor.username, actor.display_name, actor.role, PASSWORD)
    users.change_password(db.uow(), actor, PASSWORD, PASSWORD + "2")
    return auth.login(db.uow(), actor.username, PASSWORD + "2")


def opened(size: Size, page: str, role: str) -> AppTest:
    os.environ["WORKBENCH_DATABASE_URL"] = size.url
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state[session.LOGIN] = size.logins[role]
    at.session_state[session.EVALUATION] = size.draft
    at.run()
    return at.switch_page(f"workbench/ui/views/{page}.py").run()


def page_times(sizes: list[Size], page: str, role: str, runs: int) -> list[float]:
    """Median ms of a rerun of the opened page, at each size; the sizes take turns run by run,
    so a busy spell of the machine hits them alike."""
    apps = [opened(size, page, role) for size in sizes]
    samples: list[list[float]] = [[] for _ in sizes]
    for _ in range(runs):
        for size, at, times in zip(sizes, apps, samples, strict=True):
            os.environ["WORKBENCH_DATABASE_URL"] = size.url
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            if at.exception:
                raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
    return [statistics.median(t) for t in samples]


WORKBENCH = Path(sys.executable).with_name("workbench")


def command_times(sizes: list[Size], command: list[str], runs: int, folder: Path) -> list[float]:
    samples: list[list[float]] = [[] for _ in sizes]
    for n in range(runs):
        for size, times in zip(sizes, samples, strict=True):
            args = [a.format(n=n, url=size.url, draft=size.draft, out=folder) for a in command]
            start = time.perf_counter()
            done = subprocess.run(
                [str(WORKBENCH), *args], cwd=ROOT, capture_output=True, text=True, check=False
            )
            times.append((time.perf_counter() - start) * 1000)
            if done.returncode not in (0, 1):
                raise SystemExit(f"workbench {' '.join(args)}: {done.stderr[-2000:]}")
    return [statistics.median(t) for t in samples]


# Commands on the database: {url}, {draft}, {out} and {n} (the run's number) are filled in.
COMMANDS = {
    "workbench cases": ["cases", "--database", "{url}"],
    "workbench export-case ID": ["export-case", "{draft}", "{out}/export-{n}-{draft}", "--database", "{url}"],
    "workbench import-case (write one)": [
        "import-case", str(ROOT / "projects" / "yiyang-smart-brain-2018"), "--as", "scale-import-{n}", "--database", "{url}",
    ],
    "workbench user list": ["user", "list", "--database", "{url}"],
}  # fmt: skip


def copy_times(sizes: list[Size], runs: int) -> list[float]:
    """Copying the Yiyang evaluation as a new draft, in process (warm), median ms at each size."""
    dbs = [ensure_database(size.url) for size in sizes]
    for db in dbs:
        cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
    samples: list[list[float]] = [[] for _ in sizes]
    for _ in range(runs):
        for db, times in zip(dbs, samples, strict=True):
            start = time.perf_counter()
            cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
            times.append((time.perf_counter() - start) * 1000)
    for db in dbs:
        db.dispose()
    return [statistics.median(t) for t in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,2400")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", default="", help="pages or commands to leave out, comma-separated labels")
    args = parser.parse_args()
    counts = [int(s) for s in args.sizes.split(",")]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    os.environ.setdefault("WORKBENCH_SECRET_KEY", secrets.token_urlsafe(32))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["WORKBENCH_AUDIT_ANCHOR_DIR"] = str(folder / "anchors")
        sizes = []
        for count in counts:
            start = time.perf_counter()
            sizes.append(fill(folder, count))
            print(f"{count} evaluations: built in {time.perf_counter() - start:.1f} s", flush=True)
        results: dict[str, list[float]] = {}
        for label, page, role in PAGES:
            if label not in skip:
                results[f"page {label}"] = page_times(sizes, page, role, args.runs)
                print(f"page {label}: {results[f'page {label}']}", flush=True)
        for label, command in COMMANDS.items():
            if label not in skip:
                results[label] = command_times(sizes, command, args.runs, folder)
        results["copy_evaluation (service)"] = copy_times(sizes, args.runs)
    report(counts, results)


def report(counts: list[int], results: dict[str, list[float]]) -> None:
    head = "".join(f"{f'{c} evals':>14s}" for c in counts)
    print(f"\n{'median ms':34s}{head}{'ratio':>9s}  (largest / shipped; target <= {TARGET})")
    for label, times in results.items():
        ratio = times[-1] / times[0]
        row = "".join(f"{t:14.0f}" for t in times)
        print(f"{label:34s}{row}{ratio:8.2f}×{'' if ratio <= TARGET else '  over'}")


if __name__ == "__main__":
    main()
