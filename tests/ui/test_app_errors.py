"""Errors end in one Chinese message on the page, never a traceback, and lose nothing saved."""

from __future__ import annotations

import errno
import re

import pytest
from screen import APP, TIMEOUT, metric, texts
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from workbench.errors import DISK_FULL, READ_ONLY
from workbench.services import evaluations


def failing_with(exc: BaseException):
    def broken(*args, **kwargs):
        raise exc

    return broken


def test_an_unexpected_failure_shows_one_chinese_line_with_an_error_id_the_log_also_has(
    open_page, monkeypatch, caplog
):
    monkeypatch.setattr(evaluations, "get_case", failing_with(RuntimeError("bug at page 4711")))
    at = open_page("overview")

    [message] = texts(at.error)
    assert not at.exception
    assert "程序遇到意外错误" in message and "4711" not in message
    error_id = re.search(r"错误编号 ([0-9a-f]{8})", message).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and "bug at page 4711" in str(logged[0].exc_info[1])


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (OperationalError("UPDATE ...", {}, Exception("attempt to write a readonly database")), READ_ONLY),
    ],
    ids=["disk-full", "read-only-database"],
)
def test_a_full_disk_or_a_read_only_database_is_named_as_such(open_page, monkeypatch, failure, expected):
    monkeypatch.setattr(evaluations, "get_case", failing_with(failure))
    at = open_page("overview")

    assert texts(at.error) == [expected]
    assert not at.exception


def test_the_app_recovers_once_the_failure_is_gone(open_page):
    at = open_page("overview")
    assert metric(at, "总投资") == "14,680.00 万元"


def test_a_file_that_is_not_a_database_is_reported_in_chinese(tmp_path, monkeypatch):
    bad = tmp_path / "workbench.db"
    bad.write_text("这不是数据库文件")
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{bad}")

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()

    assert not at.exception
    message = " ".join(texts(at.error))
    assert "无法打开数据库" in message and "文件损坏，或不是本系统的数据库" in message
    assert bad.read_text() == "这不是数据库文件"
