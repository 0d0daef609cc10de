"""The audit chain's anchor: the newest record's sequence number and hash, written down outside
the database after every append, so ``workbench audit verify`` finds records cut off the end of
the chain, a log emptied, or a chain rewritten — which the chain alone cannot show.

One small file per database (named by a digest of its URL) in the folder of the server's secret
key (data/audit-anchors/), or in ``WORKBENCH_AUDIT_ANCHOR_DIR``: a place the database's owner
does not reach through the database.  The file is a log of JSON lines, one per move, the last
whole line the anchor: a move appends its line under an exclusive lock (a rename for every save
cost more than the rest of the anchor), and never moves the anchor backwards (two processes may
finish out of order).  A line cut short (the process died while writing it) is not JSON and is
passed over, so the anchor is the move before — as when the process died between commit and
anchor: an anchor that lags only weakens the check.  When the log grows past ``COMPACT_BYTES``
it is replaced, atomically (temporary file, then rename), by its last line.  A file of the
earlier format (one JSON object, no line end) reads as a log of one line.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from workbench.domain.audit import Anchor
from workbench.security import tokens

ENV_DIR = "WORKBENCH_AUDIT_ANCHOR_DIR"


def identity(bind: Any) -> str:
    """What names a database in the anchor folder: its URL without the password."""
    return str(bind.url.render_as_string(hide_password=True))


def folder() -> Path:
    configured = os.environ.get(ENV_DIR, "").strip()
    return Path(configured) if configured else tokens.key_file().parent / "audit-anchors"


def anchor_path(url: str) -> Path:
    name = hashlib.sha256(url.encode()).hexdigest()[:24]
    return folder() / f"{name}.json"


COMPACT_BYTES = 64 * 1024  # about 600 moves
TAIL_BYTES = 4096  # the last line is within the file's last few hundred bytes


def read(url: str) -> Anchor | None:
    """The anchor of the database at ``url`` (None when none was ever written here)."""
    try:
        with open(anchor_path(url), "rb") as file:
            return _last(_tail(file))
    except FileNotFoundError:
        return None


def _tail(file: Any) -> bytes:
    size = file.seek(0, os.SEEK_END)
    file.seek(max(0, size - TAIL_BYTES))
    return bytes(file.read())


def _last(tail: bytes) -> Anchor:
    """The last whole line's anchor (unreadable: ``Anchor(-1, "")``, which verify reports rather
    than passing silently)."""
    for line in reversed(tail.splitlines()):
        try:
            data = json.loads(line)
            return Anchor(int(data["seq"]), str(data["hash"]))
        except (ValueError, KeyError, TypeError):
            continue
    return Anchor(-1, "")


def _lock_file(path: Path) -> IO[str]:
    """The lock file beside ``path`` opened (its folder made at the first write only)."""
    try:
        return open(path.with_suffix(".lock"), "a")  # closed by the caller's ``with``
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path.with_suffix(".lock"), "a")  # closed by the caller's ``with``


def write(url: str, anchor: Anchor) -> None:
    """Move the anchor forward to ``anchor`` (never backwards)."""
    path = anchor_path(url)
    line = json.dumps({"url": url, "seq": anchor.seq, "hash": anchor.hash}).encode() + b"\n"
    with _lock_file(path) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with open(path, "a+b") as file:
            tail = _tail(file)
            if tail and _last(tail).seq >= anchor.seq:
                return
            if file.tell() < COMPACT_BYTES:
                file.write(line if not tail or tail.endswith(b"\n") else b"\n" + line)
                return
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(line)
        os.replace(tmp, path)
