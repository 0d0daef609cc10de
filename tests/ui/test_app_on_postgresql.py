"""The app on PostgreSQL (WORKBENCH_DATABASE_URL pointing at the real test server): first start,
an edit that changes total and grade and survives a restart, and a report from the page."""

from __future__ import annotations

import io
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from docx import Document
from screen import button, metric

from workbench.bootstrap import ensure_database
from workbench.storage.uow import Database
from workbench.ui import backend, gate, session

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def app_db(postgres_server: str) -> Iterator[Database]:
    """Overrides the SQLite database of tests/ui/conftest.py: a fresh PostgreSQL database."""
    name = f"ui_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{postgres_server}/{name}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_DATABASE_URL", url)
        db = ensure_database(url)
        yield db
        backend.forget_databases()
        db.dispose()


def test_first_start_on_postgresql_opens_the_yiyang_case(open_page):
    at = open_page("scoring")

    assert at.sidebar.selectbox(key="evaluation_picker").value == "yiyang-smart-brain-2018-eval"
    assert metric(at, "总分") == "83.00 / 100.00"


def test_an_edit_on_postgresql_changes_total_and_grade_and_survives_a_restart(open_page, draft):
    at = open_page("scoring", draft)
    at.selectbox(key=f"score_code:{draft}").set_value("A11").run()
    at.text_area(key=f"score:{draft}:A11:d0:reason").set_value("立项依据不充分")
    at.text_input(key=f"score:{draft}:A11:d0:points").set_value("4")
    at = at.button(key=f"FormSubmitter:score:{draft}:A11:form-保存评分").click().run()
    assert (metric(at, "总分"), metric(at, "等级")) == ("79.00 / 100.00", "合格")

    backend.forget_databases()
    again = open_page("scoring", draft)
    assert (metric(again, "总分"), metric(again, "等级")) == ("79.00 / 100.00", "合格")


def test_a_report_generated_on_postgresql_opens_in_word(open_page, draft, downloads):
    at = button(open_page("report", draft), "生成报告").click().run()

    docx = next(b for b in at.get("download_button") if b.label == "下载 Word 报告（.docx）")
    text = "\n".join(p.text for p in Document(io.BytesIO(downloads(docx))).paragraphs)
    assert "得分83分，被评为“良好”等级" in text


# What one rerun of the 评分 page after a saved edit may cost the database: the save in one write
# transaction, everything the page then reads in one more.  Before the page run shared one
# session it took 4 transactions and 17 statements (25 round trips on PostgreSQL, each felt).
TRANSACTIONS_PER_EDIT = 2
STATEMENTS_PER_EDIT = 9


def test_a_saved_edit_costs_one_write_and_one_read_transaction_and_at_most_nine_statements(open_page, draft):
    at = open_page("scoring", draft)
    at = at.selectbox(key=f"score_code:{draft}").set_value("A11").run()
    ticket, _issued = at.session_state[gate.TOKEN]
    at.session_state[gate.TOKEN] = (ticket, datetime.now(UTC))  # no cookie refresh due on this run
    at.session_state[session.CHECKED_AT] = time.monotonic()  # the click comes right after the last run
    at.text_area(key=f"score:{draft}:A11:d0:reason").set_value("立项依据不充分")
    at.text_input(key=f"score:{draft}:A11:d0:points").set_value("4")
    counted: Counter[str] = Counter()

    def statement(*_args: object) -> None:
        counted["statements"] += 1

    def transaction(*_args: object) -> None:
        counted["transactions"] += 1

    engine = backend.server_database().engine
    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(engine, "begin", transaction)
    try:
        at = at.button(key=f"FormSubmitter:score:{draft}:A11:form-保存评分").click().run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(engine, "begin", transaction)

    assert (metric(at, "总分"), metric(at, "等级")) == ("79.00 / 100.00", "合格")
    assert counted["transactions"] <= TRANSACTIONS_PER_EDIT, counted
    assert counted["statements"] <= STATEMENTS_PER_EDIT, counted
