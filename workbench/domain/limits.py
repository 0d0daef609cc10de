"""What a value in this trade can be: the bounds every input is held to before it is stored.

Money is in 万元 (a whole province's yearly budget is below 10^9 万元; a line in 元 below 10^13),
scores and weights are at most a few hundred, rates are percentages: no honest number reaches
10^15, and one that does (``1e999999``, a 5,000-digit integer) would only make every later sum,
rounding or report of the evaluation fail.  Text fields are bounded (a reason is a paragraph, a
narrative a few pages), and ids and codes match a safe pattern because they name files, audit
objects and links.  Pure functions: the domain models call them from their validators.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

MAX_DIGITS = 15
MAX_MAGNITUDE = Decimal(10) ** MAX_DIGITS
# What a figure typed into a project's forms or workbook may reach: no project figure (万元, 元, 分)
# comes near a trillion, so a larger one is a slip of unit or digits, said so before storage's limit.
MAX_FIGURE = Decimal(10) ** 12
MAX_REASON = 2_000  # a reason (扣分理由, 退回/重新打开理由) is a sentence or a paragraph
MAX_TEXT = 20_000  # characters in one text field (a narrative section is a few thousand)
MAX_ID = 80
MAX_SCORE_TABLE_ROWS = 5000  # a score table has tens to hundreds of rows; far more means a wrong sheet
MAX_FILE_NAME_BYTES = 255  # what every common file system allows for one name
_ID_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u200b-\u200f\u202a-\u202e\u2028-\u202f\u2060-\u2069\ufeff]")
# C0/C1 controls, bidi embeddings/overrides/isolates and marks, zero-width characters, BOM.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_RESERVED = re.compile(r"[<>:\"/\\|?*\x00-\x1f\x7f-\x9f]")  # each becomes "_" in a file name
_FORMAT = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")  # dropped from a file name


def bounded(value: Any) -> Any:
    """``value`` unchanged when every number in it is finite and below ``MAX_MAGNITUDE`` and
    every text within ``MAX_TEXT``; else ``ValueError`` with a Chinese reason."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal | int | float):
        check_number(value)
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"文字过长（{len(value):,} 个字符，最多 {MAX_TEXT:,} 个字符）")
    elif isinstance(value, dict):
        for key, item in value.items():
            bounded(key)
            bounded(item)
    elif isinstance(value, list | tuple):
        for item in value:
            bounded(item)
    return value


def check_number(value: Decimal | int | float) -> None:
    """Refuse a number that is not finite or is beyond what money and scores can be."""
    if isinstance(value, int):
        if abs(value) >= MAX_MAGNITUDE:
            raise ValueError(too_large())
        return
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("应为有限的数字（不能是无穷大或 NaN）")
    if number and number.adjusted() >= MAX_DIGITS:  # never abs(): 1e999999999 would overflow
        raise ValueError(too_large())


def too_large() -> str:
    return "数字过大：金额、分值、比率都不会达到 10 的 15 次方，请检查是否多写了位数或写错了指数"


def safe_id(value: str) -> str:
    """An id or code: one line of visible text that cannot name another path: no control, line
    break, bidi or zero-width character, no slash or backslash, no ``..``, no leading dot and no
    space at either end; at most ``MAX_ID`` characters."""
    if len(value) > MAX_ID:
        raise ValueError(f"编号过长（最多 {MAX_ID} 个字符）")
    if _ID_BAD.search(value) or ".." in value or value.startswith(".") or value != value.strip():
        raise ValueError(
            f"编号“{shown(value, 40)}”不可用：不能含换行、控制字符、斜杠“/”“\\”或“..”，"
            "不能以“.”或空格开头或结尾"
        )
    return value


def shown(value: Any, limit: int = 60) -> str:
    """A value as it may appear inside a message: one line, at most ``limit`` characters."""
    text = _INVISIBLE.sub("", str(value).replace("\n", " "))
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text):,} 个字符）"


def clean_file_name(name: str, default: str = "上传的文件") -> str:
    """The last path component of an uploaded file's name, safe to write and to show: Unicode
    NFC, bidi and zero-width characters dropped, control and reserved characters (NUL included)
    made "_", no leading dots, at most ``MAX_FILE_NAME_BYTES`` bytes in UTF-8 (extension kept)."""
    base = PureWindowsPath(PurePosixPath((name or "").replace("\x00", "_")).name).name
    base = unicodedata.normalize("NFC", base)
    base = _RESERVED.sub("_", _FORMAT.sub("", base)).strip(" .")
    if not base or set(base) <= {"."}:
        return default
    stem, dot, ext = base.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = base, ""
    suffix = f".{ext}" if ext else ""
    budget = MAX_FILE_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(" .") or default
    return stem + suffix
