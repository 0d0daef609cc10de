"""Word report templates: every .docx in report_templates/ is one, named by its file stem.

Adding a template is dropping a .docx there (or pointing ``--template`` at a .docx path);
``WORKBENCH_TEMPLATES_DIR`` points the workbench at another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]


def templates_dir() -> Path:
    return Path(os.environ.get("WORKBENCH_TEMPLATES_DIR", ROOT / "report_templates"))


def available(folder: Path | None = None) -> dict[str, Path]:
    """Template name -> file, skipping Word's lock files (~$name.docx) and hidden files."""
    folder = folder or templates_dir()
    if not folder.is_dir():
        return {}
    return {
        path.stem: path
        for path in sorted(folder.glob("*.docx"))
        if not path.name.startswith(("~$", ".")) and path.is_file()
    }


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
