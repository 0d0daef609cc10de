"""Password hashing (argon2id via argon2-cffi) and the password policy.

Policy defaults follow the usual 等保三级 test practice: at least 8 characters drawn from at least
three of the four classes (upper, lower, digit, symbol).  The figures live in ``PasswordPolicy`` so
the 安全管理员 can change them through the security settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from workbench.errors import InvalidInput

_HASHER = PasswordHasher()


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    min_classes: int = 3
    max_failures: int = 5
    lockout_minutes: int = 15
    idle_timeout_minutes: int = 30
    max_age_days: int = 90


def character_classes(password: str) -> int:
    classes = [
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


def check_complexity(password: str, policy: PasswordPolicy = PasswordPolicy(), username: str = "") -> None:
    if len(password) < policy.min_length:
        raise InvalidInput(f"密码至少 {policy.min_length} 位，当前 {len(password)} 位")
    if character_classes(password) < policy.min_classes:
        raise InvalidInput(f"密码须包含大写字母、小写字母、数字、符号中的至少 {policy.min_classes} 类")
    if username and username.lower() in password.lower():
        raise InvalidInput("密码不能包含用户名")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def locked_until(
    failures: list[datetime], now: datetime, policy: PasswordPolicy = PasswordPolicy()
) -> datetime | None:
    """When ``max_failures`` consecutive failures fall within the lockout window, the time the lock ends."""
    if len(failures) < policy.max_failures:
        return None
    window = timedelta(minutes=policy.lockout_minutes)
    recent = sorted(failures)[-policy.max_failures :]
    until = recent[-1] + window
    return until if now < until else None
