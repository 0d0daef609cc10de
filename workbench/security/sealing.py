"""Secrets kept encrypted at rest with the national algorithms (等保 保密性, 密评): SM4 in GCM mode
(confidentiality and integrity) under a key derived with HKDF-SM3 from the server's secret key
(``tokens.secret_key``: ``WORKBENCH_SECRET_KEY`` or data/secret.key).

Used for the TOTP secrets in the users table: a copy of the database (a backup, a stolen file)
does not reveal anyone's second factor without the server's key.  A sealed value reads
``sm4gcm1$`` + URL-safe base64 of nonce, ciphertext and tag.  A value without that prefix is one
stored before sealing existed (migration 0005 seals those).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from workbench.security import tokens

PREFIX = "sm4gcm1$"
NONCE, TAG = 12, 16


class SealBroken(Exception):
    """The value cannot be opened with this server's key (another key, or altered)."""


def _key(secret: str | None, purpose: str) -> bytes:
    kdf = HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=f"workbench:{purpose}".encode())
    return kdf.derive((secret or tokens.secret_key()).encode())


def seal(plain: str, purpose: str, *, secret: str | None = None) -> str:
    """``plain`` encrypted for storage; ``purpose`` (e.g. "totp") separates keys by use."""
    nonce = os.urandom(NONCE)
    encryptor = Cipher(algorithms.SM4(_key(secret, purpose)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose.encode())
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return PREFIX + base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def unseal(value: str, purpose: str, *, secret: str | None = None) -> str:
    """The plain text of a sealed ``value`` (a value stored before sealing is returned as it is)."""
    if not is_sealed(value):
        return value
    try:
        raw = base64.urlsafe_b64decode(value[len(PREFIX) :].encode())
    except ValueError as exc:
        raise SealBroken("密文格式已损坏") from exc
    if len(raw) < NONCE + TAG:
        raise SealBroken("密文格式已损坏")
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    decryptor = Cipher(algorithms.SM4(_key(secret, purpose)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(purpose.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise SealBroken("与本服务器的密钥不符，或已被改动") from exc
