"""Hostile .xlsx files, each the smallest that proves its point, written part by part with zipfile.

Each builder writes a minimal workbook (content types, workbook, one or more sheets) and returns the
path; ``HOSTILE`` maps a name to (builder, words the refusal must contain).
"""

from __future__ import annotations

import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from workbench.formats import xlsx_guard

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = f"{REL}/worksheet"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>一级指标</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>二级指标</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>分值</t></is></c><c r="D1" t="inlineStr"><is><t>得分</t></is></c></row>'
)


def sheet_xml(rows: str, dimension: str = "A1:D1", padding: bytes = b"") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode() + padding


def write_book(path: Path, sheets: list[bytes], extra: dict[str, bytes] | None = None) -> Path:
    entries = "".join(
        f'<sheet name="Sheet{i + 1}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(len(sheets))
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{SHEET_TYPE}" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets))
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(len(sheets))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        book.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f"<sheets>{entries}</sheets></workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}</Relationships>',
        )
        for i, xml in enumerate(sheets):
            book.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return path


def dense_far_cell(path: Path) -> Path:
    """A few KB: the header and one number at XFD1048576, the dimension saying so (as Excel does)."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return write_book(path, [sheet_xml(HEADER_ROW + far, "A1:XFD1048576")])


def far_cell_hidden(path: Path) -> Path:
    """The same far cell, the dimension claiming A1 only: the cells themselves are measured."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return write_book(path, [sheet_xml(HEADER_ROW + far, "A1")])


def far_row_in_a_cell(path: Path) -> Path:
    """A cell in row element 2 whose own reference says row 1048576 (the reader goes by the cell)."""
    far = '<row r="2"><c r="A1048576"><v>1</v></c><c r="IV2"><v>1</v></c></row>'
    return write_book(path, [sheet_xml(HEADER_ROW + far, "A1:D2")])


def deflate_bomb(path: Path) -> Path:
    """A sheet inflating a thousand times (8 MB from 8 KB): within the size limit, but no saved
    workbook compresses like that."""
    return write_book(path, [sheet_xml(HEADER_ROW, padding=b" " * (8 * xlsx_guard.MiB))])


def lying_bomb(path: Path) -> Path:
    """The same bomb with its directory claiming 2 KB inflated (so no size or ratio check sees it):
    inflating must stop at 2 KB."""
    deflate_bomb(path)
    return _declare_size(path, "xl/worksheets/sheet1.xml", 2048)


def huge_sheet(path: Path) -> Path:
    """A sheet inflating just past the worksheet limit at an ordinary ratio (about 80: a random
    20 KB block repeated), so only the size check can stop it."""
    block = bytes(random.Random(11).choices(b"abcdefghijklmnopqrstuvwxyz0123456789", k=20_000))
    pad = block * (xlsx_guard.MAX_SHEET_BYTES // len(block) + 1)
    return write_book(path, [sheet_xml(HEADER_ROW, padding=pad)])


def many_sheets(path: Path) -> Path:
    return write_book(path, [sheet_xml(HEADER_ROW)] * (xlsx_guard.MAX_SHEETS + 1))


def shared_strings_declared(path: Path) -> Path:
    """A shared-strings table announcing a billion strings (a reader may reserve room for them)."""
    table = f'<sst xmlns="{MAIN}" count="1000000000" uniqueCount="1000000000"><si><t>x</t></si></sst>'
    return write_book(path, [sheet_xml(HEADER_ROW)], {"xl/sharedStrings.xml": table.encode()})


def shared_strings_huge(path: Path) -> Path:
    """Tens of MB of tiny shared strings (millions of entries to allocate)."""
    count = xlsx_guard.MAX_PART_BYTES // 16 + 1
    table = f'<sst xmlns="{MAIN}"><si><t>x</t></si>'.encode() + b"<si><t>x</t></si>" * count + b"</sst>"
    return write_book(path, [sheet_xml(HEADER_ROW)], {"xl/sharedStrings.xml": table})


def _declare_size(path: Path, member: str, size: int) -> Path:
    """Overwrite the member's uncompressed size in its local header and central directory entry."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as book:
        info = book.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 46)
    path.write_bytes(bytes(data))
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "dense_far_cell": (dense_far_cell, "XFD1048576"),
    "far_cell_hidden": (far_cell_hidden, "XFD1048576"),
    "far_row_in_a_cell": (far_row_in_a_cell, "A1:IV1048576"),
    "deflate_bomb": (deflate_bomb, "压缩比"),
    "lying_bomb": (lying_bomb, "已损坏"),
    "huge_sheet": (huge_sheet, "超过上限"),
    "many_sheets": (many_sheets, f"超过上限 {xlsx_guard.MAX_SHEETS} 个"),
    "shared_strings_declared": (shared_strings_declared, "共享字符串表"),
    "shared_strings_huge": (shared_strings_huge, "xl/sharedStrings.xml"),
}
