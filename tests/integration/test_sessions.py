"""Sessions kept on the server and single-use second factors, on SQLite and PostgreSQL: signing
out, a password change, a reset, disabling and a role change end every session of the account;
each new cookie token makes the older ones invalid; a TOTP code works once; a right password
without its code counts as a failure; turning one's own TOTP off needs the password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from actors import EVALUATOR, PASSWORD, SECADMIN, SYSADMIN, add_accounts, audit_rows

from workbench.errors import Forbidden, InvalidInput
from workbench.services import auth, users

KEY = "sessions-test-key-0123456789-abcdefghijklmnop"


def signed_in(db, name="zhang", password=PASSWORD, code=""):
    return auth.login(db.uow(), name, password, code)


def cookie(db, session):
    return auth.login_token(db.uow(), session, key=KEY)


def still_signs_in(db, token) -> bool:
    try:
        auth.resume(db.uow(), token, key=KEY)
    except auth.SessionEnded:
        return False
    return True


def test_a_cookie_captured_before_signing_out_no_longer_signs_in(empty_db):
    add_accounts(empty_db, EVALUATOR)
    session = signed_in(empty_db)
    captured = cookie(empty_db, session)
    assert still_signs_in(empty_db, captured)

    auth.logout(empty_db.uow(), session)

    assert not still_signs_in(empty_db, captured)
    with pytest.raises(auth.SessionEnded, match="已退出登录"):
        auth.check_session(empty_db.uow(), session)
    refused = [r for r in audit_rows(empty_db) if r.event == "恢复会话"][-1]
    assert refused.result == "失败" and "会话已结束" in refused.detail


def test_an_older_token_is_refused_once_a_newer_one_is_issued(empty_db):
    add_accounts(empty_db, EVALUATOR)
    session = signed_in(empty_db)
    older = cookie(empty_db, session)
    newer = cookie(empty_db, session)

    assert not still_signs_in(empty_db, older)
    assert still_signs_in(empty_db, newer)
    resumed = [r for r in audit_rows(empty_db) if r.event == "恢复会话"]
    assert [r.result for r in resumed] == ["失败", "成功"]  # resuming from a cookie is audited


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(empty_db):
    add_accounts(empty_db, EVALUATOR)
    here, elsewhere = signed_in(empty_db), signed_in(empty_db)
    elsewhere_cookie = cookie(empty_db, elsewhere)

    users.change_password(empty_db.uow(), EVALUATOR, PASSWORD, "New#Pass2024", keep_session=here.session_id)

    assert not still_signs_in(empty_db, elsewhere_cookie)
    with pytest.raises(auth.SessionEnded, match="密码已修改"):
        auth.check_session(empty_db.uow(), elsewhere)
    assert auth.check_session(empty_db.uow(), here).username == "zhang"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda db, v: users.reset_password(db.uow(), SYSADMIN, "zhang", "Reset#2024x"), "密码已被重置"),
        (lambda db, v: users.set_active(db.uow(), SYSADMIN, "zhang", False), "账号已停用"),
        (lambda db, v: users.update_user(db.uow(), SECADMIN, "zhang", {"role": "领导"}, v), "角色已变更"),
    ],
    ids=["reset", "disabled", "role changed"],
)
def test_an_administrators_change_ends_every_session_of_the_account(empty_db, change, reason):
    add_accounts(empty_db, EVALUATOR, SYSADMIN, SECADMIN)
    first, second = signed_in(empty_db), signed_in(empty_db)
    tokens = [cookie(empty_db, first), cookie(empty_db, second)]
    version = next(u.version for u in users.list_users(empty_db.uow(), SYSADMIN) if u.username == "zhang")

    change(empty_db, version)

    assert not any(still_signs_in(empty_db, t) for t in tokens)
    for session in (first, second):
        with pytest.raises(auth.SessionEnded):
            auth.check_session(empty_db.uow(), session)
    ended = [r for r in audit_rows(empty_db) if r.event == "结束会话"][-1]
    assert ended.detail == f"{reason}：结束 2 个会话"


def with_totp(db):
    add_accounts(db, EVALUATOR)
    setup = users.start_totp(EVALUATOR)
    users.enable_totp(db.uow(), EVALUATOR, setup.secret, pyotp.TOTP(setup.secret).now())
    return pyotp.TOTP(setup.secret)


def test_a_totp_code_is_accepted_only_once(empty_db):
    otp = with_totp(empty_db)
    now = datetime.now(UTC)
    code = otp.at(now + timedelta(seconds=30))  # the next step: newer than the one used to enable
    at = now + timedelta(seconds=30)

    assert auth.login(empty_db.uow(), "zhang", PASSWORD, code, now=at).username == "zhang"
    with pytest.raises(InvalidInput, match="动态验证码不正确或已使用过"):
        auth.login(empty_db.uow(), "zhang", PASSWORD, code, now=at)
    replay = [r for r in audit_rows(empty_db) if r.event == "登录"][-1]
    assert replay.result == "失败" and replay.detail.startswith("动态验证码错误或已使用过")


def test_a_right_password_without_the_code_counts_as_a_failure(empty_db):
    with_totp(empty_db)
    for _ in range(4):
        with pytest.raises(auth.SecondFactorRequired):
            signed_in(empty_db)
    with pytest.raises(Forbidden, match="账号已锁定"):  # the fifth: the lock shows to whom knows the password
        signed_in(empty_db)
    details = [r.detail for r in audit_rows(empty_db) if r.event == "登录"]
    assert details[0] == "未输入动态验证码（15 分钟内第 1 次）"


def test_turning_ones_own_totp_off_needs_the_password(empty_db):
    otp = with_totp(empty_db)
    with pytest.raises(InvalidInput, match="密码不正确，动态验证码未停用"):
        users.disable_totp(empty_db.uow(), EVALUATOR, "zhang", "Wrong#pass1")
    with pytest.raises(InvalidInput):
        users.disable_totp(empty_db.uow(), EVALUATOR, "zhang")
    assert [r.result for r in audit_rows(empty_db) if r.event == "停用动态验证码"] == ["失败", "失败"]

    off = users.disable_totp(empty_db.uow(), EVALUATOR, "zhang", PASSWORD)

    assert off.totp_enabled is False and otp.now()
    assert signed_in(empty_db).username == "zhang"
