"""Open one worksheet of an .xlsx file quickly and safely (python-calamine), or say why not.

Every way a file can be unusable ends in one ``InvalidInput`` naming the file (and, where there is
one, the sheet, row and cell): missing, empty, not an .xlsx (old .xls, Word, CSV, damaged zip),
password-protected (encrypted), a sheet holding formulas.  Formulas are refused because an imported
score must be a figure someone typed: a formula's cached value may be stale, and files written by
programs often carry no cached value at all.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import python_calamine as calamine
from openpyxl.utils import get_column_letter

from workbench.errors import InvalidInput, NotFound, Problem
from workbench.formats.xlsx_guard import MAX_AREA, check_package, scan_sheet

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: old .xls, or an encrypted .xlsx
OTHER_PACKAGES = (
    ("word/document.xml", "Word 文档"),
    ("ppt/presentation.xml", "PowerPoint 演示文稿"),
    ("xl/workbook.bin", "Excel 二进制工作簿（.xlsb）"),
    ("content.xml", "OpenDocument 文档（.ods/.odt）"),
)
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (calamine counts from 0, Excel from 1)."""
    return get_column_letter(index + 1)


@dataclass
class Sheet:
    """The cells of one worksheet as calamine reads them: row i is Excel row i + 1."""

    file: str
    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> Any:
        line = self.rows[row] if row < len(self.rows) else ()
        return line[col] if col < len(line) else ""

    def place(self, row: int, col: int | None = None) -> str:
        where = f"工作表「{self.name}」第 {row + 1} 行"
        return f"{where}（{column_letter(col)}{row + 1} 单元格）" if col is not None else where

    def problem(self, message: str, row: int | None = None, col: int | None = None, **kw: Any) -> Problem:
        place = self.place(row, col) if row is not None else f"工作表「{self.name}」"
        return Problem(message, file=self.file, place=place, **kw)


class Workbook:
    """An opened .xlsx: sheet names, and one sheet at a time with its formula check."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.file = self.path.name
        _check_file(self.path)
        check_package(self.path, self.file)
        try:
            self._book = calamine.CalamineWorkbook.from_path(str(self.path))
        except calamine.PasswordError as exc:
            raise _bad(
                self.file, "工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码后另存再导入"
            ) from exc
        except (calamine.CalamineError, OSError, ValueError) as exc:
            raise _bad(self.file, "文件已损坏或不是有效的 Excel 工作簿（.xlsx），无法打开") from exc
        self.names = [
            m.name
            for m in self._book.sheets_metadata
            if m.typ == calamine.SheetTypeEnum.WorkSheet and m.visible == calamine.SheetVisibleEnum.Visible
        ]
        self._xml: dict[str, bytes] = {}
        if not self.names:
            raise _bad(self.file, "工作簿中没有可见的工作表")

    def sheet(self, name: str) -> Sheet:
        if name not in self._book.sheet_names:
            raise NotFound(
                [Problem(f"没有名为「{name}」的工作表，现有：{'、'.join(self.names)}", file=self.file)]
            )
        scan = scan_sheet(self.path, self.file, name, self._sheet_member(name))
        try:
            raw = self._book.get_sheet_by_name(name)
            rows = raw.to_python(skip_empty_area=False)
            merged = list(raw.merged_cell_ranges or [])
        except (calamine.CalamineError, ValueError) as exc:
            raise _bad(self.file, f"工作表「{name}」已损坏，无法读取") from exc
        _check_merges(self.file, name, merged)
        sheet = Sheet(self.file, name, rows, merged)
        self._xml = {name: scan.xml}  # the last sheet read: the formula check follows
        return sheet

    def refuse_formulas(self, sheet: Sheet) -> None:
        """Raise when the sheet holds any formula cell, naming the first one."""
        xml = self._xml.pop(sheet.name, b"")
        found = _first_formula(xml)
        if found is None:
            return
        ref, text, count = found
        row = int(re.sub(r"[A-Z]", "", ref) or 0)
        more = f"（本表共 {count} 个公式单元格）" if count > 1 else ""
        raise InvalidInput(
            [
                Problem(
                    f"单元格是公式“={text}”{more}；导入只接受直接填写的数值和文字，"
                    "请在 Excel 中复制该区域后“选择性粘贴 → 数值”，保存后再导入",
                    file=self.file,
                    place=f"工作表「{sheet.name}」第 {row} 行（{ref} 单元格）",
                )
            ]
        )

    def _sheet_member(self, name: str) -> str:
        """The zip member holding the named worksheet (workbook.xml and its relationships, both
        bounded and checked by ``check_package``)."""
        with zipfile.ZipFile(self.path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            try:
                rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            except KeyError:
                return ""
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG_REL}Relationship")}
        for node in book.iter(f"{NS_MAIN}sheet"):
            if node.get("name") == name:
                target = targets.get(node.get(f"{NS_REL}id"), "")
                return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        return ""  # pragma: no cover - calamine found the sheet, so the package lists it


def _check_merges(file: str, sheet: str, merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Merged ranges are filled cell by cell below the header: their total area is bounded too."""
    area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for (r0, c0), (r1, c1) in merged)
    if area > MAX_AREA:
        raise InvalidInput(
            [
                Problem(
                    f"合并单元格共覆盖 {area:,} 个单元格，超过上限 {MAX_AREA:,} 个",
                    file=file,
                    place=f"工作表「{sheet}」",
                )
            ]
        )


def _bad(file: str, message: str) -> InvalidInput:
    return InvalidInput([Problem(message, file=file)])


def _check_file(path: Path) -> None:
    file = path.name
    if not path.exists():
        raise NotFound([Problem("文件不存在", file=str(path))])
    if path.is_dir():
        raise _bad(str(path), "这是一个文件夹，请选择 .xlsx 文件")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise _bad(file, "文件是空的（0 字节），不是 Excel 工作簿")
    if head.startswith(CFB_MAGIC):
        if _encrypted(path):
            raise _bad(file, "工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码后另存再导入")
        raise _bad(
            file,
            "这是旧版 Excel 97-2003 工作簿（.xls）；请在 Excel 中“另存为 → Excel 工作簿（.xlsx）”后再导入",
        )
    if not head.startswith(ZIP_MAGIC):
        raise _bad(
            file,
            "不是 Excel 工作簿（.xlsx）：文件内容不是 .xlsx 格式（可能是 CSV、文本或其他文档），请在 Excel 中另存为 .xlsx",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise _bad(file, "文件已损坏或不是有效的 Excel 工作簿（.xlsx），无法打开") from exc
    if "xl/workbook.xml" not in names:
        kind = next((k for member, k in OTHER_PACKAGES if member in names), "压缩包或其他文档")
        raise _bad(file, f"不是 Excel 工作簿（.xlsx）：文件是{kind}；请在 Excel 或 WPS 中另存为 .xlsx")


def _encrypted(path: Path) -> bool:
    """An encrypted OOXML package is an OLE container holding an ``EncryptedPackage`` stream."""
    try:
        probe = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        return True
    except (calamine.CalamineError, OSError, ValueError):
        return "EncryptedPackage".encode("utf-16-le") in path.read_bytes()[:1_000_000]
    probe.close()
    return False


def _first_formula(xml: bytes) -> tuple[str, str, int] | None:
    """(cell reference, formula text, number of formula cells) of the first formula, or None."""
    start = xml.find(b"sheetData")
    if start < 0:
        return None
    lt = xml.rfind(b"<", 0, start)
    prefix = xml[lt + 1 : start]  # b"" or a namespace prefix such as b"x:"
    tags = [b"<" + prefix + b"f" + end for end in (b">", b" ", b"/")]
    hits = [pos for pos in (xml.find(tag, start) for tag in tags) if pos >= 0]
    if not hits:
        return None
    pos = min(hits)
    count = sum(xml.count(tag, start) for tag in tags)
    cell_start = xml.rfind(b"<" + prefix + b"c ", start, pos)
    match = re.search(rb'\sr="([A-Z]+[0-9]+)"', xml[cell_start:pos]) if cell_start >= 0 else None
    ref = match.group(1).decode() if match else "?"
    close = xml.find(b">", pos)
    body_end = xml.find(b"</" + prefix + b"f>", close)
    text = "" if xml[close - 1 : close] == b"/" or body_end < 0 else xml[close + 1 : body_end].decode("utf-8")
    return ref, html.unescape(text) or "（共享公式）", count
