"""Pages by role: each role's menu as the shipped role table gives it; a page outside it, opened by
its address, is refused in Chinese; and hiding is only a convenience — a step the role table no
longer allows is refused by the service, in its words, even from a page already open."""

from __future__ import annotations

import pytest
from actors import AUDITOR, BY_ROLE, LEADER, REVIEWER, SECADMIN, SYSADMIN, UNIT, YIYANG
from screen import button, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import admin

MENUS = {
    "评价人员": {
        "待办",
        "项目总览",
        "项目信息",
        "资金台账",
        "指标体系",
        "评分",
        "专家评分",
        "问题与建议",
        "佐证材料",
        "自评表",
        "整改台账",
        "报告",
        "领导看板",
        "历年趋势",
        "结果应用",
        "绩效评价总览",
        "新建评价",
        "导入评分表",
        "个人设置",
    },
    "复核人": {
        "待办",
        "项目总览",
        "评分",
        "佐证材料",
        "自评表",
        "整改台账",
        "报告",
        "领导看板",
        "历年趋势",
        "结果应用",
        "绩效评价总览",
        "个人设置",
    },
    "专家": {"待办", "项目总览", "专家评分", "佐证材料", "个人设置"},
    "项目单位": {"待办", "项目总览", "佐证材料", "自评表", "整改台账", "个人设置"},
    "领导": {
        "待办",
        "项目总览",
        "整改台账",
        "报告",
        "领导看板",
        "历年趋势",
        "结果应用",
        "绩效评价总览",
        "个人设置",
    },
    "系统管理员": {"用户管理", "备份与恢复", "个人设置"},
    "安全管理员": {"角色与安全设置", "个人设置"},
    "审计管理员": {"审计日志", "个人设置"},
}


def menu_script() -> None:
    """Draws nothing: keeps the titles ``navigation.pages`` shows for the given permissions."""
    import streamlit as st

    from workbench.ui import navigation

    menu = navigation.pages(st.session_state["held"])
    st.session_state["shown"] = {p.title for ps in menu.values() for p in ps if p.visibility == "visible"}


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_sees_the_pages_of_its_permissions(app_db, role):
    at = AppTest.from_function(menu_script)
    at.session_state["held"] = admin.my_permissions(app_db.uow(), BY_ROLE[role])
    assert at.run().session_state["shown"] == MENUS[role]


def test_a_project_unit_opening_the_scoring_address_is_refused_and_sees_no_form(open_page):
    at = open_page("scoring", YIYANG, as_=UNIT)

    assert "角色“项目单位”无权评分：“评分”页面未向您开放。" in texts(at.error)
    assert not at.metric and not [b for b in at.button if b.label == "保存评分"]


@pytest.mark.parametrize(
    ("page", "actor", "refusal"),
    [
        ("users", PAGE_USER, "角色“评价人员”无权管理用户：“用户管理”页面未向您开放。"),
        ("audit_log", SYSADMIN, "角色“系统管理员”无权查看审计日志：“审计日志”页面未向您开放。"),
        ("security", AUDITOR, "角色“审计管理员”无权管理角色与权限：“角色与安全设置”页面未向您开放。"),
        ("backup", SECADMIN, "角色“安全管理员”无权备份与恢复：“备份与恢复”页面未向您开放。"),
        ("findings", LEADER, "角色“领导”无权编辑问题与建议：“问题与建议”页面未向您开放。"),
    ],
)
def test_an_admin_page_or_an_editing_page_outside_the_role_is_refused(open_page, page, actor, refusal):
    assert refusal in texts(open_page(page, as_=actor).error)


def test_an_administrator_lands_on_their_own_page_without_any_evaluation(open_page):
    at = open_page(as_=SYSADMIN)
    assert texts(at.title) == ["用户管理"]
    assert not at.sidebar.selectbox  # no evaluation picker: 三员 reach no project data


def test_a_reviewer_reads_the_scores_without_a_form_to_change_them(open_page):
    at = open_page("scoring", YIYANG, as_=REVIEWER)
    assert texts(at.title) == ["评分"] and "扣分事项" in " ".join(texts(at.markdown))
    assert not [b for b in at.button if b.label == "保存评分"]
    assert not [b for b in at.button if b.label == "复制为新的草稿并打开"]  # a reviewer does not create


def test_a_step_the_role_table_no_longer_allows_is_refused_by_the_service(open_page, draft, app_db):
    at = open_page("scoring", draft)
    at.selectbox(key=f"score_code:{draft}").set_value("A22").run()
    table = admin.role_table(app_db.uow(), SECADMIN)
    evaluator = table.table.role("评价人员")
    kept = [p for p in evaluator.permissions if p != "evaluation.score"]
    admin.save_role(
        app_db.uow(), SECADMIN, {**evaluator.model_dump(), "permissions": kept}, table.versions["评价人员"]
    )
    try:
        at.text_input(key=f"score:{draft}:A22:d0:points").set_value("1")
        at = button(at, "保存评分").click().run()
        assert "角色“评价人员”无权评分" in texts(at.error)
    finally:
        table = admin.role_table(app_db.uow(), SECADMIN)
        admin.save_role(app_db.uow(), SECADMIN, evaluator, table.versions["评价人员"])
