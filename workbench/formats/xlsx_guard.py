"""Bounds checked on an .xlsx package before any of it is parsed, so no upload can exhaust memory.

An .xlsx is a zip of XML parts.  Three kinds of file have taken the server down: a few KB holding
one cell at XFD1048576 (the reader builds a dense grid from A1 to that cell: 17 billion cells), a
deflate bomb (4 MB inflating to gigabytes), and a sheet inflating to hundreds of MB.  So, before
the reader (python-calamine) sees the file:

* ``check_package`` — the zip's directory only: the number of parts, every part's declared
  inflated size and compression ratio, the total, the number of worksheets; then the small parts the
  reader parses when it opens the workbook (workbook, styles, shared strings...) are inflated once,
  capped at their declared size, so a part that lies about its size fails its checksum here;
* ``scan_sheet`` — one worksheet's XML, inflated in the same capped way: the declared
  ``<dimension>``, the last row and column actually used, and the formula cells.  The area from A1
  to the last used cell is what the reader allocates, so it is bounded before the sheet is read.

Every refusal is one ``InvalidInput`` naming the file, the sheet where there is one, and the limit.
"""

from __future__ import annotations

import re
import string
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InvalidInput, Problem

MiB = 1024 * 1024
MAX_FILE_BYTES = 50 * MiB  # the file as uploaded
MAX_PARTS = 2000  # zip members; a workbook has tens
MAX_SHEETS = 100  # worksheets in one workbook
MAX_SHEET_BYTES = 128 * MiB  # one worksheet's XML inflated (100,000 score rows are ~40 MB)
MAX_PART_BYTES = 32 * MiB  # any other part (shared strings, styles, workbook...) inflated
MAX_TOTAL_BYTES = 256 * MiB  # all parts inflated
MAX_RATIO = 200  # inflated / compressed, for parts over RATIO_FLOOR (XML compresses 5-30 times)
RATIO_FLOOR = 1 * MiB
MAX_COLUMNS = 256  # columns A..IV; a score table has about ten
MAX_AREA = 4_000_000  # cells from A1 to the last used cell (100,000 rows x 8 columns is 800,000)
MAX_SHARED_STRINGS = 2_000_000
CHUNK = 4 * MiB

_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_MEDIA = ("xl/media/", "xl/embeddings/", "docProps/thumbnail")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)([0-9]*)(?::([A-Z]*)([0-9]*))?"')
_UNIQUE_COUNT = re.compile(rb'uniqueCount="([0-9]+)"')


def excel_column(number: int) -> str:
    """1 -> A, 27 -> AA.  openpyxl is imported here, not at the top: importing it loads the whole
    package, which commands that never read a workbook should not pay for."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"XFD" -> 16384 (any length: a hostile file may write more letters)."""
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


def _mb(size: int) -> str:
    return f"{size / MiB:,.1f} MB"


def _refuse(file: str, message: str, sheet: str | None = None) -> InvalidInput:
    place = f"工作表「{sheet}」" if sheet else None
    return InvalidInput([Problem(message, file=file, place=place)])


def check_package(path: Path, file: str) -> None:
    """Refuse a package whose directory or opening parts exceed the limits (nothing parsed yet)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(file, f"文件过大（{_mb(size)}），超过上限 {_mb(MAX_FILE_BYTES)}；评分表通常只有几十 KB")
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _refuse(
                file, f"压缩包内有 {len(parts):,} 个部件，超过上限 {MAX_PARTS:,} 个，不像正常的 Excel 工作簿"
            )
        sheets = [p for p in parts if _SHEET_PART.match(p.filename)]
        if len(sheets) > MAX_SHEETS:
            raise _refuse(file, f"工作簿有 {len(sheets):,} 个工作表，超过上限 {MAX_SHEETS} 个")
        total = 0
        for part in parts:
            _check_part(file, part)
            total += part.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(
                file, f"工作簿解压后共 {_mb(total)}，超过上限 {_mb(MAX_TOTAL_BYTES)}；请确认选对了文件"
            )
        for part in parts:
            if not _SHEET_PART.match(part.filename) and not part.filename.startswith(_MEDIA):
                head = _inflate(archive, part, file, None, keep=part.filename == "xl/sharedStrings.xml")
                if head:
                    _check_shared_strings(file, head)


def _check_part(file: str, part: zipfile.ZipInfo) -> None:
    limit = MAX_SHEET_BYTES if _SHEET_PART.match(part.filename) else MAX_PART_BYTES
    if part.file_size > limit:
        raise _refuse(
            file,
            f"工作簿部件“{part.filename}”解压后有 {_mb(part.file_size)}，超过上限 {_mb(limit)}；"
            "文件可能是压缩炸弹或并非正常保存的工作簿",
        )
    ratio = part.file_size / max(part.compress_size, 1)
    if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        raise _refuse(
            file,
            f"工作簿部件“{part.filename}”的压缩比为 {ratio:,.0f} 倍，超过上限 {MAX_RATIO} 倍；"
            "文件可能是压缩炸弹，未读取",
        )


def _inflate(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, file: str, sheet: str | None, *, keep: bool = False
) -> bytes:
    """The part inflated, never past its declared size (``zipfile`` stops there and then checks the
    CRC, so a part that lies about its size is refused here); returns the first chunk when ``keep``."""
    first = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                if keep and not first:
                    first = chunk
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse(
            file,
            f"工作簿部件“{part.filename}”已损坏（解压后的内容与记录的大小或校验值不符），未读取",
            sheet,
        ) from exc
    return first


def _check_shared_strings(file: str, head: bytes) -> None:
    found = _UNIQUE_COUNT.search(head[:4096])
    if found and int(found.group(1)) > MAX_SHARED_STRINGS:
        raise _refuse(
            file,
            f"共享字符串表声明了 {int(found.group(1)):,} 个字符串，超过上限 {MAX_SHARED_STRINGS:,} 个",
        )


@dataclass
class SheetScan:
    """What ``scan_sheet`` found in a worksheet's XML."""

    xml: bytes = b""  # the worksheet's XML (read once: the formula scan uses it too)
    last_row: int = 0  # 1-based; 0 for an empty sheet
    last_column: int = 0  # 1-based


def check_area(file: str, sheet: str, rows: int, columns: int, what: str) -> None:
    """Refuse an area (from A1) wider than MAX_COLUMNS or larger than MAX_AREA cells."""
    corner = f"{excel_column(min(max(columns, 1), 16384))}{rows}"
    if columns > MAX_COLUMNS or rows * columns > MAX_AREA:
        raise _refuse(
            file,
            f"{what}为 A1:{corner}（{rows:,} 行 × {columns:,} 列），超过上限"
            f"（最多 {MAX_COLUMNS} 列、{MAX_AREA:,} 个单元格）；"
            "评分表通常只有几十到几百行、十来列，请删除表格以外远处的内容后另存再导入",
            sheet,
        )


def declared_corner(file: str, sheet: str, head: bytes) -> tuple[str, str] | None:
    """The bottom-right corner (column letters, row digits) of the ``<dimension ref="A1:H120"/>`` the
    sheet declares, once its area is within the limits (readers may size buffers from it)."""
    found = _DIMENSION.search(head)
    if not found:
        return None
    col = (found.group(3) if found.group(3) is not None else found.group(1)) or b"A"
    row = (found.group(4) if found.group(4) is not None else found.group(2)) or b"1"
    check_area(file, sheet, int(row[:10]), column_number(col[:10]), "工作表声明的使用区域")
    return col.decode(), row.decode()


def _at_most(bound: str, alphabet: str) -> str:
    """A regex for the strings over ``alphabet`` that sort at or below ``bound`` as positions do
    (fewer characters, or as many and not greater): ``H`` -> A..H, ``120`` -> 0..120."""
    low, high = alphabet[0], alphabet[-1]
    parts = [bound]
    if len(bound) > 1:
        parts.append(f"[{low}-{high}]{{1,{len(bound) - 1}}}")
    for i, char in enumerate(bound):
        k = alphabet.index(char)
        rest = len(bound) - i - 1
        if k > 0:
            parts.append(
                bound[:i] + f"[{low}-{alphabet[k - 1]}]" + (f"[{low}-{high}]{{{rest}}}" if rest else "")
            )
    return "(?:" + "|".join(parts) + ")"


def _all_within(xml: bytes, start: int, prefix: bytes, corner: tuple[str, str]) -> bool:
    """True when every cell states a position (first) inside A1:corner: one regex pass, no list."""
    inside = _at_most(corner[0], string.ascii_uppercase) + _at_most(corner[1], string.digits)
    tag = re.escape(b"<" + prefix + b"c")
    outside = re.compile(tag + rb"(?=[\s>/])(?!\s+r=\"" + inside.encode() + rb'")')
    return outside.search(xml, start) is None


def scan_sheet(path: Path, file: str, sheet: str, member: str) -> SheetScan:
    """Bound one worksheet before it is read: declared dimension, last used row and column."""
    with zipfile.ZipFile(path) as archive:
        try:
            part = archive.getinfo(member)
        except KeyError as exc:  # unbounded data must not reach the reader
            raise _refuse(file, "工作簿中找不到该工作表的数据部件，文件可能已损坏，未读取", sheet) from exc
        xml = _read_capped(archive, part, file, sheet)
    start = xml.find(b"sheetData")
    corner = declared_corner(file, sheet, xml[: start if start >= 0 else 4096][:65536])
    scan = SheetScan(xml)
    if start < 0:
        return scan
    lt = xml.rfind(b"<", 0, start)
    prefix = xml[lt + 1 : start]  # b"" or a namespace prefix such as b"x:"
    corner = corner or _likely_corner(xml, start, prefix)
    if corner is not None and _all_within(xml, start, prefix, corner):
        scan.last_row, scan.last_column = int(corner[1]), column_number(corner[0].encode())
        check_area(file, sheet, scan.last_row, scan.last_column, "工作表使用的区域")
        return scan  # every cell lies within the corner: one regex pass, no list of cells
    scan.last_row, scan.last_column = _last_cell(xml, start, prefix)
    check_area(file, sheet, scan.last_row, scan.last_column, "工作表使用的区域")
    return scan


def _read_capped(archive: zipfile.ZipFile, part: zipfile.ZipInfo, file: str, sheet: str) -> bytes:
    if part.file_size > MAX_SHEET_BYTES:  # pragma: no cover - check_package refused it already
        raise _refuse(file, f"工作表解压后有 {_mb(part.file_size)}，超过上限 {_mb(MAX_SHEET_BYTES)}", sheet)
    try:
        return archive.read(part)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse(
            file, "工作表数据已损坏（解压后的内容与记录的大小或校验值不符），未读取", sheet
        ) from exc


def _likely_corner(xml: bytes, start: int, prefix: bytes) -> tuple[str, str] | None:
    """Where the used area probably ends when the sheet declares no dimension (some writers omit
    it): the last cell of the first and last 64 KB of cells.  Only a guess, checked by
    ``_all_within``."""
    window = 65536
    head = xml[start : start + window]
    tail = xml[max(start, len(xml) - window) :]
    rows, cols = zip(_last_cell(head, 0, prefix), _last_cell(tail, 0, prefix), strict=True)
    if not max(rows) or not max(cols):
        return None
    return excel_column(min(max(cols), 16384)), str(max(rows))


def _last_cell(xml: bytes, start: int, prefix: bytes) -> tuple[int, int]:
    """(last row, last column), 1-based, an upper bound of where the reader places cells (the
    slow path: a list of every cell).  A cell's position is its ``r="H12"``; a cell without one
    goes after the previous one, and a row without a number after the previous row, so each such
    element adds one to the bound."""
    p = re.escape(prefix)
    rows = re.compile(rb"<" + p + rb'row(?: r="([0-9]{1,9})")?[\s>/]').findall(xml, start)
    cells = re.compile(rb"<" + p + rb'c(?: r="([A-Z]{1,10})([0-9]{1,9})")?[\s>/]').findall(xml, start)
    columns, numbers = (set(c) for c in zip(*cells, strict=True)) if cells else (set(), set())
    numbers |= set(rows)
    last_row = max(map(int, numbers - {b""}), default=0)
    if b"" in numbers:
        last_row += rows.count(b"") + sum(1 for c in cells if not c[0])
    widest = max(columns - {b""}, key=lambda c: (len(c), c), default=b"")
    last_column = column_number(widest)
    if b"" in columns:
        last_column += sum(1 for c in cells if not c[0])
    return last_row, last_column
