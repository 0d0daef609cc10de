"""问题与建议: findings linked to the indicators that lost points, recommendations linked to the
findings; add, edit, reorder and delete, with refusals in Chinese that keep the typed input."""

from __future__ import annotations

from screen import button, texts
from streamlit.testing.v1 import AppTest

YIYANG = "yiyang-smart-brain-2018-eval"


def key(evaluation_id: str, kind: str, item: str, name: str) -> str:
    return f"item:{evaluation_id}:{kind}:{item}:{name}"


def submit(at: AppTest, evaluation_id: str, kind: str, item: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:item:{evaluation_id}:{kind}:{item}:form-{label}").click().run()


def headings(at: AppTest) -> list[str]:
    return [m for m in texts(at.markdown) if m.startswith("**") and m[2] in "FR"]


def test_findings_show_where_they_cost_points_and_which_recommendations_answer_them(open_page):
    at = open_page("findings")

    assert headings(at) == [
        "**F1 该项目后期维护与管理有待加强**",
        "**F2 专业技术人才不足**",
        "**R1 加强项目后期维护与管理**",
        "**R2 引进必要的专业技术人才**",
    ]
    notes = texts(at.caption)
    assert "扣分指标：B25 后期运行维护管理（扣 3.00）、B22 管理制度健全性（扣 2.00） · 对应建议：R1" in notes
    assert "针对问题：F2 专业技术人才不足" in notes


def test_a_new_finding_links_only_to_indicators_that_lost_points_and_gets_a_recommendation(open_page, draft):
    at = open_page("findings", draft)
    links = at.multiselect(key=key(draft, "findings", "new", "links"))
    assert "C51 服务对象满意度（扣 3.00）" in links.options
    assert not any(o.startswith("A11 ") for o in links.options)  # A11 kept all its points

    at.text_input(key=key(draft, "findings", "new", "title")).set_value("未开展服务对象满意度调查")
    links.set_value(["C51"])
    at = submit(at, draft, "findings", "new", "新增问题")
    assert "**F3 未开展服务对象满意度调查**" in headings(at)

    at.text_input(key=key(draft, "recommendations", "new", "title")).set_value("开展服务对象满意度调查")
    at.multiselect(key=key(draft, "recommendations", "new", "links")).set_value(["F3"])
    at = submit(at, draft, "recommendations", "new", "新增建议")

    assert "**R3 开展服务对象满意度调查**" in headings(at)
    assert "针对问题：F3 未开展服务对象满意度调查" in texts(at.caption)
    assert (
        at.text_input(key=key(draft, "findings", "new", "title")).value == ""
    )  # the add form is empty again


def test_a_finding_is_edited_and_moved_up(open_page, draft):
    at = open_page("findings", draft)
    at.text_input(key=key(draft, "findings", "F2", "title")).set_value("专业技术人员不足（仅8名）")
    at = submit(at, draft, "findings", "F2", "保存修改")
    assert "已保存问题 F2" in texts(at.success)

    at = at.button(key=key(draft, "findings", "F2", "up")).click().run()

    assert headings(at)[:2] == ["**F2 专业技术人员不足（仅8名）**", "**F1 该项目后期维护与管理有待加强**"]


def test_deleting_asks_for_confirmation_and_keeps_a_finding_a_recommendation_still_answers(open_page, draft):
    at = open_page("findings", draft)
    at = at.button(key=key(draft, "findings", "F1", "delete")).click().run()
    assert "删除前请勾选“确认删除”。" in texts(at.warning)

    at.checkbox(key=key(draft, "findings", "F1", "confirm")).check()
    at = at.button(key=key(draft, "findings", "F1", "delete")).click().run()
    assert "问题“F1”仍被建议 R1 引用" in " ".join(texts(at.error))
    assert "**F1 该项目后期维护与管理有待加强**" in headings(at)

    at.checkbox(key=key(draft, "recommendations", "R1", "confirm")).check()
    at = at.button(key=key(draft, "recommendations", "R1", "delete")).click().run()
    at.checkbox(key=key(draft, "findings", "F1", "confirm")).check()
    at = at.button(key=key(draft, "findings", "F1", "delete")).click().run()

    assert headings(at) == ["**F2 专业技术人才不足**", "**R2 引进必要的专业技术人才**"]


def test_an_edit_of_the_finalised_case_is_refused_with_the_lock_message_and_the_text_is_kept(open_page):
    at = open_page("findings", YIYANG)
    at.text_input(key=key(YIYANG, "findings", "F1", "title")).set_value("后期运维管理缺位")

    at = submit(at, YIYANG, "findings", "F1", "保存修改")

    assert "评价已定稿，不能修改" in " ".join(texts(at.error))
    assert at.text_input(key=key(YIYANG, "findings", "F1", "title")).value == "后期运维管理缺位"
    assert "**F1 该项目后期维护与管理有待加强**" in headings(at)
    assert button(at, "复制为新的草稿并打开")
