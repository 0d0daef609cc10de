"""Report context + a .docx template -> document bytes (docxtpl, autoescaped, strict).

The template is a Word document with Jinja tags.  Rendering is strict: a tag naming data the
context lacks stops with a Chinese message naming the template and the missing item, instead of
printing an empty gap in a report leaders read.  Tables whose alt-text title (Word: 表格属性 →
可选文字 → 标题) reads ``纵向合并:1,2`` get equal cells of those columns merged downwards.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from docxtpl import __version__ as DOCXTPL_VERSION
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from lxml import etree

from workbench.disk_cache import ready, trim
from workbench.errors import InvalidInput
from workbench.reports.text import cn_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHART_WIDTH = Mm(150)
LISTING_TEXT = re.compile(
    r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]"
)  # a text run docxtpl's listing pass would change
MERGE_MARK = re.compile(r"^\s*纵向合并\s*[:：]\s*([\d,，\s]+)$")
NUMBER_MARK = re.compile(r"〔([表图]):([A-Za-z_]\w*)〕")


MAX_COMPILED = 64  # compiled template parts kept (a template has a body and a few headers)


class _KeptEnvironment(Environment):
    """Jinja, keeping the templates it compiles (jinja's own bytecode cache, on disk): docxtpl
    compiles each part of the .docx from a string on every report, which is most of rendering.
    A part's file is named by a hash of its source and of this environment's settings, so an
    edited template or a changed setting compiles anew."""

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        cache = self.bytecode_cache
        if cache is None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        settings = f"{self.autoescape}|{self.undefined.__name__}|{sorted(self.filters)}|{source}"
        bucket = cache.get_bucket(self, hashlib.sha256(settings.encode()).hexdigest(), None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            try:
                cache.set_bucket(bucket)
                trim(Path(cache.directory), "*.cache", MAX_COMPILED)  # type: ignore[attr-defined]
            except OSError:
                pass  # a read-only or full disk: compiled again next time
        cls = template_class or self.template_class
        return cls.from_code(self, bucket.code, self.make_globals(globals), None)


def jinja_env() -> Environment:
    folder = ready("templates")
    cache = FileSystemBytecodeCache(str(folder), "%s.cache") if folder else None
    env = _KeptEnvironment(autoescape=True, undefined=StrictUndefined, bytecode_cache=cache)
    env.filters["cn"] = cn_number
    return env


class _KeptTemplate(DocxTemplate):
    """docxtpl's template, keeping the Jinja source it makes of each part on disk: ``patch_xml``
    cleans Word's run markup out of every tag with regular expressions over the whole part, about
    a fifth of rendering.  The file is named by a hash of the part's XML and docxtpl's version and
    starts with a hash of what follows, so a damaged file is made again, not rendered."""

    def patch_xml(self, src_xml: str) -> str:
        folder = ready("templates")
        if folder is None:
            return str(super().patch_xml(src_xml))
        path = folder / (hashlib.sha256(f"{DOCXTPL_VERSION}\n{src_xml}".encode()).hexdigest() + ".xml")
        kept = _read_kept(path)
        if kept is not None:
            return kept
        patched = str(super().patch_xml(src_xml))
        _keep(path, patched)
        return patched

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's pass turning tabs, line and page breaks inside text into Word's elements,
        run only when some text holds one: it rewrites every paragraph of the document with
        nested regular expressions (about 7 ms a report) and changes nothing otherwise."""
        if LISTING_TEXT.search(xml) is None:
            return xml
        return str(super().resolve_listing(xml))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _read_kept(path: Path) -> str | None:
    try:
        head, _, text = path.read_text("utf-8").partition("\n")
        if head != _digest(text):
            return None
        os.utime(path)  # used: the last to go when the folder is trimmed
    except (OSError, UnicodeDecodeError):
        return None
    return text


def _keep(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all (two reports may keep the same part at once)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{_digest(text)}\n{text}")
        os.replace(tmp, path)
        trim(path.parent, "*.xml", MAX_COMPILED)
    except OSError:
        pass  # a read-only or full disk: made again next time


def open_template(path: Path) -> DocxTemplate:
    tpl = _KeptTemplate(path)
    try:
        tpl.init_docx()
        return tpl
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInput(f"报告模板“{path.name}”无法打开：不是有效的 Word 文档（.docx）") from exc


def undeclared(path: Path, context: dict[str, Any]) -> set[str]:
    """Top-level names the template uses that the context does not provide."""
    return open_template(path).get_undeclared_template_variables(jinja_env(), context)


def render_docx(path: Path, context: dict[str, Any], charts: dict[str, bytes] | None = None) -> bytes:
    tpl = open_template(path)
    data = dict(context)
    if charts:
        data["charts"] = {
            name: InlineImage(tpl, io.BytesIO(png), width=CHART_WIDTH) if png else ""
            for name, png in {**context.get("charts", {}), **charts}.items()
        }
        data["has_charts"] = True
    try:
        tpl.render(data, jinja_env=jinja_env(), autoescape=True)
    except TemplateSyntaxError as exc:
        near = "".join(getattr(exc, "docx_context", []) or []).strip()[:60]
        raise InvalidInput(f"报告模板“{path.name}”有语法错误：{exc.message}（附近文字：{near}）") from exc
    except UndefinedError as exc:
        missing = "、".join(sorted(undeclared(path, context))) or exc.message
        raise InvalidInput(f"报告模板“{path.name}”使用了报告数据中没有的内容：{missing}") from exc
    except TemplateError as exc:
        raise InvalidInput(f"报告模板“{path.name}”无法生成报告：{exc}") from exc
    merge_marked_tables(tpl.docx.element.body)
    number_captions(tpl.docx.element.body)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- vertical merges ----------------------------------------------------------------------


def _columns(tbl: etree._Element) -> list[int]:
    caption = tbl.find(f"{W}tblPr/{W}tblCaption")
    match = MERGE_MARK.match(caption.get(f"{W}val", "")) if caption is not None else None
    if not match:
        return []
    return sorted({int(n) - 1 for n in re.split(r"[,，\s]+", match[1]) if n.strip().isdigit() and int(n) > 0})


def _text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{W}t"))


def _set_merge(tc: etree._Element, value: str | None) -> None:
    """Mark a cell as the start (restart) or a continuation (None) of a vertical merge."""
    pr = tc.find(f"{W}tcPr")
    if pr is None:
        pr = etree.SubElement(tc, f"{W}tcPr")
        tc.insert(0, pr)
    merge = etree.Element(f"{W}vMerge")
    if value:
        merge.set(f"{W}val", value)
    anchor = next((pr.find(f"{W}{n}") for n in ("gridSpan", "tcW") if pr.find(f"{W}{n}") is not None), None)
    pr.insert(pr.index(anchor) + 1 if anchor is not None else 0, merge)
    align = etree.SubElement(pr, f"{W}vAlign")
    align.set(f"{W}val", "center")
    if value is None:
        for p in tc.findall(f"{W}p"):
            for child in [c for c in p if c.tag != f"{W}pPr"]:
                p.remove(child)


def merge_table(tbl: etree._Element, columns: list[int]) -> None:
    """Merge runs of equal, non-empty cells downwards; a column merges only inside its parent's run."""
    starts: dict[int, tuple[tuple[str, ...], etree._Element, bool]] = {}
    for tr in tbl.findall(f"{W}tr"):
        if tr.find(f"{W}trPr/{W}tblHeader") is not None:
            continue
        cells = tr.findall(f"{W}tc")
        key: tuple[str, ...] = ()
        for col in columns:
            if col >= len(cells):
                break
            key = (*key, _text(cells[col]))
            start = starts.get(col)
            if key[-1] and start and start[0] == key:
                if not start[2]:
                    _set_merge(start[1], "restart")
                    starts[col] = (key, start[1], True)
                _set_merge(cells[col], None)
            else:
                starts[col] = (key, cells[col], False)


def merge_marked_tables(body: etree._Element) -> None:
    for tbl in body.iter(f"{W}tbl"):
        columns = _columns(tbl)
        if columns:
            merge_table(tbl, columns)


# --- table and figure numbers ------------------------------------------------------------


def number_captions(body: etree._Element) -> dict[str, int]:
    """Number the captions (a paragraph starting with 〔表:key〕 or 〔图:key〕) in the order the
    finished report shows them, then write 表N / 图N for every mark, in captions and references.
    A table or figure the case leaves out takes no number, so numbering stays continuous."""
    numbers: dict[str, int] = {}
    counters = {"表": 0, "图": 0}
    texts = list(body.iter(f"{W}t"))
    for p in body.iter(f"{W}p"):
        head = "".join(t.text or "" for t in p.iter(f"{W}t")).lstrip()
        m = NUMBER_MARK.match(head)
        if m and m.group(0) not in numbers:
            counters[m[1]] += 1
            numbers[m.group(0)] = counters[m[1]]
    for t in texts:
        if t.text and "〔" in t.text:
            t.text = NUMBER_MARK.sub(lambda m: f"{m[1]}{numbers.get(m.group(0), '')}", t.text)
    return numbers
