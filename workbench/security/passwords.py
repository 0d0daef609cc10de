"""Password hashing (argon2id via argon2-cffi) and the password policy.

Policy defaults follow the usual 等保三级 test practice: at least 8 characters drawn from at least
three of the four classes (upper, lower, digit, symbol) — and not guessable: zxcvbn (Dropbox's
estimator: common passwords, dictionary words with l33t substitutions, keyboard walks, dates,
sequences) must judge it at least "safely unguessable" (score 3, ~10^8 guesses), so Password1,
P@ssw0rd or Admin@123 are refused though they have three classes.  The figures live in ``PasswordPolicy`` so
the 安全管理员 can change them through the security settings.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from workbench.errors import InvalidInput

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_STRENGTH = 3  # zxcvbn score: 3 = "safely unguessable" (about 10^8 guesses or more)
MAX_CHECKED = 100  # zxcvbn's time grows with length; a longer password is judged by its start


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
    from zxcvbn import zxcvbn  # its word lists take a while to load: only when a password is set

    if zxcvbn(password[:MAX_CHECKED], user_inputs=[username] if username else [])["score"] < MIN_STRENGTH:
        raise InvalidInput(
            "密码过于常见或容易猜到（如 Password1、P@ssw0rd、Admin@123 这类常用密码、单词变形、键盘顺序或连续数字），"
            "请换一个不常见的组合"
        )


@functools.cache
def _hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults, loaded when a password is first hashed or checked
    (commands and pages that never do so do not load it)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def locked_until(
    failures: list[datetime], now: datetime, policy: PasswordPolicy = PasswordPolicy()
) -> datetime | None:
    """When ``max_failures`` failures fall within the lockout window (older ones expire), the
    time the lock ends."""
    window = timedelta(minutes=policy.lockout_minutes)
    failures = [f for f in failures if now - f < window]
    if len(failures) < policy.max_failures:
        return None
    recent = sorted(failures)[-policy.max_failures :]
    until = recent[-1] + window
    return until if now < until else None
