"""A bureau's many evaluations in the sidebar picker: it offers one page of at most 50 at a time
with 上一页/下一页, a search box narrows them by name, project or year, and the evaluation being
worked on stays selected (and on offer) whatever page or search is showing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from screen import texts

from workbench.services import choices
from workbench.ui import picker, session

sys.path.append(str(Path(__file__).resolve().parents[2] / "bench"))  # the scale bench fills the database
from scale_data import build

YIYANG = "yiyang-smart-brain-2018-eval"
GENERATED = 64  # 8 projects × 8 years


@pytest.fixture(scope="module", autouse=True)
def many(app_db):
    build(app_db, projects=8, years=8, users=0, audit=0)


def box(at):
    return at.sidebar.selectbox(key=session.PICKER)


def test_the_picker_offers_one_page_and_turns_to_the_next_keeping_the_selection(open_page):
    at = open_page("overview", YIYANG)
    first = box(at).options

    assert len(first) == choices.PAGE_SIZE + 1  # the page, and the selected 2018 case kept on offer
    assert box(at).value == YIYANG
    assert f"共 {GENERATED + 1} 项" in " ".join(texts(at.sidebar.caption))

    at = at.button(key="evaluation_picker_next").click().run()

    assert box(at).value == YIYANG and at.session_state[session.EVALUATION] == YIYANG
    assert not (set(box(at).options) - {box(at).format_func(YIYANG)}) & set(first)
    assert f"第 {choices.PAGE_SIZE + 1}–{GENERATED + 1} 项" in " ".join(texts(at.sidebar.caption))
    assert at.button(key="evaluation_picker_next").disabled
    at = at.button(key="evaluation_picker_prev").click().run()
    assert box(at).options == first


def test_a_search_narrows_the_picker_and_picking_a_result_opens_it(open_page):
    at = open_page("overview", YIYANG)
    at = at.sidebar.text_input(key=picker.SEARCH).input("第3号").run()

    names = [o for o in box(at).options if o != box(at).format_func(YIYANG)]
    assert len(names) == 8 and box(at).value == YIYANG  # one project's 8 years; the selection kept
    index = next(n for n, o in enumerate(box(at).options) if o.startswith("2023"))

    at = box(at).select_index(index).run()

    assert at.session_state[session.EVALUATION] == "scale-p002-2023-eval"  # 第3号 is the third project
    assert box(at).value == "scale-p002-2023-eval" and not at.exception


def test_a_search_by_year_and_one_with_no_match(open_page):
    at = open_page("overview", YIYANG)
    at = at.sidebar.text_input(key=picker.SEARCH).input("2019").run()
    assert all(o.startswith("2019") or o == box(at).format_func(YIYANG) for o in box(at).options)
    assert len(box(at).options) == 8 + 1

    at = at.sidebar.text_input(key=picker.SEARCH).input("没有这个项目").run()

    assert "没有符合条件的评价" in texts(at.sidebar.caption)
    assert box(at).value == YIYANG  # nothing matched: the current evaluation stays
