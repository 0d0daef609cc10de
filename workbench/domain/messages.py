"""Turn pydantic validation errors into one readable Chinese line each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.domain.limits import shown

FIELD_LABELS = {
    "code": "代码",
    "name": "名称",
    "weight": "分值",
    "explanation": "指标解释",
    "criteria": "评分标准",
    "formula": "计算公式",
    "rule": "评分规则",
    "kind": "规则类型",
    "children": "下级指标",
    "indicators": "指标",
    "total": "总分",
    "target": "目标值",
    "actual": "实际值",
    "amount": "金额",
    "unit": "单位",
    "year": "年度",
    "category": "支出类别",
    "total_investment": "总投资",
    "arranged": "安排资金",
    "received": "到位资金",
    "paid": "已支付",
    "stated_spend": "所述支出",
    "points": "扣分",
    "reason": "扣分理由",
    "deductions": "扣分事项",
    "points_per_item": "每处扣分",
    "steps": "分档",
    "tiers": "档位",
    "min": "下限",
    "max": "上限",
    "share": "得分比例",
    "label": "名称",
    "bands": "等级",
    "tier": "档位",
    "score": "得分",
    "value": "比率",
    "numerator": "分子",
    "denominator": "分母",
    "title": "标题",
    "text": "内容",
    "status": "状态",
    "na_reason": "不适用理由",
}

_TYPE_MESSAGES = {
    "missing": "缺少必填项",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "dict_type": "应为“键: 值”形式的映射",
    "model_type": "应为“键: 值”形式的映射",
    "model_attributes_type": "应为“键: 值”形式的映射",
    "list_type": "应为列表（每项以“- ”开头）",
    "string_type": "应为文字",
    "finite_number": "应为有限的数字（不能是无穷大或 NaN）",
    "recursion_loop": "内容自我引用（循环）",
}


def field_label(name: Any) -> str:
    return FIELD_LABELS.get(str(name), str(name))


def translate(err: Mapping[str, Any]) -> str:
    """One pydantic error dict -> one Chinese sentence (without the location)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    given = shown(err.get("input"))  # a 10 MB text or a 5,000-digit number is not repeated
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    if kind in {"decimal_parsing", "float_parsing", "int_parsing", "decimal_type", "float_type", "int_type"}:
        return f"应为数字，实际为“{given}”"
    if kind in {"int_from_float"}:
        return f"应为整数，实际为“{given}”"
    if kind == "greater_than_equal":
        if str(ctx.get("ge")) == "0":
            return f"不能为负数，填写的是 {given}"
        return f"不能小于 {ctx.get('ge')}，填写的是 {given}"
    if kind == "greater_than":
        if str(ctx.get("gt")) == "0":
            return f"应大于 0，填写的是 {given}"
        return f"应大于 {ctx.get('gt')}，填写的是 {given}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}，填写的是 {given}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}，填写的是 {given}"
    if kind == "string_too_long":
        return f"过长（最多 {ctx.get('max_length')} 个字符）"
    if kind == "extra_forbidden":
        loc = err.get("loc") or ("?",)
        return f"未知字段“{loc[-1]}”（可能是拼写错误，或放错了层级）"
    if kind == "literal_error":
        return f"应为 {ctx.get('expected', '')} 之一，实际为“{given}”"
    if kind in {"value_error", "assertion_error"}:
        msg = str(err.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            msg = msg.removeprefix(prefix)
        return msg
    if kind in {"decimal_max_places", "decimal_max_digits"}:
        return f"小数位数过多：{given}"
    return str(err.get("msg", "格式不正确"))


def first_error(exc: Any) -> str:
    """The first error of a ``ValidationError`` with its field, as one Chinese line."""
    err = exc.errors()[0]
    fields = [field_label(p) for p in err["loc"] if isinstance(p, str)]
    where = f"字段「{fields[-1]}」" if fields else ""
    return f"{where}{translate(err)}" if not where else f"{where}：{translate(err)}"
