"""An audit record's 修改前 / 修改后 as a person reads them: "状态：定稿 → 重新打开", one line per
field that changed, fields named in the trade's words, long values cut.  The record itself keeps
the exact JSON (the export and the hash chain use that); this is only how the page shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.domain.limits import shown
from workbench.domain.messages import FIELD_LABELS

LABELS = {
    **FIELD_LABELS,
    "title": "名称",
    "project": "项目",
    "system": "指标体系",
    "scores": "评分",
    "inputs": "评分数据",
    "not_applicable": "不适用",
    "rationale": "评分说明",
    "evidence": "佐证依据",
    "source": "来源",
    "display_name": "姓名",
    "role": "角色",
    "organisation": "单位",
    "projects": "可访问项目",
    "active": "启用",
    "totp": "动态验证码",
    "locked": "锁定",
    "method": "计分方法",
    "experts": "专家组成员",
    "applied": "应用记录",
    "codes": "指标",
    "file": "文件",
    "mime": "文件类型",
    "size": "大小（字节）",
    "sha256": "SHA-256 校验值",
    "order": "顺序",
    "permissions": "权限",
    "scope": "项目范围",
    "note": "说明",
    "id": "编号",
    "indicators": "关联指标",
    "tables": "数据表",
    "cases": "案例",
    "systems": "指标体系数",
    "at": "时间",
    "by": "操作人",
    "written": "撰写日期",
    "evaluator": "评价机构",
}
VALUE_WORDS = {True: "是", False: "否", "mean": "算术平均", "trimmed_mean": "去掉最高分和最低分后平均"}
CUT = 80  # characters of one value shown on the page


def change_text(before: Any, after: Any) -> tuple[str, str]:
    """(修改前, 修改后) as text: for two mappings only the fields that differ, else each whole."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        return _fields(before, keys), _fields(after, keys)
    return _whole(before), _whole(after)


def _whole(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return _fields(value, list(value))
    return value_text(value)


def _fields(values: Mapping[str, Any], keys: list[str]) -> str:
    return "；".join(f"{label(k)}：{value_text(values.get(k))}" for k in keys)


def label(key: Any) -> str:
    return LABELS.get(str(key), str(key))


def value_text(value: Any) -> str:
    """One value in words: 空 for nothing, 是/否, lists joined with 、, mappings as 名称 值."""
    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if isinstance(value, bool) or (isinstance(value, str) and value in VALUE_WORDS):
        return VALUE_WORDS[value]
    if isinstance(value, Mapping):
        text = "，".join(
            f"{label(k)} {value_text(v)}" for k, v in value.items() if v not in (None, "", [], {})
        )
    elif isinstance(value, list | tuple):
        text = "、".join(value_text(v) for v in value)
    else:
        text = str(value)
    return shown(text, CUT)
