"""Two app servers (``serve.py`` under ``streamlit run``, as scripts/run starts it) on one PostgreSQL
database, with one shared key and evidence in the database, as README 多台服务器部署 describes.

The servers start together on an empty database and open it at the same moment.  A browser signs
in on server A and goes on on server B; lockouts and ended sessions follow the account from one
server to the other.  Saves, version conflicts and audit appends are made through the services on
two handles of their own (each with its own caches, as each server has), because a browser is slow
at them.  When nginx is installed (scripts/test installs it), the sample deploy/nginx.conf is run
in front of both servers over HTTPS; without nginx that part is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from actors import AUDITOR, EVALUATOR, REVIEWER, SYSADMIN, YIYANG, YIYANG_PROJECT
from browser import CHROMIUM, OWN_PASSWORD, ROOT, _free_port, _wait_healthy, add_people, settled, sign_in
from playwright.sync_api import Browser, Page

from workbench.errors import Conflict, InvalidInput
from workbench.services import audit, auth, cookie_tickets, evaluations, review, users
from workbench.storage.uow import Database, open_database

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Chromium 未安装（/usr/bin/chromium）：跳过浏览器测试"
    ),
]
SHARED_KEY = "multiserver-shared-key-0123456789-abcdefghijklmnopqrstu"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
LOCKED = "账号已锁定"


@contextmanager
def app_server(name: str, url: str, folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """One app server as a machine of its own would run it: the shared key and database, evidence
    in the database, its own folder for the audit anchor."""
    port = _free_port()
    env = {
        **os.environ,
        "WORKBENCH_DATABASE_URL": url,
        "WORKBENCH_SECRET_KEY": SHARED_KEY,
        "WORKBENCH_EVIDENCE_BACKEND": "database",
        "WORKBENCH_AUDIT_ANCHOR_DIR": str(folder / "anchors"),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
    ]  # fmt: skip
    with (folder / f"{name}.log").open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}", server
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def first_requests(addresses: list[str]) -> list[int]:
    """The same request to every server at the same moment (each opens the database on it)."""
    start = threading.Barrier(len(addresses))

    def ask(address: str) -> int:
        start.wait()
        request = urllib.request.Request(f"{address}/_wb/set?n=unknown-ticket", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            with refused:  # its response is closed, not left to the garbage collector
                return refused.code

    with ThreadPoolExecutor(len(addresses)) as pool:
        return list(pool.map(ask, addresses))


@pytest.fixture(scope="module")
def cluster(postgres_server, tmp_path_factory) -> Iterator[dict]:
    """Servers A and B started together on a fresh, empty database; two service handles on it."""
    folder = tmp_path_factory.mktemp("multiserver")
    name = f"t_multi_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{postgres_server}/{name}"
    old_key = os.environ.get("WORKBENCH_SECRET_KEY")
    os.environ["WORKBENCH_SECRET_KEY"] = SHARED_KEY  # the in-process handles sign as the servers do
    with ExitStack() as stack:
        (a, server_a), (b, server_b) = (stack.enter_context(app_server(n, url, folder)) for n in "AB")
        _wait_healthy(a, server_a)
        _wait_healthy(b, server_b)
        opened = first_requests([a, b])
        handles = [open_database(url), open_database(url)]
        add_people(handles[0], EVALUATOR, REVIEWER, SYSADMIN, AUDITOR, projects=(YIYANG_PROJECT,))
        yield {"a": a, "b": b, "opened": opened, "db_a": handles[0], "db_b": handles[1], "folder": folder}
        for handle in handles:
            handle.dispose()
    if old_key is None:
        os.environ.pop("WORKBENCH_SECRET_KEY", None)
    else:
        os.environ["WORKBENCH_SECRET_KEY"] = old_key


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    yield context.new_page()
    context.close()


def open_app(page: Page, address: str) -> None:
    page.goto(address)
    page.get_by_role("button", name=re.compile("退出登录|登录")).first.wait_for()
    settled(page)


def signed_in(page: Page) -> bool:
    return page.get_by_role("button", name="退出登录").count() > 0


def try_sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    settled(page)


def test_servers_started_together_on_an_empty_database_both_open_it(cluster):
    # Each answers the unknown ticket with 403: it opened (migrated, filled) the database first.
    assert cluster["opened"] == [403, 403]
    with cluster["db_b"].uow() as uow:
        assert [e.evaluation.id for e in uow.evaluations.all()] == [YIYANG]  # filled once


def test_a_sign_in_on_one_server_is_valid_on_the_other_and_ending_it_there_signs_out_here(cluster, page):
    open_app(page, cluster["a"])
    sign_in(page, EVALUATOR.username)

    open_app(page, cluster["b"])  # the same browser, the other server: the login cookie goes along
    assert signed_in(page)

    users.set_active(cluster["db_a"].uow(), SYSADMIN, EVALUATOR.username, False)  # on server A's side
    users.set_active(cluster["db_a"].uow(), SYSADMIN, EVALUATOR.username, True)
    open_app(page, cluster["b"])
    assert not signed_in(page)
    page.get_by_role("heading", name="登录", exact=True).wait_for()


def test_a_cookie_ticket_issued_by_one_servers_page_is_traded_on_the_other_once(cluster):
    session_id = auth.login(cluster["db_a"].uow(), EVALUATOR.username, OWN_PASSWORD).session_id
    ticket = cookie_tickets.issue(cluster["db_a"].uow(), session_id)  # as server A's page does

    traded = set_cookie(cluster["b"], ticket)  # the browser's request went to server B
    again = set_cookie(cluster["a"], ticket)

    assert traded[0] == 204 and traded[1].startswith("workbench_login=") and "HttpOnly" in traded[1]
    assert again == (403, "")  # used once, on whichever server


def set_cookie(address: str, ticket: str) -> tuple[int, str]:
    request = urllib.request.Request(f"{address}/_wb/set?n={ticket}", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.headers.get("Set-Cookie") or ""


def test_failed_sign_ins_on_one_server_lock_the_account_on_the_other(cluster, page):
    for _ in range(4):  # as server A's sign-in form calls it (a browser takes seconds for each)
        with pytest.raises(InvalidInput):
            auth.login(cluster["db_a"].uow(), REVIEWER.username, "Wrong#password-1")
    open_app(page, cluster["a"])
    try_sign_in(page, REVIEWER.username, "Wrong#password-1")  # the fifth, in server A's browser page
    open_app(page, cluster["b"])

    try_sign_in(page, REVIEWER.username, OWN_PASSWORD)

    assert not signed_in(page)
    assert LOCKED in page.get_by_test_id("stAlert").first.inner_text()
    users.unlock(cluster["db_b"].uow(), SYSADMIN, REVIEWER.username)
    sign_in(page, REVIEWER.username)  # unlocked on B's side: the right password signs in again


def reopened(db: Database) -> None:
    version = evaluations.get_case(db.uow(), REVIEWER, YIYANG).versions.evaluation.version
    review.advance(
        db.uow(), REVIEWER, YIYANG, "workflow.reopen", reason="补充评分依据", expected_version=version
    )


def test_a_save_on_one_server_is_seen_on_the_other_and_a_save_from_the_same_version_is_refused(cluster):
    db_a, db_b = cluster["db_a"], cluster["db_b"]
    reopened(db_a)
    seen_by_a = evaluations.get_case(db_a.uow(), EVALUATOR, YIYANG)
    seen_by_b = evaluations.get_case(db_b.uow(), EVALUATOR, YIYANG)  # B has it cached now
    code = next(iter(seen_by_a.case.evaluation.scores))
    entry = seen_by_a.case.evaluation.scores[code].model_dump()
    version = seen_by_a.versions.of_score(code)
    assert seen_by_b.versions.of_score(code) == version

    evaluations.save_score(
        db_a.uow(), EVALUATOR, YIYANG, code, {**entry, "rationale": "服务器甲保存"}, version
    )

    now_on_b = evaluations.get_case(db_b.uow(), EVALUATOR, YIYANG)
    assert now_on_b.case.evaluation.scores[code].rationale == "服务器甲保存"
    with pytest.raises(Conflict, match="本次修改未保存") as refused:
        evaluations.save_score(
            db_b.uow(), EVALUATOR, YIYANG, code, {**entry, "rationale": "服务器乙保存"}, version
        )
    assert "服务器乙保存" not in str(refused.value)
    assert (
        evaluations.get_case(db_a.uow(), EVALUATOR, YIYANG).case.evaluation.scores[code].rationale
        == "服务器甲保存"
    )


def test_audit_records_written_from_both_servers_at_once_keep_one_valid_chain(cluster):
    db_a, db_b = cluster["db_a"], cluster["db_b"]

    def sign_ins(db: Database) -> None:
        for _ in range(5):
            users.list_users(db.uow(), SYSADMIN)  # a read between appends
            with pytest.raises(InvalidInput):  # a refused sign-in is audited
                auth.login(db.uow(), "nobody-here", "Wrong#password-1")

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(sign_ins, [db_a, db_b]))

    report = audit.verify_audit(db_b.uow(), AUDITOR)
    assert report.ok, report.message
    assert report.checked >= 10


# --- the sample nginx configuration in front of both servers -------------------------------------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")


def rendered_sample(cluster: dict, folder: Path, https: int, http: int) -> Path:
    """deploy/nginx.conf with this run's servers, ports and a self-signed certificate, inside the
    few lines of a main nginx.conf that Debian's /etc/nginx/nginx.conf would hold."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = NGINX_CONF.read_text()
    servers = iter(cluster[n].removeprefix("http://") for n in "ab")
    site = re.sub(r"server 127\.0\.0\.1:850\d;", lambda _: f"server {next(servers)};", site)
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};")
    site = site.replace("/etc/nginx/tls/fullchain.pem", str(cert)).replace(
        "/etc/nginx/tls/privkey.pem", str(key)
    )
    (folder / "workbench.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\nevents {{}}\n"
        + f"http {{\naccess_log {folder / 'access.log'};\n{temp}include {folder / 'workbench.conf'};\n}}\n"
    )
    return main


def wait_for_proxy(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    """Until the app's health check answers through the proxy (its certificate is self-signed)."""
    unchecked = ssl.create_default_context()
    unchecked.check_hostname, unchecked.verify_mode = False, ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"nginx exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=unchecked) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nginx did not answer on {url} within {timeout} s")


@pytest.fixture(scope="module")
def proxy(cluster) -> Iterator[str]:
    if NGINX is None or OPENSSL is None:
        pytest.skip("nginx 或 openssl 未安装（scripts/test 在有 apt 的机器上会安装 nginx）：跳过反向代理部分")
    folder = cluster["folder"] / "nginx"
    folder.mkdir()
    https, http = _free_port(), _free_port()
    main = rendered_sample(cluster, folder, https, http)
    server = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log")])
    try:
        wait_for_proxy(f"https://127.0.0.1:{https}", server)
        yield f"https://127.0.0.1:{https}", f"http://127.0.0.1:{http}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_through_the_sample_nginx_over_https_sign_in_holds_a_secure_cookie_and_survives_a_reload(
    proxy, chromium
):
    https, _ = proxy
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, ignore_https_errors=True)
    page = context.new_page()
    open_app(page, https)  # the page's WebSocket goes through the proxy
    sign_in(page, EVALUATOR.username)

    cookie = next(c for c in context.cookies() if c["name"] == "workbench_login")
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    open_app(page, https)
    assert signed_in(page)
    context.close()


def test_the_sample_nginx_sends_plain_http_to_https_and_takes_uploads_as_large_as_streamlit_does(proxy):
    _, http = proxy
    request = urllib.request.Request(f"{http}/", method="GET")
    opener = urllib.request.build_opener(NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=10)
    with moved.value as answer:
        assert answer.code == 301 and answer.headers["Location"].startswith("https://")
    from streamlit import config

    limit = re.search(r"client_max_body_size (\d+)m;", NGINX_CONF.read_text())
    assert limit and int(limit.group(1)) == config.get_option("server.maxUploadSize")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
