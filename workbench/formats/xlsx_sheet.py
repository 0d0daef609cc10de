"""Open one worksheet of an .xlsx file quickly and safely (python-calamine), or say why not.

Every way a file can be unusable ends in one ``InvalidInput`` naming the file (and, where there is
one, the sheet, row and cell): missing, empty, not an .xlsx (old .xls, Word, CSV, damaged zip),
password-protected (encrypted), too large (``xlsx_guard`` bounds every part before it is read).
Formula cells are read as Excel saved them (their cached values); ``formula_cells`` lists them, and
which of them carry no saved value, so the importer can say so.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine as calamine

from workbench.errors import InvalidInput, NotFound, Problem
from workbench.formats.xlsx_guard import MAX_AREA, check_package, excel_column, scan_sheet

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


def _column_index(letters: str) -> int:
    """A -> 0, AA -> 26 (Excel's letters to calamine's index)."""
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters) - 1


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (calamine counts from 0, Excel from 1)."""
    return excel_column(index + 1)


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

    def formula_cells(self, sheet: Sheet) -> list[FormulaCell]:
        """The sheet's formula cells (the reader gives their cached values, as Excel saved them)."""
        return _formula_cells(self._xml.pop(sheet.name, b""))

    def refuse_unsaved_formulas(self, sheet: Sheet) -> None:
        """For a sheet filled in by hand (call right after ``sheet``): formula results are taken as
        Excel saved them; a formula saved without its result is named by cell, never guessed."""
        unsaved = [f for f in self.formula_cells(sheet) if not f.cached]
        if unsaved:
            raise InvalidInput(
                [
                    sheet.problem(
                        f"单元格是公式{f.shown}，但文件中没有保存计算结果；请在 Excel 或 WPS 中打开、保存后再导入，或改填数值",
                        f.row,
                        f.col,
                    )
                    for f in unsaved[:20]
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
                joined = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                return posixpath.normpath(joined)
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


@dataclass(frozen=True, slots=True)
class FormulaCell:
    ref: str  # "F28"
    row: int  # 0-based, as Sheet.rows
    col: int
    text: str  # the formula without "=", or "" for a cell sharing another cell's formula
    cached: bool  # Excel saved its result (the value calamine reads)

    @property
    def shown(self) -> str:
        return f"“={self.text}”" if self.text else "（共享公式）"


_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
MAX_FORMULAS = 100_000


def _formula_cells(xml: bytes) -> list[FormulaCell]:
    """Each formula cell of a worksheet's XML: reference, formula text, whether a value is saved."""
    start = xml.find(b"sheetData")
    if start < 0:
        return []
    lt = xml.rfind(b"<", 0, start)
    prefix = xml[lt + 1 : start]  # b"" or a namespace prefix such as b"x:"
    if all(xml.find(b"<" + prefix + b"f" + end, start) < 0 for end in (b">", b" ", b"/")):
        return []  # the usual sheet: no formula (three fast searches, no regex pass)
    tag = re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]")
    cell_open, cell_close = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
    found: list[FormulaCell] = []
    for hit in tag.finditer(xml, start):
        pos = hit.start()
        begin = xml.rfind(cell_open, start, pos)
        end = xml.find(cell_close, pos)
        ref = _REF.search(xml, begin, xml.find(b">", begin)) if begin >= 0 else None
        if ref is None or end < 0:
            continue
        letters, digits = ref.group(1).decode(), int(ref.group(2))
        close = xml.find(b">", pos)
        body_end = xml.find(b"</" + prefix + b"f>", close, end)
        self_closing = xml[close - 1 : close] == b"/"
        text = (
            "" if self_closing or body_end < 0 else html.unescape(xml[close + 1 : body_end].decode("utf-8"))
        )
        cached = _VALUE.search(xml, pos, end) is not None
        found.append(FormulaCell(f"{letters}{digits}", digits - 1, _column_index(letters), text, cached))
        if len(found) >= MAX_FORMULAS:
            break
    return found
