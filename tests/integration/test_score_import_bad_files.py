"""Every kind of bad score-table file ends in one clear Chinese message naming file, row and field."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from xlsx_tables import HEADER, PUBLISHED, big_table, published, write_book

from workbench.errors import InvalidInput, NotFound, WorkbenchError
from workbench.formats.score_import import read_score_table


def _with(body_change):
    def build(path: Path) -> Path:
        body = [list(r) for r in PUBLISHED]
        body_change(body)
        return published(path, body)

    return build


def _set(row: int, col: int, value):
    return _with(lambda body: body[row].__setitem__(col, value))


def _missing_score_column(path: Path) -> Path:
    header = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "扣分理由"]
    return write_book(path, [["附件"], header, ["决策", "立项", "依据", 100, "", ""]])


def _header_only(path: Path) -> Path:
    return write_book(path, [["附件"], HEADER])


def _empty_sheet(path: Path) -> Path:
    return write_book(path, [])


def _csv_named_xlsx(path: Path) -> Path:
    path.write_text("一级指标,二级指标,分值,得分\n决策,立项,10,9\n", "utf-8")
    return path


def _word_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return path


def _old_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return path


def _zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _damaged_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path


def _encrypted(path: Path) -> Path:
    plain = published(path.with_name("plain.xlsx"))
    out = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("secret", out)
    path.write_bytes(out.getvalue())
    return path


def _formula_score(path: Path) -> Path:
    """A score written as a formula by a program (openpyxl saves no result) that is not a SUM."""
    body = [list(r) for r in PUBLISHED]
    body[2][5] = "=D5*0.75"
    return write_book(path, [["附件"], HEADER, *body, ["总分", "", "", 100, "", 83, ""]])


def _merged_scores(path: Path) -> Path:
    return published(path, merges=["F3:F4"])


# One case a line, so the table reads as the list of what a user sees.
# fmt: off
CASES = [
    ("missing column", _missing_score_column, "第 2 行", "表头缺少「得分」列"),
    ("text for a weight", _set(2, 3, "四分"), "第 5 行（D5 单元格），字段「分值」", "应为数字，填写的是“四分”"),
    ("text for a score", _set(4, 5, "良好"), "第 7 行（F7 单元格），字段「得分」", "应为数字，填写的是“良好”"),
    ("negative weight", _set(0, 3, -4), "第 3 行（D3 单元格），字段「分值」", "不能为负数"),
    ("blank weight", _set(7, 3, ""), "第 10 行（D10 单元格），字段「分值」", "分值不能为空"),
    ("no level-1 name", _set(0, 0, ""), "第 3 行（A3 单元格），字段「一级指标」", "缺少一级指标名称"),
    ("name too long", _set(1, 2, "长" * 300), "第 4 行（C4 单元格），字段「三级指标」", "指标名称过长（300 个字，最多 200 个字）"),
    ("header but no rows", _header_only, "第 2 行", "表头下面没有指标行"),
    ("empty sheet", _empty_sheet, "工作表「评分表」", "工作表是空的"),
    ("CSV text named .xlsx", _csv_named_xlsx, "bad.xlsx", "不是 Excel 工作簿（.xlsx）"),
    ("Word document", _word_document, "bad.xlsx", "文件是Word 文档"),
    ("old .xls", _old_xls, "bad.xlsx", "旧版 Excel 97-2003 工作簿（.xls）"),
    ("zero bytes", _zero_bytes, "bad.xlsx", "文件是空的（0 字节）"),
    ("damaged zip", _damaged_zip, "bad.xlsx", "文件已损坏"),
    ("password-protected", _encrypted, "bad.xlsx", "设置了打开密码（已加密）"),
    ("formula without a saved result", _formula_score, "第 5 行（F5 单元格），字段「得分」", "单元格是公式“=D5*0.75”，但文件中没有保存计算结果"),
    ("merged score cells", _merged_scores, "第 3 行（F3 单元格），字段「得分」", "「得分」是跨行合并单元格（F3:F4，第 3–4 行）"),
]
# fmt: on


@pytest.mark.parametrize(("case", "build", "where", "what"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_ends_in_one_clear_message_naming_file_and_place(tmp_path, case, build, what, where):
    path = build(tmp_path / "bad.xlsx")
    before = path.read_bytes()

    with pytest.raises(InvalidInput) as err:
        read_score_table(path)

    assert len(err.value.problems) == 1, err.value.messages
    message = err.value.messages[0]
    assert message.startswith("文件 bad.xlsx")
    assert where in message and what in message
    assert path.read_bytes() == before  # the user's file is never changed


def test_every_bad_cell_is_listed_not_just_the_first(tmp_path):
    body = [list(r) for r in PUBLISHED]
    body[0][3], body[3][5] = "四", "五"
    with pytest.raises(InvalidInput) as err:
        read_score_table(published(tmp_path / "t.xlsx", body))
    assert [p.place for p in err.value.problems] == [
        "工作表「评分表」第 3 行（D3 单元格）",
        "工作表「评分表」第 6 行（F6 单元格）",
    ]


def test_missing_file_is_not_found(tmp_path):
    with pytest.raises(NotFound, match="文件不存在"):
        read_score_table(tmp_path / "nowhere.xlsx")


@pytest.fixture(scope="module")
def hundred_thousand_rows(tmp_path_factory) -> Path:
    return big_table(tmp_path_factory.mktemp("big") / "big.xlsx", 100_000)


def test_sheet_of_100000_rows_is_refused_with_the_limit_and_the_first_row_past_it(hundred_thousand_rows):
    with pytest.raises(WorkbenchError) as err:
        read_score_table(hundred_thousand_rows)
    assert err.value.messages == [
        "文件 big.xlsx，工作表「评分表」第 5002 行：表头以下有 100,000 行，超过导入上限 5,000 行（从第 5002 行起超出）；"
        "评分表通常只有几十到几百行，请确认选对了文件和工作表（命令行可用 --max-rows 放宽上限）"
    ]


def test_sheet_of_100000_rows_imports_when_the_limit_is_lifted(hundred_thousand_rows):
    table = read_score_table(hundred_thousand_rows, max_rows=None)
    assert len(table.rows) == 100_000
    assert table.weight_total == 100_000
    assert table.total == 100_000
