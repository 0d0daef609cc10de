"""Shared fixtures: paths to the reference case, and a throwaway PostgreSQL server; the test run
leaves the checkout as it found it.

The PostgreSQL server is real: ``initdb`` + ``pg_ctl`` from the machine's PostgreSQL binaries
start a cluster in a temporary folder for the test session (as the ``postgres`` user when the
tests run as root, since PostgreSQL refuses to run as root).  ``WORKBENCH_TEST_POSTGRES_URL``
points the tests at an existing server instead.  Without either, PostgreSQL tests are skipped
with the reason shown.

A run writes nothing into the checkout: the server key comes from the environment (set for the
session, also seen by the command-line subprocesses), audit anchors go to a session folder, and
after the run ``git status`` (untracked and ignored files included, the virtualenv and tool caches
left out) must read as it did before; otherwise the run fails and names the files.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
YIYANG = ROOT / "projects" / "yiyang-smart-brain-2018"
INDICATORS = ROOT / "indicators"


@pytest.fixture(scope="session")
def yiyang_dir() -> Path:
    return YIYANG


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *cmd] if runuser else ["su", "postgres", "-c", " ".join(cmd)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL (without database name) of a running PostgreSQL server."""
    url = os.environ.get("WORKBENCH_TEST_POSTGRES_URL")
    if url:
        yield url.rstrip("/")
        return
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL 未安装（找不到 initdb）：跳过 PostgreSQL 测试；scripts/test 在有 apt 的机器上会自动安装"
        )
    base = Path(tempfile.mkdtemp(prefix="wb-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    port = _free_port()
    run = lambda cmd: subprocess.run(_as_postgres(cmd), check=True, capture_output=True, text=True)  # noqa: E731
    run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "app", "-E", "UTF8", "--no-sync"])
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    run([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"])
    try:
        yield f"postgresql+psycopg://app@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        # Hundreds of test databases make a folder of gigabytes: removed by a process of its own, so
        # the last test of each worker does not wait for it (about 10 s at the end of a run).
        subprocess.run(["sh", "-c", 'rm -rf -- "$0" &', str(base)], check=False)


@pytest.fixture
def postgres_url(postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, empty database on the throwaway server, for one test; its evidence folder (the
    folder store's default for a database that is not a SQLite file is data/evidence in the
    checkout) in the test's tmp_path."""
    import sqlalchemy as sa

    monkeypatch.setenv("WORKBENCH_EVIDENCE_DIR", str(tmp_path / "evidence"))

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{postgres_server}/{name}"


class DatabaseTemplates:
    """Fresh databases as ``ensure_database`` leaves them (migrated; ``seed``: the shipped systems,
    bands and the Yiyang case), made by copying a template rather than running the 28 migrations
    and the seeding for every test (about a second each on this machine).

    A template is made once per test process, backend, seeding and server key — by
    ``ensure_database`` itself — and copied: a SQLite file by a file copy, a PostgreSQL database
    by ``CREATE DATABASE ... TEMPLATE``.  The template's audit anchor is copied along (the anchor
    is kept by URL outside the database), so the copy's chain verifies as the original's does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[str, bool, str], str] = {}
        self.copied: set[str] = set()

    def copy(self, url: str, *, seed: bool) -> None:
        """Make the (not yet existing, or empty PostgreSQL) database at ``url`` a copy of the template."""
        from workbench.storage import audit_anchor

        if url in self.copied:
            return  # two fixtures of one test asked for it (the command line's and the test's own)
        self.copied.add(url)
        base, name = url.rsplit("/", 1)
        template = self._template(base, seed)
        if url.startswith("sqlite:///"):
            if Path(url.removeprefix("sqlite:///")).exists():
                return  # the test made it already: ensure_database takes it as it is
            shutil.copyfile(template.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        else:
            source = template.rsplit("/", 1)[1]
            self._admin(
                base, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{source}"'
            )
        anchor = audit_anchor.read(template)
        if anchor is not None:
            audit_anchor.write(url, anchor)

    def _template(self, base: str, seed: bool) -> str:
        """The template for databases under ``base`` (``sqlite://`` or a PostgreSQL server's URL)."""
        from workbench.bootstrap import ensure_database

        sqlite = base.startswith("sqlite:")
        key = ("sqlite" if sqlite else base, seed, os.environ.get("WORKBENCH_SECRET_KEY", ""))
        if key not in self.made:
            name = f"template_{'seeded' if seed else 'empty'}_{uuid.uuid4().hex[:8]}"
            if sqlite:
                url = f"sqlite:///{self.folder / f'{name}.db'}"
            else:
                url = f"{base}/{name}"
                self._admin(base, f'CREATE DATABASE "{name}"')
            ensure_database(url, seed=seed).dispose()
            self.made[key] = url
        return self.made[key]

    @staticmethod
    def _admin(base: str, *statements: str) -> None:
        import sqlalchemy as sa

        admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
        admin.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory) -> DatabaseTemplates:
    return DatabaseTemplates(tmp_path_factory.mktemp("templates"))


@contextmanager
def environment_variable(name: str, value: str) -> Iterator[None]:
    """``name`` set to ``value`` for the block, then as it was."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@pytest.fixture(scope="session", autouse=True)
def audit_anchor_folder(tmp_path_factory) -> Iterator[Path]:
    """The audit chain's anchors (one small file per database) in a folder of the test session,
    not in the checkout's data/ folder."""
    folder = tmp_path_factory.mktemp("audit-anchors")
    with environment_variable("WORKBENCH_AUDIT_ANCHOR_DIR", str(folder)):
        yield folder


@pytest.fixture(scope="session", autouse=True)
def chart_cache_folder(tmp_path_factory) -> Iterator[Path]:
    """The report's chart pictures (reports.chart_cache) kept in a folder of the test session,
    not in the user's cache folder."""
    folder = tmp_path_factory.mktemp("cache")
    with environment_variable("WORKBENCH_CACHE_DIR", str(folder)):
        yield folder


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[Callable[[], object]]:
    """argon2id at its smallest cost for the accounts the tests make and sign in in this process
    (the server's parameters cost 0.1–0.5 s a hash on this machine, and a page test signs in a few
    people: a third of some modules' time).  Hashing, verifying, salting and upgrading a weaker hash
    at sign-in work as before; the app servers, commands and benches the tests start as processes
    of their own hash as a server does, and test_security_blocks.py checks the server's parameters
    on the original, yielded here."""
    from workbench.security import passwords

    server_hasher = passwords._hasher

    @functools.cache
    def cheap() -> object:
        from argon2 import PasswordHasher

        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", cheap)
        yield server_hasher


SESSION_SECRET_KEY = "test-session-server-key-0123456789-abcdefghijklmnopqrstuvwxyz"
LEFT_ALONE = (
    ".venv/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".mypy_cache/",
    ".hypothesis/",
    "workbench.egg-info/",
)


@pytest.fixture(scope="session", autouse=True)
def server_key_from_the_environment() -> Iterator[str]:
    """The server key for the session, so nothing makes data/secret.key in the checkout (tests of
    the key file pass their own path)."""
    with environment_variable("WORKBENCH_SECRET_KEY", SESSION_SECRET_KEY):
        yield SESSION_SECRET_KEY


def checkout_state() -> set[str] | None:
    """``git status`` lines of the checkout (ignored files too), or None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--ignored"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    lines = {line for line in done.stdout.splitlines() if line.strip()}
    return {line for line in lines if not line[3:].startswith(LEFT_ALONE) and "__pycache__" not in line}


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_CHECKOUT] = checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_CHECKOUT, None)
    after = checkout_state()
    if before is None or after is None or after == before:
        return
    changed = sorted(after ^ before)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")
        reporter.write_line("The test run changed the checkout (git status --ignored):", red=True)
        for line in changed:
            reporter.write_line(f"  {line}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


_CHECKOUT = pytest.StashKey[set[str] | None]()
