"""待办 with more than a page of to-dos: 20 drawn at a time with the count of all, 下一页 shows the
rest in the order of the whole list, and each still opens its evaluation in one click.  The
database is filled as the scale bench fills it (bench/scale_data.py), a few dozen rows in bulk."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from actors import REVIEWER
from screen import APP, TIMEOUT, shown, texts
from streamlit.testing.v1 import AppTest

from workbench.services import worklist
from workbench.ui import session

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scale_data.py"


@pytest.fixture(scope="module")
def waiting(app_db) -> list[worklist.TodoItem]:
    """66 projects of one year: 11 evaluations 已提交 and 11 已复核 (22 to-dos of the 复核人), in
    the order 待办 lists them."""
    spec = importlib.util.spec_from_file_location("scale_data", BENCH)
    assert spec and spec.loader
    scale_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale_data)
    scale_data.build(app_db, 66, 1, 0, 0)
    return worklist.todo(app_db.uow(), REVIEWER)


def drawn(at: AppTest) -> list[str]:
    """The to-dos' lines as drawn (the list is one choice widget, one option per to-do)."""
    return next(r for r in at.radio if str(r.key or "").startswith("todo:")).options


def lines(items: list[worklist.TodoItem], start: int = 0) -> list[tuple[str, str]]:
    """What each line must show: its number in the whole list, and the evaluation's name."""
    return [(f"{n}\\. ", item.evaluation) for n, item in enumerate(items, start=start + 1)]


def test_twenty_to_dos_are_drawn_with_the_count_and_the_next_page_continues_the_order(
    app_db, signed_in, waiting
):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[session.LOGIN] = signed_in(REVIEWER)
    at.run()

    assert texts(at.title) == ["待办"] and len(waiting) == 22
    assert len({item.evaluation for item in waiting}) == 22  # the lines tell them apart
    assert "共 22 项待办" in shown(at) and "第 1–20 项，共 22 项" in shown(at)
    assert [
        (o[: len(n)], name in o) for o, (n, name) in zip(drawn(at), lines(waiting[:20]), strict=True)
    ] == [(n, True) for n, _ in lines(waiting[:20])]
    at.button(key="todo_list_next").click().run()
    assert [
        (o[: len(n)], name in o) for o, (n, name) in zip(drawn(at), lines(waiting[20:], 20), strict=True)
    ] == [(n, True) for n, _ in lines(waiting[20:], 20)]
    assert "第 21–22 项，共 22 项" in shown(at)

    radio = next(r for r in at.radio if str(r.key or "").startswith("todo:"))
    at = radio.set_value(21).run()
    assert texts(at.title) == ["报告"] and at.session_state[session.EVALUATION] == waiting[21].evaluation_id
