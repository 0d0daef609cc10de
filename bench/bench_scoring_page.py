"""How long the server takes to rerun the 评分 page after one edit, against Streamlit's own floor.

Run by hand:  .venv/bin/python bench/bench_scoring_page.py [--runs 100] [--database URL | --postgres]

``--postgres`` starts a throwaway PostgreSQL server for the run (bench/pg_server.py, as the tests
start theirs) and stops it afterwards; the default is a fresh SQLite file.

Three AppTest apps in one process, each rerun many times (median and p90, milliseconds):
- page:    the real app (streamlit_app.py) on the 评分 page; every rerun is one edit — a deduction's
           points change and 保存评分 is clicked, so the rerun saves through the service, loads the
           evaluation, scores it and draws it (sidebar picker included).
- floor:   the same navigation, sidebar picker and 评分 drawing (same widgets, same plotly figures
           built by the same code) from values loaded once before timing: no loading, no scoring, no
           saving, no database.  What Streamlit (and the drawing code) costs by itself.  Timed twice:
           rerun as it is, and rerun after the same edit (same points typed, same 保存评分 click, same
           form reset and message) whose save is answered from the precomputed evaluation — so the
           edit's own cost in Streamlit is in the floor too, and only saving is not.
- trivial: a one-line page (``st.write``), the cost of a rerun with nothing on it.
Cases: a 草稿 copy of the Yiyang evaluation (24 leaves) and a synthetic 120-indicator evaluation.
Target: page ≤ 1.5 × floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from pg_server import throwaway_postgres  # noqa: E402
from storage_load import add_synthetic  # noqa: E402
from storage_load import timed as storage_timed  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

from workbench.bootstrap import ensure_database  # noqa: E402
from workbench.services import admin, auth, cases, choices, cookie_tickets, evaluations, evidence, users  # noqa: E402
from workbench.services.actors import SYSTEM, Actor  # noqa: E402
from workbench.ui import score_form, session  # noqa: E402

TARGET = 1.5
# A Streamlit server compiles each page file once: its ScriptCache lives as long as the app
# (runtime.Runtime makes one and hands it to every session's PagesManager).  AppTest makes a new
# one for every run — for the main script in local_script_runner and, for the page file that
# st.navigation runs, in app_test — which would charge the real app (whose pages are files)
# ~1 ms a run for recompiling scoring.py that a server never pays, and the floor (which imports
# its drawing code) nothing.  One cache shared by every run puts both on a server's terms.
SERVER_SCRIPT_CACHE = ScriptCache()
local_script_runner.ScriptCache = lambda: SERVER_SCRIPT_CACHE  # type: ignore[assignment,misc]
app_test.ScriptCache = lambda: SERVER_SCRIPT_CACHE  # type: ignore[assignment,misc]
EVALUATOR = Actor("bench", "计时评价员", "评价人员")  # the page is timed signed in, as people use it
PASSWORD = "Wb#2024-timing"
LOGIN: list[auth.LoginSession] = []
YIYANG = "yiyang-smart-brain-2018-eval"
# The floor app reads its precomputed values from a module registered before it runs.
FLOOR_SCRIPT = """
import time
import streamlit as st
import bench_floor_values as values
from workbench.ui import gate, login_cookie, navigation, session, widgets
from workbench.ui.views.scoring import draw

st.set_page_config(page_title="财政绩效评价工作台", page_icon="📊", layout="wide")
session.init_state()
st.session_state[session.PERMISSIONS] = values.PERMISSIONS
st.session_state[session.LOGIN] = values.LOGIN  # who clicks 保存评分 (no session check: see below)
st.session_state[session.CHECKED_AT] = time.monotonic()
st.navigation(navigation.pages(values.PERMISSIONS))
widgets.evaluation_picker(values.CHOICES)
login_cookie.send(values.TICKET)  # the page draws its cookie ticket too
gate.account_sidebar(values.LOGIN)
widgets.case_caption(values.STORED.scorecard, values.STORED.case.evaluation.status)
draw(values.STORED, values.EVIDENCE)
"""
TRIVIAL_SCRIPT = "import streamlit as st\nst.write('评分')\n"


Trial = tuple[Callable[[], AppTest], Callable[[], object]]  # (the timed rerun, what sets it up)


def timed(runs: int, *trials: Trial) -> list[tuple[float, float]]:
    """Median and p90 (ms) of each trial's rerun.  The trials take turns, one rerun each, so a
    slow spell of the machine (a shared VM's neighbours) hits the floor and the page alike.  Only
    the rerun is timed: its ``before`` sets it up, and the result is checked after the clock stops."""
    samples: list[list[float]] = [[] for _ in trials]
    for n in range(runs + 5):  # the first five warm up: imports, compiled page code, figures
        for (rerun, before), times in zip(trials, samples, strict=True):
            before()
            start = time.perf_counter()
            at = rerun()
            elapsed = (time.perf_counter() - start) * 1000
            checked(at)
            if n >= 5:
                times.append(elapsed)
    return [(statistics.median(t), sorted(t)[int(len(t) * 0.9) - 1]) for t in samples]


def nothing() -> None:
    """No set-up: a plain rerun."""


def checked(at: AppTest) -> AppTest:
    if at.exception or at.error:
        problems = [e.value for e in (*at.exception, *at.error)]
        raise SystemExit(f"the page failed: {problems}")
    return at


def scoring_page(evaluation_id: str, code: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state[session.LOGIN] = LOGIN[0]
    at.session_state["evaluation_id"] = evaluation_id
    at.run()
    at.switch_page("workbench/ui/views/scoring.py").run()
    return checked(at.selectbox(key=f"score_code:{evaluation_id}").set_value(code).run())


def edit(at: AppTest, evaluation_id: str, code: str) -> Callable[[], None]:
    """Before each timed rerun: change the first deduction's points and press 保存评分."""
    prefix = f"score:{evaluation_id}:{code}"
    points = iter(["1", "0.5"] * 10_000)
    edited = [False]

    def before() -> None:
        if edited[0]:  # the rerun before saved an edit: the page must say so
            assert at.success, "the edit was not saved"
        edited[0] = True
        at.text_input(key=f"{prefix}:d0:points").set_value(next(points))
        at.button(key=f"FormSubmitter:{prefix}:form-保存评分").click()

    return before


def floor_app(db, evaluation_id: str, code: str) -> AppTest:
    values = types.ModuleType("bench_floor_values")
    values.CHOICES = choices.evaluation_choices(db.uow(), SYSTEM)
    values.STORED = evaluations.get_case(db.uow(), SYSTEM, evaluation_id)
    _ = values.STORED.scorecard  # scored once, before timing
    values.LOGIN = LOGIN[0]
    values.TICKET = cookie_tickets.issue(db.uow(), LOGIN[0].session_id)
    values.PERMISSIONS = admin.my_permissions(db.uow(), LOGIN[0].actor)
    values.EVIDENCE = evidence.list_evidence(db.uow(), LOGIN[0].actor, evaluation_id)
    sys.modules[values.__name__] = values
    at = AppTest.from_string(FLOOR_SCRIPT, default_timeout=60)
    at.session_state["evaluation_id"] = evaluation_id
    at.session_state[f"score_code:{evaluation_id}"] = code
    return checked(at.run())


class StaticSaves:
    """While the floor is timed after an edit, 保存评分 is answered with the precomputed
    evaluation (no database, no scoring) through the same callback and form reset; the page's
    turn puts the real service back.  ``floor`` and ``page`` wrap each one's set-up."""

    def __init__(self, stored: object):
        self.real = score_form.evaluations
        self.static = types.SimpleNamespace(save_score_and_open=lambda *args, **kwargs: stored)

    def floor(self, before: Callable[[], None]) -> Callable[[], None]:
        def static_then_before() -> None:
            score_form.evaluations = self.static
            before()

        return static_then_before

    def page(self, before: Callable[[], None]) -> Callable[[], None]:
        def real_then_before() -> None:
            score_form.evaluations = self.real
            before()

        return real_then_before


def sign_in(db) -> auth.LoginSession:
    """An evaluator's account, its initial password changed, signed in."""
    users.add_user(
        db.uow(),
        Actor("cli:bench", "命令行", "系统"),
        EVALUATOR.username,
        EVALUATOR.display_name,
        EVALUATOR.role,
        PASSWORD,
    )
    users.change_password(db.uow(), EVALUATOR, PASSWORD, PASSWORD + "2")
    return auth.login(db.uow(), EVALUATOR.username, PASSWORD + "2")


def service_times(db, evaluation_id: str, code: str, runs: int) -> dict[str, float]:
    """The services a rerun calls, timed alone (no Streamlit), median in ms."""
    stored = evaluations.get_case(db.uow(), EVALUATOR, evaluation_id)
    entry = stored.case.evaluation.scores[code]
    version = [stored.versions.of_score(code)]

    def save() -> None:
        opened = evaluations.save_score_and_open(db.uow(), EVALUATOR, evaluation_id, code, entry, version[0])
        version[0] = opened.versions.of_score(code)

    def median(action: Callable[[], object]) -> float:
        return storage_timed(action, runs)[0]

    return {
        "evaluation_choices (the picker)": median(lambda: choices.evaluation_choices(db.uow(), EVALUATOR)),
        "get_case + scorecard (a rerun)": median(
            lambda: evaluations.get_case(db.uow(), EVALUATOR, evaluation_id).scorecard
        ),
        "save_score_and_open (an edit)": median(save),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL server")
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    if args.postgres:
        with throwaway_postgres() as url:
            bench(url, args.runs)
    else:
        bench(args.database or f"sqlite:///{tempfile.mkdtemp(prefix='wb-bench-')}/bench.db", args.runs)


def bench(url: str, runs: int) -> None:
    os.environ["WORKBENCH_DATABASE_URL"] = url
    db = ensure_database(url)
    LOGIN.append(sign_in(db))
    synthetic = add_synthetic(db)
    # The stored Yiyang evaluation is 定稿 (locked by the review workflow): edit a 草稿 copy of it.
    yiyang = cases.copy_evaluation(db.uow(), SYSTEM, YIYANG)
    # The app starts first, as a server would before anyone measures anything: its first runs
    # load every module the pages use, so no timing below pays for an import.
    pages = {eid: scoring_page(eid, code) for eid, code in ((yiyang, "A22"), (synthetic, "S000"))}
    trivial = AppTest.from_string(TRIVIAL_SCRIPT)
    [(one_line, _)] = timed(runs, (trivial.run, nothing))
    print(f"database: {db.backend}  runs: {runs}  (median / p90, ms; floor and page take turns)")
    print(f"trivial one-line page: {one_line:7.2f}")
    for label, eid, code in (
        ("Yiyang (24 leaves)", yiyang, "A22"),
        ("synthetic (120 leaves)", synthetic, "S000"),
    ):
        floor_at, page_at = floor_app(db, eid, code), pages[eid]
        (floor, floor90), (plain, plain90) = timed(runs, (floor_at.run, nothing), (page_at.run, nothing))
        saves = StaticSaves(sys.modules["bench_floor_values"].STORED)
        (floor_edit, floor_edit90), (page, page90) = timed(
            runs,
            (floor_at.run, saves.floor(edit(floor_at, eid, code))),
            (page_at.run, saves.page(edit(page_at, eid, code))),
        )
        verdict = "ok" if page <= TARGET * floor_edit else f"over the {TARGET}× target"
        print(label)
        print(
            f"  floor (same drawing, static values)   {floor:7.2f} / {floor90:7.2f}   = {floor / one_line:4.1f}× trivial"
        )
        print(f"  floor after the same edit (no save)   {floor_edit:7.2f} / {floor_edit90:7.2f}")
        print(
            f"  评分 page rerun, no edit              {plain:7.2f} / {plain90:7.2f}   = {plain / floor:4.2f}× floor"
        )
        print(
            f"  评分 page rerun after one saved edit  {page:7.2f} / {page90:7.2f}   = {page / floor_edit:4.2f}× edit floor ({verdict})"
        )
        for name, ms in service_times(db, eid, code, runs).items():
            print(f"    service alone: {name:<34} {ms:6.2f}")
    db.engine.dispose()


if __name__ == "__main__":
    main()
