"""Word report templates: every .docx in report_templates/ is one, named by its file stem.

Adding a template is dropping a .docx there (or pointing ``--template`` at a .docx path);
``WORKBENCH_TEMPLATES_DIR`` points the workbench at another folder.
"""

from __future__ import annotations

import functools
import os
import zipfile
from pathlib import Path

from workbench.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]


def templates_dir() -> Path:
    return Path(os.environ.get("WORKBENCH_TEMPLATES_DIR", ROOT / "report_templates"))


def available(folder: Path | None = None) -> dict[str, Path]:
    """Template name -> file, skipping Word's lock files (~$name.docx) and hidden files.  One
    directory scan (the 评分 page asks on every run, for its report button)."""
    folder = folder or templates_dir()
    try:
        with os.scandir(folder) as entries:
            found = [e for e in entries if e.name.endswith(".docx") and not e.name.startswith(("~$", "."))]
            files = sorted(e.name for e in found if e.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {name.removesuffix(".docx"): folder / name for name in files}


CORE = "docProps/core.xml"
TITLE = "{http://purl.org/dc/elements/1.1/}title"
MAX_CORE_BYTES = 64 * 1024  # the document properties are a few hundred bytes


def title(path: Path) -> str:
    """The template's name for people: the title in its document properties (Word: 文件 › 信息 ›
    属性 › 标题), e.g. "绩效评价报告（财预〔2020〕10号 附件3 提纲）"; the file's stem without one."""
    stat = path.stat()
    return _title(path, stat.st_mtime_ns, stat.st_size) or path.stem


@functools.lru_cache(maxsize=64)
def _title(path: Path, mtime_ns: int, size: int) -> str:
    """Read once per version of the file (the arguments after ``path`` key the cache)."""
    from xml.etree import ElementTree  # here: a report names its template without reading titles

    try:
        with zipfile.ZipFile(path) as package:
            if package.getinfo(CORE).file_size > MAX_CORE_BYTES:
                return ""
            found = ElementTree.fromstring(package.read(CORE)).find(TITLE)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return ""
    return " ".join((found.text or "").split()) if found is not None else ""


def resolve(name_or_path: str, folder: Path | None = None) -> Path:
    """A template by name (seed, mof2020, ...) or by the path of a .docx file."""
    found = available(folder)
    if name_or_path in found:
        return found[name_or_path]
    path = Path(name_or_path)
    if path.suffix.lower() == ".docx" and path.is_file():
        return path
    names = "、".join(found) or "（无）"
    where = folder or templates_dir()
    raise NotFound(f"找不到报告模板“{name_or_path}”；模板文件夹 {where} 中现有：{names}")
