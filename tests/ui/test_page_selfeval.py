"""自评表: the project unit fills the prefilled form, saves it, sees the rules' scores, downloads
the standard .xlsx, uploads one back and submits; the evaluator sees self-score beside their own
with 自评虚高 flags and writes the 核对说明."""

from __future__ import annotations

import io

from actors import UNIT, YIYANG
from openpyxl import load_workbook
from review_helpers import filled_form
from screen import metric, read, texts
from streamlit.testing.v1 import AppTest

from workbench.services import selfeval

EDIT = {"added_rows": [], "deleted_rows": []}


def save(at: AppTest, eid: str, version: int = 0) -> AppTest:
    return at.button(key=f"FormSubmitter:selfeval:{eid}:{version}-保存草稿").click().run()


def claim_full_weights(at: AppTest, app_db, eid: str) -> None:
    weights = [r.weight for r in selfeval.get_selfeval(app_db.uow(), UNIT, eid).form.rows]
    edits = {i: {"得分": format(w, "f"), "实际完成值": "达成"} for i, w in enumerate(weights)}
    at.session_state[f"selfeval:{eid}:0:rows"] = {"edited_rows": edits, **EDIT}


def test_the_unit_fills_the_prefilled_form_saves_it_and_sees_the_rules_score(open_page, draft, app_db):
    at = open_page("selfeval", draft, as_=UNIT)
    assert metric(at, "自评表状态") == "尚未填报"
    claim_full_weights(at, app_db, draft)
    at.session_state[f"selfeval:{draft}:0:funds"] = {
        "edited_rows": {0: {"全年预算数": "1835", "全年执行数": "1743.25"}},
        **EDIT,
    }

    at = save(at, draft)

    assert not at.error, texts(at.error)
    assert "已保存自评表草稿。" in texts(at.success)
    assert metric(at, "自评总分（按规则计算）") == "100.00 / 100.00"
    assert metric(at, "预算执行率") == "95.00%"
    assert metric(at, "自评表状态") == "草稿"


def test_text_in_a_score_cell_is_one_chinese_line_and_nothing_is_saved(open_page, draft, app_db):
    at = open_page("selfeval", draft, as_=UNIT)
    at.session_state[f"selfeval:{draft}:0:rows"] = {"edited_rows": {0: {"得分": "满分"}}, **EDIT}

    at = save(at, draft)

    assert len(at.error) == 1 and "满分" in at.error[0].value and "得分" in at.error[0].value
    assert selfeval.get_selfeval(app_db.uow(), UNIT, draft).version == 0


def test_the_unit_downloads_the_standard_xlsx_uploads_it_back_and_submits(
    open_page, draft, app_db, downloads
):
    open_page(as_=UNIT)  # the unit's account exists from here on
    selfeval.save_selfeval(app_db.uow(), UNIT, draft, filled_form(app_db, draft), 0)
    at = open_page("selfeval", draft, as_=UNIT)

    data = downloads(at.get("download_button")[0])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "项目支出绩效自评表" and sheet["B3"].value == "益阳智慧大脑+政务服务项目"

    at.file_uploader(key=f"selfeval:upload:{draft}:1").set_value(
        ("益阳自评表.xlsx", data, "application/octet-stream")
    )
    at = at.run()
    at = at.button(key=f"selfeval:upload:{draft}:1:go").click().run()
    assert "已导入“益阳自评表.xlsx”，替换了原草稿。" in texts(at.success)
    assert selfeval.get_selfeval(app_db.uow(), UNIT, draft).version == 2

    assert any(p.proto.popover.label == "提交自评表" for p in at.get("popover"))  # a confirmation first
    at = at.button(key="selfeval_submit:2").click().run()

    assert "已提交自评表。" in texts(at.success)
    assert metric(at, "自评表状态") == "已提交"
    assert any("不能再修改" in i for i in texts(at.info))


def test_a_file_that_is_not_a_workbook_is_named_in_one_message_and_the_draft_stays(open_page, draft, app_db):
    open_page(as_=UNIT)
    before = selfeval.save_selfeval(app_db.uow(), UNIT, draft, filled_form(app_db, draft), 0)
    at = open_page("selfeval", draft, as_=UNIT)

    at.file_uploader(key=f"selfeval:upload:{draft}:1").set_value(
        ("扫描件.xlsx", b"%PDF-1.4", "application/pdf")
    )
    at = at.run()
    at = at.button(key=f"selfeval:upload:{draft}:1:go").click().run()

    assert len(at.error) == 1 and "扫描件.xlsx" in read(at.error[0].value)
    assert selfeval.get_selfeval(app_db.uow(), UNIT, draft).form == before.form


def test_the_evaluator_sees_the_comparison_with_flags_and_writes_a_note(open_page, draft, app_db):
    open_page(as_=UNIT)
    saved = selfeval.save_selfeval(app_db.uow(), UNIT, draft, filled_form(app_db, draft), 0)
    selfeval.submit_selfeval(app_db.uow(), UNIT, draft, saved.version)

    at = open_page("selfeval", draft)

    assert metric(at, "自评总分") == "100.00" and metric(at, "评价总分") == "83.00"
    assert metric(at, "自评虚高") == "9 项"
    table = at.table[0].value  # shown whole: no inner scrolling, no cut text
    upkeep = table[table["自评指标"] == "3.2.5 后期运行维护管理"].iloc[0]
    assert (upkeep["自评得分"], upkeep["评价得分"], upkeep["差异"], upkeep["标记"]) == (
        "4.00",
        "1.00",
        "3.00",
        "自评虚高",
    )
    assert "9 项自评虚高尚未填写核对说明；全部填写后才能复核通过和定稿。" in texts(at.warning)

    at.selectbox(key=f"selfeval_notes:code:{draft}").set_value("3.2.5").run()
    at.text_area(key=f"selfeval_notes:{draft}:3.2.5:0:text").set_value("运维外包后无专人跟踪，扣分属实")
    at = at.button(key=f"FormSubmitter:selfeval_notes:{draft}:3.2.5:0-保存核对说明").click().run()

    assert "已保存指标 3.2.5 的核对说明。" in texts(at.success)
    assert "8 项自评虚高尚未填写核对说明；全部填写后才能复核通过和定稿。" in texts(at.warning)
    marked = at.selectbox(key=f"selfeval_notes:code:{draft}").options
    assert "3.2.5 后期运行维护管理（自评虚高 · ✓ 已填写）" in marked
    assert sum("（自评虚高 · 待填写）" in o for o in marked) == 8
    table = at.table[0].value
    assert (
        table[table["自评指标"] == "3.2.5 后期运行维护管理"].iloc[0]["核对说明"]
        == "运维外包后无专人跟踪，扣分属实"
    )


def test_before_the_unit_submits_the_evaluator_is_told_to_wait(open_page, draft):
    at = open_page("selfeval", draft)

    assert "项目单位尚未填报自评表；提交后这里逐项列出自评得分与评价得分的对比。" in texts(at.info)
    assert not at.table


def test_the_evaluator_sends_a_submitted_form_back_and_the_unit_reads_why(open_page, draft, app_db):
    open_page(as_=UNIT)
    saved = selfeval.save_selfeval(app_db.uow(), UNIT, draft, filled_form(app_db, draft), 0)
    submitted = selfeval.submit_selfeval(app_db.uow(), UNIT, draft, saved.version)
    at = open_page("selfeval", draft)
    form = f"selfeval_return:{submitted.version}"

    at = at.button(key=f"FormSubmitter:{form}-退回自评表").click().run()  # no reason yet
    assert any("请写明退回理由" in e for e in texts(at.error))
    at.text_area(key=f"{form}:reason").set_value("全年执行数与财务账面不符，请核对")
    at = at.button(key=f"FormSubmitter:{form}-退回自评表").click().run()

    assert "已退回自评表；项目单位修改后可重新提交。" in texts(at.success)
    assert "项目单位正在填写自评表（草稿）；提交后这里逐项列出自评得分与评价得分的对比。" in texts(at.info)
    unit = open_page("selfeval", draft, as_=UNIT)
    assert any(
        "退回了自评表：全年执行数与财务账面不符，请核对。请修改后重新提交。" in w for w in texts(unit.warning)
    )
    assert unit.button(
        key=f"FormSubmitter:selfeval:{draft}:{submitted.version + 1}-保存草稿"
    )  # editable again


def test_a_finalised_evaluation_offers_no_send_back(open_page, app_db):
    open_page(as_=UNIT)
    saved = selfeval.save_selfeval(app_db.uow(), UNIT, YIYANG, filled_form(app_db, YIYANG), 0)
    selfeval.submit_selfeval(app_db.uow(), UNIT, YIYANG, saved.version)  # the seeded case is 定稿

    at = open_page("selfeval", YIYANG)

    assert metric(at, "自评总分") == "100.00"  # the submitted form is compared
    assert not [e for e in at.get("expander") if "退回自评表" in e.proto.label]


def test_the_selfeval_grid_puts_not_applicable_beside_the_points(open_page, draft):
    at = open_page("selfeval", draft, as_=UNIT)

    grid = next(e for e in at.dataframe if "三级指标" in e.value.columns)
    order = list(grid.proto.column_order)
    assert order[:5] == ["一级指标", "二级指标", "三级指标", "分值", "不适用"]  # in view at 1366 px
