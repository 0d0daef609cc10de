"""The report's chart pictures, kept on disk between runs: a report whose charts show what they
showed last time is built without importing or running matplotlib (most of what a
``workbench report`` process would otherwise spend).

A picture's file name is the SHA-256 of everything that decides its pixels: the chart's data
(``reports.chart_data``, which is all ``reports.charts`` draws from), the drawing code
(``charts.py`` and ``chart_data.py``, as bytes) and the matplotlib version.  A change to any of
them is a new name, so nothing is ever stale and nothing needs clearing; the least recently used
files go once the folder holds more than ``MAX_FILES``.  The folder is ``charts`` under
``reports.disk_cache``'s.  A folder that cannot be read or written only means drawing every
time; a file that is not a PNG of a sane size is drawn again and replaced.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path

from workbench.disk_cache import cache_dir, ready, trim
from workbench.domain.ledger import Ledger
from workbench.domain.scoring import Scorecard
from workbench.reports import chart_data

MAX_FILES = 512  # a report has three pictures of ~100 KB: about 50 MB at most
MAX_BYTES = 8 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n"
HERE = Path(__file__).resolve().parent


@functools.cache
def _code_version() -> bytes:
    """The drawing code and matplotlib's version (read from its package, which is not imported)."""
    digest = hashlib.sha256()
    spec = importlib.util.find_spec("matplotlib")
    origin = Path(spec.origin) if spec and spec.origin else None
    version = origin.parent / "_version.py" if origin else None
    digest.update(version.read_bytes() if version and version.is_file() else b"?")
    for name in ("charts.py", "chart_data.py", "fonts.py"):
        digest.update((HERE / name).read_bytes())
    return digest.digest()


def key(name: str, data: object) -> str:
    """The file name of a chart's picture (its data's repr is exact: floats print round-trip)."""
    return hashlib.sha256(_code_version() + f"{name}\n{data!r}".encode()).hexdigest() + ".png"


def _read(path: Path) -> bytes | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        png = path.read_bytes()
        os.utime(path)  # used: the last to go when the folder is trimmed
    except OSError:
        return None
    return png if png.startswith(PNG) else None


def _write(name: str, png: bytes) -> None:
    folder = ready("charts")
    if folder is None:
        return  # a read-only or full disk: the report is made all the same
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(png)
        os.replace(tmp, folder / name)
    except OSError:
        return
    trim(folder, "*.png", MAX_FILES)


def report_charts(card: Scorecard, ledger: Ledger) -> dict[str, bytes]:
    """The report's charts as PNG bytes, by the names the templates use: read from the cache,
    or drawn (matplotlib imported only then) and kept."""
    folder = cache_dir("charts")
    images: dict[str, bytes] = {}
    for name, data in chart_data.report_chart_data(card, ledger).items():
        path = folder / key(name, data)
        found = _read(path)
        if found is None:
            from workbench.reports import charts  # matplotlib only when drawing

            found = charts.to_png(charts.DRAW[name](data))
            _write(path.name, found)
        images[name] = found
    return images
