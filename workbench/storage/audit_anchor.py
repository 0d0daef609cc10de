"""The audit chain's anchor: the newest record's sequence number and hash, written down outside
the database after every append, so ``workbench audit verify`` finds records cut off the end of
the chain, a log emptied, or a chain rewritten — which the chain alone cannot show.

One small JSON file per database (named by a digest of its URL) in the folder of the server's
secret key (data/audit-anchors/), or in ``WORKBENCH_AUDIT_ANCHOR_DIR``: a place the database's
owner does not reach through the database.  Writes are atomic (temporary file, then rename) under
an exclusive lock, and never move the anchor backwards (two processes may finish out of order).
An anchor that lags (the process died between commit and anchor) only weakens the check.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import Any

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


def read(url: str) -> Anchor | None:
    """The anchor of the database at ``url`` (None when none was ever written here)."""
    try:
        data = json.loads(anchor_path(url).read_text())
        return Anchor(int(data["seq"]), str(data["hash"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return Anchor(-1, "")  # unreadable: verify reports it rather than passing silently


def write(url: str, anchor: Anchor) -> None:
    """Move the anchor forward to ``anchor`` (never backwards)."""
    path = anchor_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read(url)
        if current is not None and current.seq >= anchor.seq:
            return
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"url": url, "seq": anchor.seq, "hash": anchor.hash}))
        os.replace(tmp, path)
