"""YAML in and out, keeping the line of every value so errors can name it.

Numbers with a fraction load as ``Decimal`` (never float), duplicate keys are refused, and
validation errors from pydantic become ``Problem`` lines naming file, line, indicator and field.

Every file is read under bounds, checked before the work they guard is done: at most
``MAX_BYTES`` of text (checked before reading), ``MAX_DEPTH`` levels of nesting and
``MAX_NODES`` values (counted while composing, so 50,000 nested brackets stop at level 41),
no aliases (``*name``: a 400-byte "billion laughs" file would expand to gigabytes, and a
self-referencing one never ends), keys only plain text or numbers, numbers within
``limits.MAX_MAGNITUDE`` (a 5,000-digit integer or ``1e999999`` is refused where it stands)
and dates that exist.  Each refusal is one Chinese ``Problem`` with file, line and field.

Why PyYAML with these guards rather than strictyaml: strictyaml (last release 2023) is built on
ruamel.yaml, refuses flow style and would need every model re-declared as its schema; the
files here are already validated by strict pydantic models, and what PyYAML lacked was only the
bounds above, which hook into its composer in a few lines.  The composer is PyYAML's Python one
(libyaml's composes a whole document before anything could count it), so the depth and alias
checks run before any deep structure is built; its events come from libyaml's parser when PyYAML
has it (six times faster than the pure-Python parser on the case files: most of loading a case).
A file libyaml refuses is read again by the pure-Python parser, so a YAML error reads as it
always has.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from workbench.domain.limits import check_number, shown
from workbench.domain.messages import field_label, translate
from workbench.errors import InvalidInput, Problem

Path_ = tuple[Any, ...]
M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 2 * 1024 * 1024  # a case file or an indicator system is tens of KB
MAX_DEPTH = 40  # an indicator tree of 10 levels nests about 20 deep
MAX_NODES = 200_000  # values in one file; the largest real file holds about 2,000
MAX_INT_DIGITS = 30  # an integer longer than this is refused before it is converted

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


class _Refused(Exception):
    """A bound broken while reading: the message and where (a YAML mark)."""

    def __init__(self, message: str, mark: Any, field: str | None = None):
        super().__init__(message)
        self.message, self.mark, self.field = message, mark, field


class _Bounded(Composer):
    """PyYAML's composer that refuses aliases and counts depth and values while composing."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("不支持锚点引用（“*名称”）：请把引用的内容直接写出", event.start_mark)
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"嵌套层级过深（超过 {MAX_DEPTH} 层），不是本系统的数据文件", event.start_mark)
        if self._nodes > MAX_NODES:
            raise _Refused(f"内容过多（超过 {MAX_NODES:,} 个值），不是本系统的数据文件", event.start_mark)
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


class _Loader(_Bounded, yaml.SafeLoader):
    """The pure-Python safe loader, bounded: its error messages are the ones users see."""


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _FastLoader(CParser, _Bounded, SafeConstructor, Resolver):  # type: ignore[misc]
        """libyaml's parser (events) under the bounded Python composer and the safe constructor."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        # CParser composes in C (no bounds): the Python composer's methods take precedence.
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node
        check_node = Composer.check_node
        get_node = Composer.get_node

    LOADERS: tuple[Any, ...] = (_FastLoader, _Loader)
else:  # pragma: no cover - PyYAML built without libyaml
    LOADERS = (_Loader,)


def _decimal_float(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = loader.construct_scalar(node).replace("_", "")  # type: ignore[arg-type]
    if len(text) > MAX_INT_DIGITS + 10:
        raise ValueError("数字位数过多")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    check_number(number)
    return number


def _bounded_int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = str(node.value)
    if sum(c.isdigit() for c in text) > MAX_INT_DIGITS:
        raise ValueError("数字位数过多（最多 30 位）")
    number = loader.construct_yaml_int(node)
    check_number(number)
    return number


def _checked_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"日期“{shown(node.value, 30)}”不存在（应为真实的日期，格式 YYYY-MM-DD）") from exc


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _checked_timestamp)
for _loader in LOADERS:
    _loader.yaml_constructors = _Loader.yaml_constructors


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
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("键应为文字或数字，不能用列表或映射作键", key_node.start_mark, _field(path))
            key = _scalar(key_node, loader, path)
            if key in out:
                line = key_node.start_mark.line + 1
                raise InvalidInput([Problem(f"键“{shown(key)}”重复出现", file=file, place=f"第 {line} 行")])
            out[key] = _convert(value_node, loader, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return _scalar(node, loader, path)


def _scalar(node: yaml.Node, loader: _Loader, path: Path_) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, TypeError) as exc:
        raise _Refused(str(exc), node.start_mark, _field(path)) from exc


def _field(path: Path_) -> str | None:
    names = [p for p in path if isinstance(p, str)]
    return field_label(names[-1]) if names else None


def parse_yaml(text: str, file: str) -> Located:
    if len(text) > MAX_BYTES:
        raise InvalidInput([_too_big(file)])
    if len(LOADERS) > 1:
        try:
            return _parse(LOADERS[0], text, file)
        except InvalidInput as exc:
            if not isinstance(exc.__cause__, yaml.YAMLError):
                raise  # refused by a bound, a duplicate key, a number: the same with either parser
    return _parse(_Loader, text, file)


def _parse(loader_type: type, text: str, file: str) -> Located:
    loader = None
    try:
        loader = loader_type(text)  # the pure-Python reader refuses control characters here
        root = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = {} if root is None else _convert(root, loader, (), lines, file)
    except _Refused as exc:
        place = f"第 {exc.mark.line + 1} 行" if exc.mark else None
        raise InvalidInput([Problem(exc.message, file=file, place=place, field=exc.field)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raw = str(exc.problem or exc.context or "")
        msg = _YAML_MESSAGES.get(raw, "")
        msg = f"YAML 格式错误：{msg}（{raw}）" if msg else f"YAML 格式错误：{raw}"
        place = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else None
        raise InvalidInput([Problem(msg, file=file, place=place)]) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        msg = f"文件含有不能出现在文本中的控制字符（#x{exc.character:04X}），请删除后再试"
        raise InvalidInput([Problem(msg, file=file, place=f"第 {line} 行")]) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(f"YAML 格式错误：{exc}", file=file)]) from exc
    finally:
        if loader is not None:
            loader.dispose()
    return Located(data, lines, file)


def _too_big(file: str) -> Problem:
    return Problem(f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），不是本系统的数据文件", file=file)


def read_yaml(path: Path) -> Located:
    if not path.is_file():
        raise InvalidInput([Problem("文件不存在", file=str(path))])
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput([_too_big(str(path))])
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


def read_optional(model: type[M], path: Path) -> M | None:
    """``model`` built from the YAML file at ``path``, or None when there is no such file: a
    case folder's optional parts.  A bad file is one Chinese problem per field, naming the file
    and line."""
    return build(model, read_yaml(path)) if path.exists() else None


def write_model(value: BaseModel, path: Path, header: str) -> Path:
    """``value`` as human-editable YAML (defaults left out) under a comment ``header``."""
    path.write_text(dump_yaml(value.model_dump(mode="python", exclude_defaults=True), header), "utf-8")
    return path
