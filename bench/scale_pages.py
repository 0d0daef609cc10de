"""How long each page and command takes as the database grows: 1, 100 and 2,400 evaluations.

Run by hand:  .venv/bin/python bench/scale_pages.py [--sizes 1,100,2400] [--runs 5]

Each size is a fresh SQLite database in a temporary folder: 1 is the shipped database (the Yiyang
reference case), the others are filled by ``bench/scale_data.py`` (projects × 8 years, users and
audit records in proportion: 100 users and 100,000 records at 2,400).  Pages are run in AppTest,
signed in as a person of the role that uses them, on a draft evaluation (the Yiyang case at size
1): the median of ``--runs`` reruns of the page once opened.  Commands run as whole processes
(python -m workbench.cli …), median of ``--runs``.  Each figure is printed with its ratio to
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


def fill(url: str, size: int) -> str:
    """A database of ``size`` evaluations; returns the draft the pages open."""
    db = ensure_database(url)
    if size > 1:
        projects = -(-(size - 1) // 8)
        share = (size - 1) / 2_399
        build(db, projects, 8, max(int(100 * share), 3), int(100_000 * share), evaluations=size - 1)
    draft = cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
    logins = {role: sign_in(db, actor) for role, actor in PEOPLE.items()}
    db.dispose()
    LOGINS.clear()
    LOGINS.update(logins)
    return draft


LOGINS: dict[str, auth.LoginSession] = {}


def sign_in(db, actor: Actor) -> auth.LoginSession:
    users.add_user(db.uow(), ADMIN, actor.username, actor.display_name, actor.role, PASSWORD)
    users.change_password(db.uow(), actor, PASSWORD, PASSWORD + "2")
    return auth.login(db.uow(), actor.username, PASSWORD + "2")


def page_time(page: str, role: str, evaluation_id: str, runs: int) -> float:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state[session.LOGIN] = LOGINS[role]
    at.session_state[session.EVALUATION] = evaluation_id
    at.run()
    at.switch_page(f"workbench/ui/views/{page}.py").run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
    return statistics.median(samples)


WORKBENCH = Path(sys.executable).with_name("workbench")


def command_time(args: list[str], runs: int) -> float:
    samples = []
    for n in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [str(WORKBENCH), *[a.format(n=n) for a in args]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        samples.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 1):
            raise SystemExit(f"workbench {' '.join(args)}: {done.stderr[-2000:]}")
    return statistics.median(samples)


def commands(url: str, draft: str, out: Path) -> dict[str, list[str]]:
    """Commands on the database (``{n}``: the run's number, for a fresh name each run)."""
    case = str(ROOT / "projects" / "yiyang-smart-brain-2018")
    return {
        "workbench cases": ["cases", "--database", url],
        "workbench export-case ID": ["export-case", draft, str(out / "export-{n}"), "--database", url],
        "workbench import-case (write one)": [
            "import-case",
            case,
            "--as",
            "scale-import-{n}",
            "--database",
            url,
        ],
        "workbench user list": ["user", "list", "--database", url],
    }


def measure(size: int, runs: int, folder: Path, skip: set[str]) -> dict[str, float]:
    folder.mkdir(exist_ok=True)
    url = f"sqlite:///{folder / f'scale-{size}.db'}"
    start = time.perf_counter()
    draft = fill(url, size)
    print(f"size {size}: built in {time.perf_counter() - start:.1f} s", flush=True)
    os.environ["WORKBENCH_DATABASE_URL"] = url
    figures = {}
    for label, page, role in PAGES:
        figures[f"page {label}"] = page_time(page, role, draft, runs)
    for label, args in commands(url, draft, folder).items():
        if label not in skip:
            figures[label] = command_time(args, runs)
    figures["copy_evaluation (service)"] = copy_time(url, runs)
    return figures


def copy_time(url: str, runs: int) -> float:
    """Copying the Yiyang evaluation as a new draft, in process (warm), median ms."""
    db = ensure_database(url)
    cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
        samples.append((time.perf_counter() - start) * 1000)
    db.dispose()
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,2400")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", default="", help="commands to leave out, comma-separated labels")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    os.environ.setdefault("WORKBENCH_SECRET_KEY", secrets.token_urlsafe(32))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_AUDIT_ANCHOR_DIR"] = str(Path(tmp) / "anchors")
        measure(sizes[0], 1, Path(tmp) / "warm", skip)  # imports, compiled pages, caches: not timed
        results = {size: measure(size, args.runs, Path(tmp), skip) for size in sizes}
    base = results[sizes[0]]
    print(
        f"\n{'median ms':32s}"
        + "".join(f"{f'{s} evals':>14s}" for s in sizes)
        + f"{'ratio':>9s}  (target <= {TARGET})"
    )
    for label in base:
        row = "".join(f"{results[s][label]:14.0f}" for s in sizes)
        ratio = results[sizes[-1]][label] / base[label]
        print(f"{label:32s}{row}{ratio:8.2f}×{'' if ratio <= TARGET else '  over'}")


if __name__ == "__main__":
    main()
