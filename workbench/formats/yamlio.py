"""YAML in and out, keeping the line of every value so errors can name it.

Numbers with a fraction load as ``Decimal`` (never float), duplicate keys are refused, and
validation errors from pydantic become ``Problem`` lines naming file, line, indicator and field.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench.domain.messages import field_label, translate
from workbench.errors import InvalidInput, Problem

Path_ = tuple[Any, ...]
M = TypeVar("M", bound=BaseModel)

_YAML_MESSAGES = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（可能缺少缩进或冒号后未加空格）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "found undefined alias": "引用了未定义的锚点",
    "did not find expected key": "缩进不一致，未找到预期的键",
    "did not find expected node content": "缺少内容",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "expected <block end>, but found '<block sequence start>'": "列表缩进不一致",
    "found a tab character that violates indentation": "不能用 Tab 缩进，请改用空格",
}


class _Loader(yaml.SafeLoader):
    pass


def _decimal_float(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = loader.construct_scalar(node).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal_float)


class Located:
    """Parsed YAML data plus the line of every mapping key and list item."""

    def __init__(self, data: Any, lines: dict[Path_, int], file: str):
        self.data = data
        self.lines = lines
        self.file = file

    def line_of(self, path: Sequence[Any]) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def indicator_at(self, path: Sequence[Any]) -> str | None:
        """The code of the innermost mapping on ``path`` that has one (an indicator)."""
        node, code = self.data, None
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict) and "code" in node:
                code = str(node["code"])
        return code

    def problem(self, message: str, path: Sequence[Any] = (), field: str | None = None, **kw: Any) -> Problem:
        line = self.line_of(path)
        code = self.indicator_at(path)
        place = "，".join(x for x in (f"第 {line} 行" if line else "", f"指标 {code}" if code else "") if x)
        return Problem(message, file=self.file, place=place or None, field=field, **kw)


def _convert(node: yaml.Node, loader: _Loader, path: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                line = key_node.start_mark.line + 1
                raise InvalidInput([Problem(f"键“{key}”重复出现", file=file, place=f"第 {line} 行")])
            out[key] = _convert(value_node, loader, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> Located:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = {} if root is None else _convert(root, loader, (), lines, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raw = str(exc.problem or exc.context or "")
        msg = _YAML_MESSAGES.get(raw, "")
        msg = f"YAML 格式错误：{msg}（{raw}）" if msg else f"YAML 格式错误：{raw}"
        place = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else None
        raise InvalidInput([Problem(msg, file=file, place=place)]) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(f"YAML 格式错误：{exc}", file=file)]) from exc
    finally:
        loader.dispose()
    return Located(data, lines, file)


def read_yaml(path: Path) -> Located:
    if not path.exists():
        raise InvalidInput([Problem("文件不存在", file=str(path))])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem("文件不是 UTF-8 编码的文本", file=str(path))]) from exc
    located = parse_yaml(text, str(path))
    if not isinstance(located.data, dict):
        raise InvalidInput([Problem("文件内容应为“键: 值”形式的映射", file=str(path))])
    return located


def validation_problems(exc: ValidationError, located: Located, base: Path_ = ()) -> list[Problem]:
    out = []
    for err in exc.errors():
        path = (*base, *err["loc"])
        fields = [p for p in err["loc"] if isinstance(p, str)]
        label = field_label(fields[-1]) if fields and err["type"] != "extra_forbidden" else None
        out.append(located.problem(translate(err), path, field=label))
    return out


def build(model: type[M], located: Located, data: Any = None, base: Path_ = ()) -> M:
    """Validate ``data`` (default: the whole file) into ``model`` or raise every problem."""
    try:
        return model.model_validate(located.data if data is None else data)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, located, base)) from exc


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        as_int = value.to_integral_value()
        return int(as_int) if value == as_int else float(value) if len(str(value)) < 16 else str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: Any, header: str = "") -> str:
    """Human-editable YAML: Chinese kept as is, key order kept, decimals as plain numbers."""
    body = yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    prefix = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return prefix + body
