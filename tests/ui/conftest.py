"""The app under AppTest, on a real database file of its own per test module.

Each module gets a fresh SQLite file (``WORKBENCH_DATABASE_URL`` points the app at it), filled on
first start exactly as a user's first start fills it: the indicator systems, the grade bands and
the Yiyang case (stored 定稿).  Tests that edit work on a 草稿 copy of the Yiyang evaluation, as an
evaluator would (the review workflow locks a 定稿 evaluation).

Nothing opens without signing in.  ``signed_in(actor)`` gives the person an account the way the
系统管理员 would (``users.add_user``), lets them change the initial password as the app makes
them, signs them in with ``auth.login`` (once per module) and returns the ``LoginSession`` the
login page would have kept; ``open_page`` puts it into the tab's session (the login form itself
is tested in test_app_login.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from actors import PASSWORD, add_accounts
from screen import APP, TIMEOUT, VIEWS
from signin import OWN_PASSWORD, PAGE_USER
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from workbench.bootstrap import ensure_database
from workbench.services import auth, cases, users
from workbench.services.actors import Actor
from workbench.services.auth import LoginSession
from workbench.storage.uow import Database
from workbench.ui import backend, session

YIYANG = "yiyang-smart-brain-2018-eval"


def database_file_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'workbench.db'}"


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory, database_templates) -> Iterator[Database]:
    """A database file of this module's own, seeded (a copy of the session's template), with the
    app pointed at it."""
    url = database_file_url(tmp_path_factory.mktemp("app"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_DATABASE_URL", url)
        patch.setenv("WORKBENCH_SECRET_KEY", "ui-tests-login-cookie-key-0123456789-abcdefghijklmnopq")
        database_templates.copy(url, seed=True)
        db = ensure_database(url)
        yield db
        backend.forget_databases()
        db.dispose()


@pytest.fixture(scope="module")
def signed_in(app_db: Database) -> Callable[[Actor], LoginSession]:
    """``signed_in(actor)``: the actor's account (created on first use) signed in."""
    done: dict[str, LoginSession] = {}

    def login(actor: Actor) -> LoginSession:
        if actor.username not in done:
            add_accounts(app_db, actor)
            users.change_password(app_db.uow(), actor, PASSWORD, OWN_PASSWORD)
            done[actor.username] = auth.login(app_db.uow(), actor.username, OWN_PASSWORD)
        try:  # a session ended meanwhile (a restore ends them all): sign in again
            auth.check_session(app_db.uow(), done[actor.username])
        except auth.SessionEnded:
            done[actor.username] = auth.login(app_db.uow(), actor.username, OWN_PASSWORD)
        return done[actor.username]

    return login


@pytest.fixture
def draft(app_db: Database) -> str:
    """A 草稿 copy of the Yiyang evaluation (83.00, 良好) of this test's own, to edit."""
    return cases.copy_evaluation(app_db.uow(), PAGE_USER, YIYANG, f"draft-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def open_page(app_db: Database, signed_in: Callable[[Actor], LoginSession]) -> Callable[..., AppTest]:
    """``open_page("scoring", evaluation_id, as_=actor)``: the app run once by the signed-in
    actor (``PAGE_USER`` unless given) with the evaluation selected (the Yiyang case unless given;
    None: where the picker puts them — the evaluation they picked last), then switched to the page."""

    def opened(
        page: str | None = None, evaluation_id: str | None = YIYANG, *, as_: Actor = PAGE_USER
    ) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state[session.LOGIN] = signed_in(as_)
        if evaluation_id:
            at.session_state["evaluation_id"] = evaluation_id
        at.run()
        if page:
            at.switch_page(f"{VIEWS}/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return opened


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Callable[[object], bytes]:
    """The bytes a download button would hand to the browser: ``downloads(button)``.  A button
    whose file is made when it is pressed (``data`` a callable) is pressed: Streamlit's media
    manager runs the callable, as a server does on the click, and serves what it returned."""
    files: dict[str, bytes] = {}
    managers: dict[str, MediaFileManager] = {}
    keep = MemoryMediaFileStorage.load_and_get_id
    keep_deferred = MediaFileManager.add_deferred

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = keep(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
        return file_id

    def add_deferred(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = keep_deferred(self, *args, **kwargs)
        managers[file_id] = self
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)

    def content(button: object) -> bytes:
        proto = button.proto  # type: ignore[attr-defined]
        deferred = getattr(proto, "deferred_file_id", "")  # an image proto has only a url
        url = managers[deferred].execute_deferred(deferred) if deferred else proto.url
        match = re.search(r"/([0-9a-f]+)\.\w+$", url)
        assert match, url
        return files[match.group(1)]

    return content


RIVER = {"name": "河道整治项目", "year": 2025, "unit": {"name": "市水利局"}}


@pytest.fixture
def new_evaluation(app_db: Database) -> Callable[..., str]:
    """``new_evaluation(project=..., ledger=...)``: a new 草稿 evaluation of a project of its own
    (on the Yiyang system), as 新建评价 makes it; returns its id."""

    def make(project: dict | None = None, ledger: dict | None = None) -> str:
        return cases.new_evaluation(
            app_db.uow(),
            PAGE_USER,
            project or RIVER,
            "yiyang-2018",
            "excellent-good",
            ledger=ledger,
            evaluation_id=f"new-{uuid.uuid4().hex[:8]}",
        )

    return make
