"""A published 指标体系 sheet as bureaus lay them out (merged level cells), for import tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准"]
ROWS = [
    ["决策", "项目立项", "立项依据充分性", 10, "是否符合政策", "符合得满分"],
    [None, None, "立项程序规范性", 10, "是否履行程序", "缺一项扣2分"],
    [None, "绩效目标", "绩效目标合理性", 10, "", ""],
    ["过程", "资金管理", "资金到位率", 20, "到位/计划", "到位率×分值"],
    ["产出", "产出数量", "实际完成率", 25, "", ""],
    ["效益", "满意度", "服务对象满意度", 25, "", ""],
]


def published(path, rows=ROWS, merge=True):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件2 评价指标体系"
    sheet.append(["某市项目支出绩效评价指标体系"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells("A3:A5")
        sheet.merge_cells("B3:B4")
    book.save(path)
    return path


def published_bytes(folder: Path) -> bytes:
    return published(folder / "体系.xlsx").read_bytes()
