"""A sparse case, built from a short published evaluation (a 2021 data-platform project: 150 万元
到位, 149.70 used, 91.47 优, two problems, two measures, little else): both outlines leave out
what has no data, number headings, tables and figures without gaps, and treat the finding's
unrecorded amount (748,500元) as a warning."""

import io
import re
from pathlib import Path

import pytest
from docx import Document

from workbench.formats.cases import load_case
from workbench.reports.text import cn_number
from workbench.services.reporting import build_report

SPARSE = Path(__file__).resolve().parents[1] / "fixtures" / "sparse-data-platform-2021"


@pytest.fixture(scope="module")
def case():
    return load_case(SPARSE)


@pytest.fixture(scope="module", params=["seed", "mof2020"])
def made(request, case):
    result = build_report(case, request.param)
    return result, Document(io.BytesIO(result.content))


def texts(doc, style=None):
    return [p.text for p in doc.paragraphs if style is None or p.style.name == style]


def test_the_sparse_case_scores_91_47_excellent(case):
    card = case.scorecard()
    assert (str(card.total), card.grade) == ("91.47", "优")


def test_no_stub_is_left_where_the_case_has_no_data(made):
    _, doc = made
    body = texts(doc)
    for stub in (
        "现将有关情况报告如下",
        "评价依据：",
        "明细按原记录单位合计",
        "主要绩效：",
        "按照以下步骤开展评价",
    ):
        assert not [t for t in body if stub in t], stub
    assert all(len(t.rows) > 1 for t in doc.tables)  # no empty table
    styles = [p.style.name for p in doc.paragraphs]
    for i, style in enumerate(styles[:-1]):
        if style == "Heading 2":  # a sub-heading is followed by text, not by another heading
            assert styles[i + 1] not in ("Heading 1", "Heading 2"), doc.paragraphs[i].text


def _numbers(items, pattern):
    return [re.match(pattern, t)[1] for t in items]


def test_headings_tables_and_figures_are_numbered_without_gaps(made):
    _, doc = made
    level1 = _numbers(texts(doc, "Heading 1"), r"^(.+?)、")
    assert level1 == [cn_number(i) for i in range(1, len(level1) + 1)]
    tables = _numbers(texts(doc, "表题"), r"^表(\d+)")
    figures = _numbers(texts(doc, "图题"), r"^图(\d+)")
    assert tables == [str(i) for i in range(1, len(tables) + 1)] and tables
    assert figures == ["1", "2"]
    cited = {m for t in texts(doc) for m in re.findall(r"[表图]\d+", t)}
    assert cited == {f"表{n}" for n in tables} | {f"图{n}" for n in figures}


def test_the_funds_are_stated_once_from_the_ledger_and_the_signature_printed(made):
    _, doc = made
    body = texts(doc)
    assert "2021年，项目资金到位150.00万元，实际支出149.70万元，预算执行率99.80%。" in body
    assert texts(doc, "落款") == ["某会计师事务所有限公司", "2022年3月"]
    assert any("得分91.47分，被评为“优”等级" in t for t in body)


def test_an_amount_the_ledger_does_not_record_is_a_warning_and_the_log_says_so(made):
    result, _ = made
    (amount,) = [p for p in result.problems if "748,500元" in p.message]
    assert amount.severity == "warning"
    log = "\n".join(result.log)
    assert "检查结果：0 个错误，2 个警告或提示" in log and "748,500元" in log
    assert "必备章节齐全：未通过（项目基本情况、评价目的、评价过程）" in log
