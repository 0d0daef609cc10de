"""Checking an uploaded evidence file: type by content (not by name), size, and a safe name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype

from workbench.domain.limits import clean_file_name
from workbench.errors import InvalidInput, Problem

MAX_BYTES = 20 * 1024 * 1024
ALLOWED = {
    "application/pdf": ("pdf", "PDF 文档"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "Word 文档"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "Excel 工作簿"),
    "image/jpeg": ("jpg", "JPEG 图片"),
    "image/png": ("png", "PNG 图片"),
}
_ACTIVE = (
    b"<html",
    b"<script",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<!doctype html",
    b"javascript:",
    b"/javascript",
)


@dataclass(frozen=True)
class CheckedUpload:
    safe_name: str
    extension: str
    mime: str
    kind_label: str
    size: int
    sha256: str


def safe_name(name: str, extension: str, limit: int = 120) -> str:
    """The last path component, without control, bidi, zero-width or reserved characters, with
    the true extension (``limits.clean_file_name``), at most ``limit`` characters."""
    base = clean_file_name(name, "证据材料")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.lstrip(".") or "证据材料"
    return f"{stem[: limit - len(extension) - 1]}.{extension}"


def _active_content(data: bytes) -> str | None:
    """The marker of HTML or script inside a file, when there is one: such a file is a polyglot
    (a PDF that a browser would also run as a web page), not evidence."""
    lowered = data.lower()
    return next((m.decode() for m in _ACTIVE if m in lowered), None)


def check_upload(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> CheckedUpload:
    """Accept pdf/docx/xlsx/jpg/png by their content; refuse anything else with a Chinese reason."""
    shown = clean_file_name(name, "（无文件名）")
    if not data:
        raise InvalidInput([Problem("文件为空", file=shown)])
    if len(data) > max_bytes:
        raise InvalidInput(
            [
                Problem(
                    f"文件大小 {len(data) / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB",
                    file=shown,
                )
            ]
        )
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED:
        allowed = "、".join(label for _, label in ALLOWED.values())
        found = f"实际内容为 {mime}" if mime else "无法识别文件内容"
        raise InvalidInput([Problem(f"不支持的文件类型（{found}），只接受 {allowed}", file=shown)])
    marker = _active_content(data)
    if marker:
        raise InvalidInput(
            [Problem(f"文件中含有网页或脚本内容（{marker}），可能是伪装的文件，已拒绝", file=shown)]
        )
    extension, label = ALLOWED[mime]
    return CheckedUpload(
        safe_name=safe_name(name, extension),
        extension=extension,
        mime=mime,
        kind_label=label,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
