"""A corpus of score-table layouts as bureaus publish them, generated from a compact spec.

Each ``Case`` is one layout: the rows of its sheet (built from the 10号 附件1 评分表 body in
xlsx_tables.PUBLISHED, or the 10号 附件2 自评表), formula cells with the value Excel saved for them,
and what a user must see: total, grade, exit code, message fragments.  The layouts follow published
templates: 财预〔2020〕10号 附件1 (决策/过程/产出/效益 with 三级指标) and 附件2 (自评表); provincial
variants with 指标解释/评分标准 columns (四川, 安徽 with 小计 rows), the 决策/管理/绩效 form some
provinces use for IT projects with weights in the level names (湖北: 项目决策（20分）/项目管理（40分）/
项目绩效（40分）), 四级指标 columns (湖南), two score columns (自评得分 and 评价得分).

Formulas: openpyxl writes ``<f>`` with an empty ``<v>``; Excel saves the computed result in
``<v>``.  ``write_case`` writes the sheet with openpyxl and then puts each given result into its
cell's ``<v>`` in the sheet XML, so the file is what Excel would have saved.  Formula cells not
given a result stay as openpyxl leaves them (a file never opened in Excel).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from xlsx_tables import HEADER, PUBLISHED, SELF_EVAL_INDICATORS, self_evaluation, write_book

TITLE = ["附件：项目支出绩效评价评分表"]
TOTAL = ["总分", "", "", 100, "", 83, ""]


@dataclass
class Case:
    name: str
    rows: list[list[Any]] = field(default_factory=list)
    total: str | None = None  # "重算总分 X" as printed
    grade: str | None = None
    exit: int = 0
    messages: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    cached: dict[str, Any] = field(default_factory=dict)  # formula cell -> the result Excel saved
    merges: tuple[str, ...] = ()
    command: str = "import-scores"
    build: Callable[[Path], Path] | None = None  # for 自评表 layouts


def body(**changes: Any) -> list[list[Any]]:
    """PUBLISHED with cells changed: ``r2c5=3`` sets row 2, column 5 (0-based)."""
    rows = [list(r) for r in PUBLISHED]
    for key, value in changes.items():
        r, c = key[1:].split("c")
        rows[int(r)][int(c)] = value
    return rows


def table(rows: Sequence[Sequence[Any]], total: Sequence[Any] | None = TOTAL, header=HEADER) -> list:
    return [TITLE, list(header), *[list(r) for r in rows], *([list(total)] if total else [])]


def columns(rows: list[list[Any]], order: Sequence[int], fill: dict[int, Any] | None = None) -> list:
    """Rearrange the 7 PUBLISHED columns (-1: a new empty column, filled from ``fill``)."""
    out = []
    for row in rows:
        out.append([row[i] if i >= 0 else (fill or {}).get(k, "") for k, i in enumerate(order)])
    return out


def renamed(rows: list[list[Any]], names: dict[str, str]) -> list[list[Any]]:
    return [[names.get(v, v) if isinstance(v, str) else v for v in r] for r in rows]


def four_levels(rows: list[list[Any]]) -> list[list[Any]]:
    """湖南 layout: a 四级指标 column; each 三级 becomes a group of one 四级 leaf named 'X（考核点）'."""
    return [[*r[:3], f"{r[2]}考核点", *r[3:]] for r in rows]


def add_empty_rows(rows: list[list[Any]], at: int, names: Sequence[str]) -> list[list[Any]]:
    return [*rows[:at], *[["", "", n, "", "", "", ""] for n in names], *rows[at:]]


def write_case(case: Case, folder: Path) -> Path:
    path = folder / f"{case.name}.xlsx"
    if case.build is not None:
        return case.build(path)
    write_book(path, case.rows, merges=case.merges)
    if case.cached:
        _save_results(path, case.cached)
    return path


def _save_results(path: Path, results: dict[str, Any]) -> None:
    """Give formula cells the result Excel would have saved (<v>) in the first sheet's XML."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as book:
        parts = {i.filename: book.read(i.filename) for i in book.infolist()}
    xml = parts[member].decode()
    for ref, value in results.items():
        xml, count = re.subn(
            rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(?:</v>)?', rf"\g<1>\g<2><v>{value}</v>", xml
        )
        assert count == 1, ref
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


HEADER_EXPLAINED = ["一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "分值", "得分", "扣分理由"]
HEADER_TWO_SCORES = [
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "评分标准",
    "自评得分",
    "评价得分",
    "扣分理由",
]
IT_NAMES = {"决策": "项目决策（20分）", "过程": "项目管理（40分）", "产出": "项目绩效（40分）"}


def _it_form() -> list[list[Any]]:
    """决策/管理/绩效 (20/40/40): 产出 and 效益 under 项目绩效; weights written in the names."""
    rows = body()
    for r, (weight, score) in enumerate(
        [(8, 8), (4, 4), (4, 3), (4, 3), (15, 15), (15, 13), (10, 8), (10, 10), (10, 9), (10, 8), (10, 3)]
    ):
        rows[r][3], rows[r][5] = weight, score
    rows[9][0] = ""  # 效益 rows go under 项目绩效 with 产出
    return renamed(rows, IT_NAMES)


def _two_tables() -> list[list[Any]]:
    return [*table(body()), [], ["附表：上年度评分表"], HEADER, *body()[:3], TOTAL]


def _subtotals() -> list[list[Any]]:
    rows = body()
    out: list[list[Any]] = []
    sums = {"决策": (15, 13), "过程": (25, 22), "产出": (35, 33), "效益": (25, 15)}
    current = ""
    for r in rows:
        if r[0] and current:
            out.append(["小计", "", "", *sums[current][:1], "", sums[current][1], ""])
        current = r[0] or current
        out.append(r)
    out.append(["小计", "", "", 25, "", 15, ""])
    return table(out)


def _selfeval(cells: dict[str, Any] | None = None, **kw: Any) -> Callable[[Path], Path]:
    """The 10号 附件2 自评表 (xlsx_tables.self_evaluation), then ``cells`` overwritten."""

    def build(path: Path) -> Path:
        self_evaluation(path, **kw)
        if cells:
            book = load_workbook(path)
            for ref, value in cells.items():
                book.active[ref] = value
            book.save(path)
        return path

    return build


ZERO_TOTAL_ROW = {"C6": 0, "D6": 0, "E6": 0, "H6": 0, "C7": 90, "D7": 89.974, "E7": 89.974}


SELF_110 = [list(r) for r in SELF_EVAL_INDICATORS]

CASES: list[Case] = [
    Case("mof10-annex1", table(body()), "83.00", "良", 0, ("未发现不一致",)),
    Case(
        "sichuan-explained",
        table(
            columns(body(), [0, 1, 2, -1, 4, 3, 5, 6], {3: "指标内涵说明"}),
            ["总分", "", "", "", "", 100, 83, ""],
            HEADER_EXPLAINED,
        ),
        "83.00",
        "良",
        0,
    ),
    Case(
        "total-formula-saved",
        table(body(), ["总分", "", "", "=SUM(D3:D13)", "", "=SUM(F3:F13)", ""]),
        "83.00",
        "良",
        0,
        ("以下单元格是公式，已采用 Excel 保存的计算结果：D14（=SUM(D3:D13)）、F14（=SUM(F3:F13)）",),
        cached={"D14": 100, "F14": 83},
    ),
    Case(
        "total-formula-unsaved",
        table(body(), ["总分", "", "", 100, "", "=SUM(F3:F13)", ""]),
        "83.00",
        "良",
        0,
        ("公式“=SUM(F3:F13)”没有保存计算结果，已按 F3:F13 各格重算为 83",),
    ),
    Case(
        "score-formula-saved",
        table(body(r2c5="=D5*0.75")),
        "83.00",
        "良",
        0,
        ("F5（=D5*0.75）",),
        cached={"F5": 3},
    ),
    Case(
        "score-formula-unsaved",
        table(body(r2c5="=D5*0.75")),
        None,
        None,
        2,
        ("第 5 行（F5 单元格），字段「得分」：单元格是公式“=D5*0.75”，但文件中没有保存计算结果",),
    ),
    Case(
        "empty-template-row",
        table(add_empty_rows(body(), 10, ["经济效益指标"])),
        "83.00",
        "良",
        0,
        ("已跳过：第 13 行“经济效益指标”",),
    ),
    Case(
        "two-empty-rows",
        table(add_empty_rows(body(), 10, ["经济效益指标", "生态效益指标"])),
        "83.00",
        "良",
        0,
        ("第 13 行“经济效益指标”、第 14 行“生态效益指标”",),
    ),
    Case(
        "weights-in-names",
        table(
            renamed(
                body(),
                {"决策": "决策(15分)", "过程": "过程（25分）", "产出": "产出(35分)", "效益": "效益（25分）"},
            )
        ),
        "83.00",
        "良",
        0,
        ("指标名称中的分值已去掉后再按名称归并",),
    ),
    Case(
        "weights-in-names-wrong",
        table(renamed(body(), {"产出": "产出(50分)", "效益": "效益（10分）"})),
        "83.00",
        "良",
        1,
        (
            "指标名称写明“产出”50.00 分，与其下各指标分值合计 35.00 不一致",
            "指标名称写明“效益”10.00 分，与其下各指标分值合计 25.00 不一致",
        ),
    ),
    Case(
        "hubei-it-form",
        table(_it_form(), ["总分", "", "", 100, "", 84, ""]),
        "84.00",
        "良",
        0,
        ("“项目决策（20.00分）”",),
    ),
    Case(
        "hunan-four-levels",
        table(
            four_levels(body()),
            ["总分", "", "", "", 100, "", 83, ""],
            ["一级指标", "二级指标", "三级指标", "四级指标", *HEADER[3:]],
        ),
        "83.00",
        "良",
        0,
        ("未发现不一致",),
    ),
    Case(
        "five-levels",
        table(
            [[*r[:3], "", f"{r[2]}细项", *r[3:]] for r in body()],
            ["总分", "", "", "", "", 100, "", 83, ""],
            ["一级指标", "二级指标", "三级指标", "四级指标", "五级指标", *HEADER[3:]],
        ),
        "83.00",
        "良",
        0,
    ),
    Case(
        "two-score-columns",
        table(columns(body(), [0, 1, 2, 3, 4, 3, 5, 6]), None, HEADER_TWO_SCORES),
        None,
        None,
        2,
        ("表头有 2 个得分列：「自评得分」（F 列）、「评价得分」（G 列）", "--score-column"),
    ),
    Case(
        "two-score-columns-chosen",
        table(columns(body(), [0, 1, 2, 3, 4, 3, 5, 6]), None, HEADER_TWO_SCORES),
        "83.00",
        "良",
        0,
        args=("--score-column", "评价得分"),
    ),
    Case(
        "self-score-chosen",
        table(columns(body(), [0, 1, 2, 3, 4, 3, 5, 6]), None, HEADER_TWO_SCORES),
        "100.00",
        "优",
        0,
        args=("--score-column", "自评得分"),
    ),
    Case(
        "review-and-expert",
        table(
            columns(body(), [0, 1, 2, 3, 4, 5, 5, 6]),
            None,
            ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "复核得分", "专家得分", "扣分理由"],
        ),
        None,
        None,
        2,
        ("「复核得分」（F 列）、「专家得分」（G 列）",),
    ),
    Case(
        "stated-69-recomputed-16",
        table(body(r4c5="", r5c5="", r6c5="", r7c5="", r8c5="", r9c5=""), ["总分", "", "", 100, "", 69, ""]),
        "16.00",
        "差",
        1,
        ("表列总分 69.00 对应等级：中；重算总分 16.00 对应等级：差", "得分为空（尚未评分）"),
    ),
    Case(
        "stated-total-differs-grade",
        table(body(), ["总分", "", "", 100, "", 91, ""]),
        "83.00",
        "良",
        1,
        ("表列总分 91.00 对应等级：优；重算总分 83.00 对应等级：良",),
    ),
    Case("heji-with-rate", table(body(), ["合计", "", "", 100, "得分率", 83, "83%"]), "83.00", "良", 0),
    Case("one-decimal", table(body(r2c5=3.5, r3c5=1.5), ["总分", "", "", 100, "", 83, ""]), "83.00", "良", 0),
    Case("fen-text", table(body(r0c3="4分", r0c5="4分")), "83.00", "良", 0),
    Case(
        "na-rows",
        table(body(r3c3="/", r3c5="/"), ["总分", "", "", 100, "", 81, ""]),
        "81.00",
        "良",
        1,
        ("各指标分值合计 97.00，应为 100.00",),
    ),
    Case(
        "synonyms",
        table(
            body(), header=["一级指标", "二级指标", "三级指标", "权重", "评分细则", "评价得分", "扣分原因"]
        ),
        "83.00",
        "良",
        0,
    ),
    Case("anhui-subtotals", _subtotals(), "83.00", "良", 0),
    Case("two-tables-one-sheet", _two_tables(), "83.00", "良", 0, ("未作为指标读取",)),
    Case("merged-levels", table(body()), "83.00", "良", 0, merges=("A3:A6", "B3:B4")),
    Case(
        "selfeval-zero-total-row",
        build=_selfeval(ZERO_TOTAL_ROW),
        total="93.00",
        grade="优",
        exit=1,
        messages=(
            "年度资金总额行填写为 0/0/0（年初预算数/全年预算数/全年执行数，万元），与其下各行合计 90/89.974/89.974 不一致",
            "全年执行数 89.974 ÷ 全年预算数 89.974 万元",
            "执行率四舍五入保留两位小数显示",
        ),
        command="import-selfeval",
    ),
    Case(
        "selfeval-110-points",
        build=_selfeval({"G13": 30, "H13": 30}, total=103),
        total="103.00",
        grade="优",
        exit=1,
        messages=(
            "各项分值合计 110.00",
            "表列总分 100 为绩效指标合计，未含预算执行率 10.00 分",
            "不能另存为标准自评表",
        ),
        args=("--export", "standard.xlsx"),
        command="import-selfeval",
    ),
    Case(
        "selfeval-weights-in-names",
        build=_selfeval({"B13": "产出指标(50分)", "B17": "效益指标（30分）"}),
        total="93.00",
        grade="优",
        exit=0,
        messages=("一级指标分值按「项目支出绩效自评表（10号 附件2）」的结构要求核对", "未发现不一致"),
        args=("--rules", "mof-2020-self-evaluation"),
    ),
    Case(
        "selfeval-weights-in-names-wrong",
        build=_selfeval({"B13": "产出指标(70分)", "B17": "效益指标（20分）"}),
        total="93.00",
        grade="优",
        exit=1,
        messages=("指标名称写明“产出指标”70.00 分，与其下各指标分值合计 50.00 不一致",),
        args=("--rules", "mof-2020-self-evaluation"),
    ),
    Case(
        "mof10-annex2-selfeval",
        build=_selfeval(),
        total="93.00",
        grade="优",
        exit=0,
        messages=("项目资金：执行率",),
        command="import-scores",
    ),
]
