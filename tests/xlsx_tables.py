"""Factories for score-table workbooks: real .xlsx files written with openpyxl into a test folder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分", "扣分理由"]

# A published 评分表: 决策/过程/产出/效益, total 83 (the Yiyang grade: 良好).
PUBLISHED = [
    ["决策", "项目立项", "立项依据充分性", 4, "依据充分得满分", 4, ""],
    ["", "", "立项程序规范性", 4, "程序规范得满分", 4, ""],
    ["", "绩效目标", "绩效目标合理性", 4, "目标明确得满分", 3, "绩效目标仅有定性表述"],
    ["", "资金投入", "预算编制科学性", 3, "", 2, "实际支出超出安排"],
    ["过程", "资金管理", "预算执行率", 10, "执行率×分值", 10, ""],
    ["", "", "资金使用合规性", 8, "", 7, "手续基本齐全"],
    ["", "组织实施", "制度执行有效性", 7, "", 5, "运维外包给建设方，无专人跟踪"],
    ["产出", "产出数量", "实际完成率", 20, "", 20, ""],
    ["", "产出质量", "质量达标率", 15, "", 13, "技术人员不足"],
    ["效益", "项目效益", "社会效益", 15, "", 12, "部门间共享仍在建设中"],
    ["", "满意度", "服务对象满意度", 10, "", 3, "未开展满意度调查"],
]


def write_book(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Iterable[str] = (),
    sheet: str = "评分表",
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for name, more in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(list(row))
    book.save(path)
    return path


def published(
    path: Path,
    body: Sequence[Sequence[Any]] = PUBLISHED,
    *,
    total: Any = 83,
    total_weight: Any = 100,
    preamble: Sequence[Sequence[Any]] = (["附件：指标评分表"],),
    header: Sequence[str] = HEADER,
    merges: Iterable[str] = (),
) -> Path:
    """A published score table: title row, header, body, and a 总分 row (unless total is None)."""
    rows = [*preamble, header, *body]
    if total is not None:
        rows.append(["总分", "", "", total_weight, "", total, ""])
    return write_book(path, rows, merges=merges)


def blank_merged_level_cells(
    body: Sequence[Sequence[Any]], first_row: int
) -> tuple[list[list[Any]], list[str]]:
    """The same body with the 一级/二级 cells of each group merged instead of left blank."""
    rows = [list(r) for r in body]
    merges = []
    for col, letter in ((0, "A"), (1, "B")):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][col] != "":
                if i - 1 > start:
                    merges.append(f"{letter}{first_row + start}:{letter}{first_row + i - 1}")
                start = i
    return rows, merges


SELF_EVAL_INDICATORS = [
    ["", "产出指标", "数量指标", "新建虚拟机数量", "≥160台", "160台", 20, 20, ""],
    ["", "", "质量指标", "验收合格率", "100%", "100%", 15, 15, ""],
    ["", "", "时效指标", "按期完成率", "按期完成", "按期完成", 10, 10, ""],
    ["", "", "成本指标", "建设成本", "≤1835万元", "1835万元", 5, 5, ""],
    ["", "效益指标", "社会效益指标", "政务服务事项集中办理", "≥300项", "300项", 15, 15, ""],
    [
        "",
        "",
        "可持续影响指标",
        "平台持续运行",
        "持续运行",
        "运维外包",
        10,
        7,
        "运维无专人跟踪，拟配备专职人员",
    ],
    ["", "", "生态效益指标", "/", "/", "/", "/", "/", "/"],
    ["", "", "经济效益指标", "节约建设成本", "有效节约", "有效节约", 5, 5, ""],
    ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "未调查", 10, 6, "未开展满意度调查"],
]


def self_evaluation(
    path: Path,
    *,
    budget: Sequence[Any] = (1905, 1905, 1905.2),
    funds_score: Any = 10,
    indicators: Sequence[Sequence[Any]] = SELF_EVAL_INDICATORS,
    total: Any = 93,
) -> Path:
    """A 自评表 in the 10号 附件2 layout, the indicator header on row 12 (past the blocks above it)."""
    rows: list[list[Any]] = [
        ["项目支出绩效自评表"],
        ["（2018年度）"],
        ["项目名称", "益阳智慧大脑+政务服务项目"],
        ["主管部门", "益阳市人民政府办公室", "", "", "", "实施单位", "市电子政务管理办公室"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", *budget, 10, "", funds_score],
        ["", "其中：当年财政拨款", *budget, "—", "", "—"],
        ["", "上年结转资金", "", "", "", "—", "", "—"],
        ["", "其他资金", "", "", "", "—", "", "—"],
        ["年度总体目标", "预期目标", "", "", "", "实际完成情况"],
        ["", "整合资源，实现共享", "", "", "", "平台建成并通过验收"],
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        *[list(r) for r in indicators],
        ["总分", "", "", "", "", "", 100, total, ""],
    ]
    return write_book(
        path, rows, merges=["A5:A9", "A10:A11", f"A12:A{11 + len(indicators) + 1}"], sheet="自评表"
    )


def big_table(path: Path, count: int) -> Path:
    """A sheet with ``count`` indicator rows (write-only mode: seconds, not minutes)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("评分表")
    ws.append(HEADER)
    for i in range(count):
        ws.append(
            [f"一级{i // 1000}" if i % 1000 == 0 else None, f"二级{i // 10}", f"指标{i}", 1, None, 1, None]
        )
    book.save(path)
    return path


def leaves_by_names(nodes: Iterable[Any], trail: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every leaf of a scorecard's tree under the names of its path (一级, 二级, …, its own), as
    a published score table identifies it."""
    found: dict[tuple[str, ...], Any] = {}
    for node in nodes:
        names = (*trail, node.name)
        if node.is_leaf:
            found[names] = node
        found.update(leaves_by_names(node.children, names))
    return found
