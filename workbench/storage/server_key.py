"""Every app server on one database signs with one key: the database remembers which.

Login cookies, the audit chain's HMAC, sealed TOTP secrets and backups are all keyed by the
server's secret key (``security.tokens``).  A second app server started without the shared key
would make up its own (data/secret.key on its machine): its cookies would be refused by the first
server, its audit records would break the chain.  So the first start writes a fingerprint of the
key into ``security_settings`` (a key derived for this use only: it tells nothing about the key),
and every later start compares: a server whose key differs refuses to start, saying what to set.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from workbench.errors import InvalidInput
from workbench.security import tokens
from workbench.storage.tables import utcnow
from workbench.storage.tables_security import SettingRow

SETTING = "server_key"
BY = "system"


class ServerKeyMismatch(InvalidInput):
    """This server's key is not the one the database was first opened with."""


def fingerprint() -> str:
    return tokens.derived_key("key-fingerprint").hex()[:32]


def check(engine: Engine) -> None:
    """Record this server's key fingerprint on the first start; refuse a different key later."""
    mine = fingerprint()
    with engine.begin() as conn:
        found = conn.execute(sa.select(SettingRow.value).where(SettingRow.key == SETTING)).scalar()
        if found is None:
            now = utcnow()
            conn.execute(
                sa.insert(SettingRow).values(
                    key=SETTING, value={"fingerprint": mine}, version=1,
                    created_at=now, updated_at=now, created_by=BY, updated_by=BY,
                )
            )  # fmt: skip
            return
    if found.get("fingerprint") != mine:
        raise ServerKeyMismatch(
            f"本服务器的密钥与该数据库登记的密钥不一致（数据库登记指纹 {str(found.get('fingerprint'))[:8]}…，"
            f"本机 {mine[:8]}…）：同一数据库上的各台服务器必须使用同一把密钥。请把首台服务器的密钥设为环境变量 "
            f"{tokens.ENV_KEY}，或用 {tokens.ENV_KEY_FILE} 指向同一个密钥文件，再启动"
        )
