"""Independence: no scores of an evaluation shown to its 项目单位 before 定稿, nor to an expert
scoring blind — the sidebar caption included; the 自评表 grid leaves the indicators and their
分值 to the template."""

from __future__ import annotations

import json

from actors import EXPERT, REVIEWER, UNIT, YIYANG
from screen import texts


def sidebar_caption(at) -> str:  # type: ignore[no-untyped-def]
    return " ".join(texts(at.sidebar.caption))


def test_the_unit_and_an_expert_see_no_total_of_a_draft_in_the_sidebar(open_page, draft):
    for actor in (UNIT, EXPERT):
        at = open_page("overview", draft, as_=actor)
        assert "评价得分在定稿后显示" in sidebar_caption(at), actor.role
        assert "总分" not in sidebar_caption(at), actor.role


def test_the_evaluator_and_reviewer_see_the_total_and_everyone_sees_it_once_final(open_page, draft):
    for actor, eid in ((REVIEWER, draft), (UNIT, YIYANG), (EXPERT, YIYANG)):
        at = open_page("overview", eid, as_=actor)
        assert "总分 " in sidebar_caption(at), (actor.role, eid)
    assert "总分 " in sidebar_caption(open_page("overview", draft))


def test_the_unit_cannot_edit_indicator_names_or_their_points_in_the_selfeval_grid(open_page, draft):
    at = open_page("selfeval", draft, as_=UNIT)
    grid = next(e for e in at.dataframe if "三级指标" in e.value.columns)
    columns = json.loads(grid.proto.columns)
    locked = {name for name, config in columns.items() if config.get("disabled")}
    assert {"一级指标", "二级指标", "三级指标", "分值"} <= locked
    assert not {"实际完成值", "得分", "不适用"} & locked
    assert grid.proto.editing_mode != grid.proto.EditingMode.DYNAMIC  # no rows of its own making
