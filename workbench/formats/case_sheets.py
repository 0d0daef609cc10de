"""The layout of the case workbook (one .xlsx per evaluation), shared by its writer and reader.

Six sheets with Chinese names, in the order a bureau fills them in: 项目信息 (every project fact,
the evaluation's description and the contract's payment terms, one per row: 项目 · 内容 · 字段代码),
资金台账 (总投资 and one row per year), 支出明细 (one row per spend line, with its unit), 指标体系
(one row per indicator), 评分 (one row per leaf indicator and per deduction) and 问题与建议.
The 字段代码 column of 项目信息 is the key the reader uses; its Chinese label is only for people.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

INFO, LEDGER, SPEND, SYSTEM, SCORES, FINDINGS = (
    "项目信息",
    "资金台账",
    "支出明细",
    "指标体系",
    "评分",
    "问题与建议",
)
SHEETS = (INFO, LEDGER, SPEND, SYSTEM, SCORES, FINDINGS)

INFO_HEADERS = ("项目", "内容", "字段代码（请勿修改）")
TOTAL_LABEL = "总投资（万元）"
LEDGER_HEADERS = (
    "年度",
    "分年支付计划（万元）",
    "支付条件",
    "预算安排（万元）",
    "实际到位（万元）",
    "已支付（万元）",
    "实际支出（万元）",
    "资金范围",
    "备注",
)
LEDGER_KEYS = ("year", "amount", "terms", "arranged", "received", "paid", "stated_spend", "scope", "note")
SPEND_HEADERS = (
    "年度",
    "支出事项",
    "收款单位",
    "金额",
    "单位（万元/元）",
    "列入预算（是/否）",
    "备注",
    "出处",
)
SPEND_KEYS = ("year", "category", "payee", "amount", "unit", "planned", "note", "source")
LEVELS = ("一级指标", "二级指标", "三级指标", "四级指标")
SYSTEM_HEADERS = (*LEVELS, "指标代码", "分值", "指标解释", "评分标准", "计算公式", "评分规则")
SYSTEM_KEYS = ("code", "weight", "explanation", "criteria", "formula", "rule")
SCORE_HEADERS = (
    "指标代码",
    "指标名称",
    "分值",
    "评分状态",
    "不适用理由",
    "评分输入",
    "评分说明",
    "佐证材料",
    "扣分理由",
    "扣分（分）",
    "扣分出处",
    "扣分佐证",
    "扣分处数（每处扣分的指标填写）",
)
SCORED, UNSCORED, NOT_APPLICABLE = "已评分", "未评分", "不适用"
FINDING_HEADERS = ("类别（问题/建议）", "编号", "标题", "内容", "关联指标 / 关联问题（用“、”分隔）")
FINDING, RECOMMENDATION = "问题", "建议"
YES, NO = "是", "否"
LIST_SEP = "、"

# Chinese names of field keys, for the 项目 column of 项目信息 (a key without one shows as is).
LABELS = {
    "project": "项目",
    "evaluation": "评价",
    "ledger": "资金台账",
    "system": "指标体系",
    "id": "编号",
    "name": "名称",
    "short_name": "简称",
    "year": "年度",
    "region": "地区",
    "department": "主管部门",
    "kind": "项目类型",
    "bands_assumed": "考评分档为假设",
    "unit": "项目单位",
    "nature": "单位性质",
    "parent": "上级单位",
    "duties": "主要职责",
    "departments": "内设机构",
    "staffing": "人员",
    "authorized": "编制数",
    "actual": "实际",
    "technical": "专业技术人员",
    "description": "单位简介",
    "background": "立项背景",
    "decision": "立项决策",
    "date": "日期",
    "body": "决策机构",
    "text": "内容",
    "title": "标题",
    "source": "出处",
    "procurement": "采购",
    "method": "采购方式",
    "contractor": "中标单位",
    "contractor_short": "中标单位简称",
    "supervisor": "监理单位",
    "delivery": "建设方式",
    "completed": "完工时间",
    "accepted": "验收时间",
    "contents": "建设内容",
    "goals": "项目目标",
    "targets": "绩效目标",
    "target": "目标值（文字）",
    "target_value": "目标值",
    "actual_value": "实际值",
    "indicator": "对应指标",
    "implementation_intro": "实施情况引语",
    "implementation": "实施情况",
    "performance_intro": "绩效情况引语",
    "performance": "主要绩效",
    "funds_management": "资金管理情况",
    "project_ref": "项目编号",
    "bands": "等级划分",
    "written": "成文时间",
    "status": "状态",
    "na_policy": "不适用指标处理",
    "reconstructed": "重构说明",
    "evaluator": "评价机构",
    "organization": "机构名称",
    "team": "工作组",
    "self_reference": "自称",
    "members": "成员",
    "basis": "评价依据",
    "intro": "开头语",
    "purpose": "评价目的",
    "process_intro": "评价过程引语",
    "process": "评价过程",
    "steps": "步骤",
    "methods": "评价方法",
    "standards": "评价标准",
    "payment_terms": "付款条款",
    "from_year": "起始年度",
    "advance_percent": "年初预付比例（%）",
    "advance_when": "预付时间",
    "settlement_when": "结算时间",
    "settlement": "结算方式",
    "min": "考评分下限",
    "share": "支付比例（%）",
    "note": "备注",
    "framework": "框架",
    "total": "总分",
    "weighted": "计分",
    "composition": "结构要求",
    "names": "一级指标",
    "max": "上限",
    "equals": "等于",
}


def label(path: str) -> str:
    """``project.unit.staffing.actual`` -> ``项目 · 项目单位 · 人员 · 实际``; list items count from 1."""
    parts = []
    for part in path.split("."):
        parts.append(f"第 {part} 项" if part.isdigit() else LABELS.get(part, part))
    return " · ".join(parts)


def flatten(data: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """(dotted path, scalar) for every scalar in nested dicts and lists; list items count from 1."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data, start=1):
            yield from flatten(value, f"{prefix}.{i}")
    else:
        yield prefix, data


def unflatten(rows: list[tuple[list[str], Any]]) -> dict[str, Any]:
    """Nested dicts and lists back from (path parts, value); numeric parts are list positions.

    Raises ValueError naming the clash when a path is both a value and a group."""
    root: dict[str, Any] = {}
    for parts, value in rows:
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt = parts[i + 1] if not last else None
            key: Any = int(part) if part.isdigit() else part
            if type(node) is dict and isinstance(key, int):
                raise ValueError("列表序号不能出现在此处")
            if type(node) is _Items and not isinstance(key, int):
                raise ValueError("此处应为序号（1、2、3……）")
            if last:
                if key in node and isinstance(node[key], dict | list):
                    raise ValueError("该字段另有下级字段，不能同时填写内容")
                node[key] = value
            else:
                child = node.get(key)
                if child is None:
                    child = {} if not (nxt and nxt.isdigit()) else _Items()
                    node[key] = child
                elif not isinstance(child, dict):
                    raise ValueError("该字段已填写内容，不能再有下级字段")
                node = child
    return _lists(root)


class _Items(dict):
    """A list being assembled from numbered rows (positions may arrive in any order)."""


def _lists(node: Any) -> Any:
    if isinstance(node, _Items):
        return [_lists(node[k]) for k in sorted(node)]
    if isinstance(node, dict):
        return {k: _lists(v) for k, v in node.items()}
    return node
