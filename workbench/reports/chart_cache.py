"""The report's chart pictures, kept on disk between runs: a report whose charts show what they
showed last time is built without importing or running matplotlib (most of what a
``workbench report`` process would otherwise spend).

A picture's file name is the SHA-256 of everything that decides its pixels: the chart's data
(``reports.chart_data``, which is all ``reports.charts`` draws from), the drawing code
(``charts.py`` and ``chart_data.py``, as bytes) and the matplotlib version.  A change to any of
them is a new name, so nothing is ever stale and nothing needs clearing; the oldest files go
once the folder holds more than ``MAX_FILES``.  The folder is ``WORKBENCH_CACHE_DIR`` or the
user's cache folder (``$XDG_CACHE_HOME/workbench/charts``, default ``~/.cache/…``).  A folder
that cannot be read or written only means drawing every time; a file that is not a PNG of a
sane size is drawn again and replaced.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import tempfile
from pathlib import Path

from workbench.domain.ledger import Ledger
from workbench.domain.scoring import Scorecard
from workbench.reports import chart_data

MAX_FILES = 512  # a report has three pictures of ~100 KB: about 50 MB at most
MAX_BYTES = 8 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n"
HERE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    explicit = os.environ.get("WORKBENCH_CACHE_DIR")
    if explicit:
        return Path(explicit) / "charts"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "workbench" / "charts"


@functools.cache
def _code_version() -> bytes:
    digest = hashlib.sha256(importlib.metadata.version("matplotlib").encode())
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


def _write(folder: Path, name: str, png: bytes) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(png)
        os.replace(tmp, folder / name)
        _trim(folder)
    except OSError:
        return  # a read-only or full disk: the report is made all the same


def _trim(folder: Path) -> None:
    files = sorted(folder.glob("*.png"), key=lambda p: p.stat().st_mtime_ns)
    for old in files[: max(0, len(files) - MAX_FILES)]:
        old.unlink(missing_ok=True)


def report_charts(card: Scorecard, ledger: Ledger) -> dict[str, bytes]:
    """The report's charts as PNG bytes, by the names the templates use: read from the cache,
    or drawn (matplotlib imported only then) and kept."""
    folder = cache_dir()
    images: dict[str, bytes] = {}
    for name, data in chart_data.report_chart_data(card, ledger).items():
        path = folder / key(name, data)
        found = _read(path)
        if found is None:
            from workbench.reports import charts  # matplotlib only when drawing

            found = charts.to_png(charts.DRAW[name](data))
            _write(folder, path.name, found)
        images[name] = found
    return images
