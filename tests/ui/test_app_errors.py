"""Errors end in one Chinese message on the page, never a traceback, and lose nothing saved."""

from __future__ import annotations

from screen import APP, TIMEOUT, metric, texts
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations
from workbench.ui.backend import UNEXPECTED


def test_an_unexpected_failure_shows_one_chinese_line_and_no_traceback(open_page, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk I/O error at page 4711")

    monkeypatch.setattr(evaluations, "get_case", broken)
    at = open_page()

    assert texts(at.error) == [UNEXPECTED]
    assert not at.exception
    assert "4711" not in " ".join(texts(at.error))


def test_the_app_recovers_once_the_failure_is_gone(open_page):
    at = open_page()
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
