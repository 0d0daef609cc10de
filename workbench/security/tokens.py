"""Signed login tokens for the browser cookie, so a sign-in survives a page reload.

The token (itsdangerous, HMAC-SHA1 over a timestamped payload) names the user and a stamp of the
current password hash: it expires after the idle timeout, and changing or resetting the password
invalidates every token issued before.  The key comes from ``WORKBENCH_SECRET_KEY`` (set the same
value on every app server that shares a database), else from data/secret.key, created on first
use with owner-only permissions.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

ENV_KEY = "WORKBENCH_SECRET_KEY"
SALT = "workbench.login"
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "secret.key"


def secret_key(path: Path | None = None) -> str:
    """The signing key: the environment's, else the key file's (created when missing)."""
    configured = os.environ.get(ENV_KEY, "").strip()
    if configured:
        return configured
    path = path or DEFAULT_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def password_stamp(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _serializer(key: str, at: float | None) -> URLSafeTimedSerializer:
    """itsdangerous reads the clock itself; ``at`` (seconds since the epoch) replaces it."""

    class Clock(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() if at is None else at)

    return URLSafeTimedSerializer(key, salt=SALT, signer=Clock)


def sign(payload: dict[str, Any], key: str, at: float | None = None) -> str:
    return _serializer(key, at).dumps(payload)


def unsign(token: str, key: str, max_age_seconds: int, at: float | None = None) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, damaged or older than ``max_age_seconds``."""
    try:
        payload = _serializer(key, at).loads(token, max_age=max_age_seconds)
    except (SignatureExpired, BadSignature):
        return None
    return payload if isinstance(payload, dict) else None
