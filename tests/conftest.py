"""Shared fixtures: paths to the reference case, and a throwaway PostgreSQL server.

The PostgreSQL server is real: ``initdb`` + ``pg_ctl`` from the machine's PostgreSQL binaries
start a cluster in a temporary folder for the test session (as the ``postgres`` user when the
tests run as root, since PostgreSQL refuses to run as root).  ``WORKBENCH_TEST_POSTGRES_URL``
points the tests at an existing server instead.  Without either, PostgreSQL tests are skipped
with the reason shown.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
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
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the throwaway server, for one test."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{postgres_server}/{name}"


@pytest.fixture(scope="session", autouse=True)
def audit_anchor_folder(tmp_path_factory) -> Iterator[Path]:
    """The audit chain's anchors (one small file per database) in a folder of the test session,
    not in the checkout's data/ folder."""
    folder = tmp_path_factory.mktemp("audit-anchors")
    old = os.environ.get("WORKBENCH_AUDIT_ANCHOR_DIR")
    os.environ["WORKBENCH_AUDIT_ANCHOR_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("WORKBENCH_AUDIT_ANCHOR_DIR", None)
    else:
        os.environ["WORKBENCH_AUDIT_ANCHOR_DIR"] = old
