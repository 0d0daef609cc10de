"""Where the report's kept files live between runs (``WORKBENCH_CACHE_DIR``, else the user's cache
folder: ``$XDG_CACHE_HOME/workbench``, default ``~/.cache/workbench``), and the bound on each kind.

Two kinds, both keyed by content so nothing is ever stale: the chart pictures
(``reports.chart_cache``) and the compiled Word templates (``reports.render``: jinja's own
bytecode cache).  Each kind keeps at most a bounded number of files, the least recently used
going first.  A folder that cannot be made or written only means doing the work every time.
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
