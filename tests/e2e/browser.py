"""The app served by ``streamlit run`` on a database file of its own, Debian's Chromium driven by
Playwright, and the steps every browser test takes (sign in, wait for a rerun to settle)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from workbench.bootstrap import ensure_database
from workbench.services import users
from workbench.services.actors import Actor
from workbench.storage.uow import Database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_MS = 30_000  # the longest wait for one step (the report takes about a second)
SECRET = "browser-tests-login-cookie-key-0123456789-ABCDEFGHIJK"
KEY_ENV = "WORKBENCH_SECRET_KEY"
CLI = Actor("cli:tests", "命令行", "系统")
FIRST_PASSWORD = "Wb#2024-first"  # set by the administrator
OWN_PASSWORD = "Wb#2024-mine!"  # what the person changed it to


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout} s")


def add_people(db: Database, *people: Actor, projects: tuple[str, ...] = ()) -> None:
    """Accounts as the 系统管理员 adds them, each password already changed by its owner."""
    for person in people:
        own = projects if person.role == "项目单位" else ()
        users.add_user(
            db.uow(), CLI, person.username, person.display_name, person.role, FIRST_PASSWORD, projects=own
        )
        users.change_password(db.uow(), person, FIRST_PASSWORD, OWN_PASSWORD)


@contextmanager
def served(folder: Path, arrange: Callable[[Database], None]) -> Iterator[str]:
    """``streamlit run`` on a free port over a fresh database that ``arrange`` prepared."""
    url = f"sqlite:///{folder / 'workbench.db'}"
    db = ensure_database(url)
    arrange(db)
    db.dispose()
    port = _free_port()
    # The key the database was arranged under: a server with another one refuses to open it.
    env = {
        **os.environ,
        "WORKBENCH_DATABASE_URL": url,
        "WORKBENCH_SECRET_KEY": os.environ.get(KEY_ENV) or SECRET,
    }
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
    ]  # fmt: skip
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(address, server)
        yield address
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def settled(page: Page) -> None:
    """Wait until the app's rerun is over: no running indicator, no element left from the last run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')"
    )


def sign_in(page: Page, username: str, password: str = OWN_PASSWORD) -> None:
    """Fill the 登录 form and wait for the first page of the app."""
    page.get_by_role("heading", name="登录", exact=True).wait_for()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for()
    settled(page)


def menu(page: Page) -> list[str]:
    """The page titles in the sidebar menu."""
    nav = page.get_by_test_id("stSidebarNav")
    return [t.strip().splitlines()[-1] for t in nav.get_by_role("link").all_inner_texts()]  # after the icon


def choose(page: Page, label: str, option: re.Pattern[str]) -> None:
    """Pick an option of a selectbox (its list can close while the page is still settling)."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox")
    for _ in range(3):
        box.click()
        choice = page.get_by_role("option", name=option)
        try:
            choice.wait_for(timeout=3000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        choice.click()
        return
    raise AssertionError(f"the list of {label} did not open")
