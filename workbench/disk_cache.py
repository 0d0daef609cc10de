"""Files kept between runs of a process (``WORKBENCH_CACHE_DIR``, else the user's cache folder:
``$XDG_CACHE_HOME/workbench``, default ``~/.cache/workbench``), one folder per kind.

| kind        | key (the file's name)                                    | kept by                 | bound |
|-------------|----------------------------------------------------------|-------------------------|-------|
| charts      | the chart's data, the drawing code, matplotlib's version | ``reports.chart_cache`` | 512   |
| templates   | a template part's source and jinja's settings (compiled) | ``reports.render``      | 64    |
| templates   | a template part's XML and docxtpl's version (its Jinja)  | ``reports.render``      | 64    |
| schema      | the migration files' names, sizes and times              | ``storage.schema_check``| 16    |

Every key is the content it stands for, so nothing is ever stale and nothing needs clearing; the
least recently used files go first.  A folder that cannot be made or written only means doing
the work every time.  (In-memory caches are on the database handle: ``workbench.caching``.)
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    explicit = os.environ.get("WORKBENCH_CACHE_DIR")
    if explicit:
        return Path(explicit) / kind
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "workbench" / kind


def ready(kind: str) -> Path | None:
    """The folder of ``kind``, made (readable by its owner only) if need be; None if it cannot be."""
    folder = cache_dir(kind)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if folder.is_dir() and os.access(folder, os.W_OK) else None


def trim(folder: Path, pattern: str, max_files: int) -> None:
    """Keep the ``max_files`` most recently used files matching ``pattern``."""
    try:
        files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
        for old in files[: max(0, len(files) - max_files)]:
            old.unlink(missing_ok=True)
    except OSError:
        return
