"""Signed login tokens for the browser cookie, and the server's secret key.

The token (itsdangerous, HMAC-SHA1 over a timestamped payload) names the user, the server-side
session (``login_sessions``) and the token's number in it: it expires after the idle timeout and
is refused once the session ended or a newer token was issued (``services.auth``).  The key comes
from ``WORKBENCH_SECRET_KEY`` (set the same value on every app server that shares a database),
else from the file ``WORKBENCH_SECRET_KEY_FILE`` names, else data/secret.key; a missing file is
created on first use with owner-only permissions (32 random bytes in URL-safe base64: 64 hex
digits held fewer than 16 distinct characters about once in 40 keys).  A database remembers the
key it was first opened with (``storage.server_key``): a server with another key refuses to start.

The key also seals TOTP secrets, keys the audit chain and signs backups, so a weak one is refused
(``WeakSecretKey``): at least ``MIN_KEY_CHARS`` characters (32 random bytes written in base64 are
43; in hex 64) with at least ``MIN_DISTINCT`` different characters.  Make one with
``python -c "import secrets; print(secrets.token_urlsafe(32))"``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from workbench.errors import InvalidInput

ENV_KEY = "WORKBENCH_SECRET_KEY"
ENV_KEY_FILE = "WORKBENCH_SECRET_KEY_FILE"  # a key file elsewhere (e.g. one every app server mounts)
SALT = "workbench.login"
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "secret.key"
MIN_KEY_CHARS = 43  # 32 random bytes in URL-safe base64
MIN_DISTINCT = 16


class WeakSecretKey(InvalidInput):
    """The configured key is too short or too uniform to protect sessions, seals and the audit chain."""


def key_file() -> Path:
    configured = os.environ.get(ENV_KEY_FILE, "").strip()
    return Path(configured) if configured else DEFAULT_FILE


def secret_key(path: Path | None = None) -> str:
    """The signing key: the environment's, else the key file's (created when missing); a weak
    one raises ``WeakSecretKey``."""
    configured = os.environ.get(ENV_KEY, "").strip()
    if configured:
        return checked_key(configured, f"环境变量 {ENV_KEY}")
    path = path or key_file()
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
    return checked_key(path.read_text().strip(), f"密钥文件 {path}")


def derived_key(purpose: str, secret: str | None = None) -> bytes:
    """A key for one use (``audit-chain``, ``backup``) derived from the server's secret key."""
    return hmac.new(
        (secret or secret_key()).encode(), f"workbench:{purpose}".encode(), hashlib.sha256
    ).digest()


def checked_key(key: str, where: str) -> str:
    if _random_hex(key):  # a key file of 32 random bytes in hex, as earlier releases wrote them
        return key
    if len(key) < MIN_KEY_CHARS or len(set(key)) < MIN_DISTINCT:
        raise WeakSecretKey(
            f"{where} 中的服务器密钥太弱（{len(key)} 个字符，{len(set(key))} 种不同字符）：至少须 "
            f"{MIN_KEY_CHARS} 个字符（相当于 32 字节随机数的 base64）、{MIN_DISTINCT} 种以上不同字符。"
            '可用 python -c "import secrets; print(secrets.token_urlsafe(32))" 生成；工作台拒绝以弱密钥启动'
        )
    return key


def _random_hex(key: str) -> bool:
    """64 or more hex digits using most of the 16 (not "aaaa…" or "0123…" repeated)."""
    return len(key) >= 64 and all(c in "0123456789abcdef" for c in key) and len(set(key)) >= 12


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
