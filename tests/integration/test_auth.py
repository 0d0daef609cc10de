"""Accounts and signing in, on SQLite and PostgreSQL: no default account, the first
administrator, complexity, lockout, TOTP, idle timeout, the reload token, and every attempt audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import sqlalchemy as sa
from actors import CLI, EVALUATOR, PASSWORD, SECADMIN, SYSADMIN, add_accounts, audit_rows

from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import auth, users

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
KEY = "test-signing-key"


def login(db, password=PASSWORD, code="", *, at=T0, name="zhang"):
    return auth.login(db.uow(), name, password, code, now=at)


def test_an_empty_database_has_no_account_and_asks_for_the_first_administrator(empty_db):
    assert users.needs_first_admin(empty_db.uow()) is True

    first = users.create_first_admin(empty_db.uow(), "sys", "系统管理员甲", PASSWORD)

    assert (first.role, first.must_change_password) == ("系统管理员", False)
    assert users.needs_first_admin(empty_db.uow()) is False
    with pytest.raises(Conflict, match="首个管理员只能在没有任何账号时创建"):
        users.create_first_admin(empty_db.uow(), "intruder", "冒名者", PASSWORD)
    assert [u.username for u in users.list_users(empty_db.uow(), CLI)] == ["sys"]
    assert audit_rows(empty_db)[-1].event == "创建首个管理员"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab#1234", "密码至少 8 位，当前 7 位"),
        ("abcdefgh1", "至少 3 类"),
        ("zhang#Pass1", "密码不能包含用户名"),
    ],
)
def test_a_weak_password_is_refused_with_the_rule_it_breaks(empty_db, password, message):
    with pytest.raises(InvalidInput, match=message):
        users.add_user(empty_db.uow(), CLI, "zhang", "张评价", "评价人员", password)
    assert users.list_users(empty_db.uow(), CLI) == []


def test_passwords_are_stored_as_argon2_hashes_never_as_text(empty_db):
    add_accounts(empty_db, EVALUATOR)
    with empty_db.uow() as uow:
        stored = uow.users.get("zhang").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_good_login_returns_a_session_and_is_audited(empty_db):
    add_accounts(empty_db, EVALUATOR)
    session = login(empty_db)

    assert (session.username, session.role, session.idle_timeout_minutes) == ("zhang", "评价人员", 30)
    assert session.must_change_password  # the administrator chose this password
    last = audit_rows(empty_db)[-1]
    assert (last.event, last.username, last.role, last.result) == ("登录", "zhang", "评价人员", "成功")


def test_a_wrong_password_and_an_unknown_name_say_the_same_thing_and_both_are_audited(empty_db):
    add_accounts(empty_db, EVALUATOR)
    with pytest.raises(InvalidInput) as wrong:
        login(empty_db, "Wrong#pass1")
    with pytest.raises(InvalidInput) as unknown:
        login(empty_db, name="nobody")

    assert str(wrong.value) == str(unknown.value) == "用户名或密码错误"
    failures = [r for r in audit_rows(empty_db) if r.event == "登录"]
    assert [(r.username, r.result, r.detail) for r in failures] == [
        ("zhang", "失败", "密码错误（15 分钟内第 1 次）"),
        ("nobody", "失败", "用户名不存在"),
    ]


def test_five_failures_lock_the_account_for_fifteen_minutes_even_for_the_right_password(empty_db):
    add_accounts(empty_db, EVALUATOR)
    for i in range(5):  # a wrong password never tells whether the name exists or is locked
        with pytest.raises(InvalidInput, match=r"^用户名或密码错误$"):
            login(empty_db, "Wrong#pass1", at=T0 + timedelta(minutes=i))
    with pytest.raises(InvalidInput, match=r"^用户名或密码错误$"):
        login(empty_db, "Wrong#pass1", at=T0 + timedelta(minutes=5))

    with pytest.raises(Forbidden, match="连续 5 次登录失败，账号已锁定 15 分钟"):
        login(empty_db, at=T0 + timedelta(minutes=18))
    session = login(empty_db, at=T0 + timedelta(minutes=19, seconds=1))

    assert session.username == "zhang"
    details = [r.detail for r in audit_rows(empty_db) if r.event == "登录"]
    assert details[4].startswith("密码错误（15 分钟内第 5 次），账号锁定至")
    assert details[5] == details[6] == "账号锁定期间尝试登录"


def test_failures_older_than_the_lockout_period_no_longer_count(empty_db):
    add_accounts(empty_db, EVALUATOR)
    for day in range(4):  # four failures over four months
        with pytest.raises(InvalidInput):
            login(empty_db, "Wrong#pass1", at=T0 + timedelta(days=30 * day))
    with pytest.raises(InvalidInput, match="用户名或密码错误"):
        login(empty_db, "Wrong#pass1", at=T0 + timedelta(days=121))
    assert login(empty_db, at=T0 + timedelta(days=121, minutes=1)).username == "zhang"  # not locked


def test_a_success_clears_the_failure_count(empty_db):
    add_accounts(empty_db, EVALUATOR)
    for i in range(4):
        with pytest.raises(InvalidInput):
            login(empty_db, "Wrong#pass1", at=T0 + timedelta(minutes=i))
    login(empty_db, at=T0 + timedelta(minutes=5))
    with pytest.raises(InvalidInput, match="用户名或密码错误"):  # counting starts again: not locked
        login(empty_db, "Wrong#pass1", at=T0 + timedelta(minutes=6))


def test_an_administrator_unlocks_and_a_disabled_account_cannot_sign_in(empty_db):
    add_accounts(empty_db, EVALUATOR, SYSADMIN)
    for i in range(5):
        with pytest.raises((InvalidInput, Forbidden)):
            login(empty_db, "Wrong#pass1", at=T0 + timedelta(seconds=i))
    users.unlock(empty_db.uow(), SYSADMIN, "zhang")
    assert login(empty_db, at=T0 + timedelta(minutes=1)).username == "zhang"

    users.set_active(empty_db.uow(), SYSADMIN, "zhang", False)
    with pytest.raises(Forbidden, match="账号已停用，请联系系统管理员"):
        login(empty_db)


def test_the_last_user_administrator_cannot_be_disabled_or_disable_themselves(empty_db):
    add_accounts(empty_db, SYSADMIN, SECADMIN)
    with pytest.raises(Forbidden, match="不能在网页中停用"):
        users.set_active(empty_db.uow(), SYSADMIN, "sys", False)
    with pytest.raises(Conflict, match="唯一启用的系统管理员"):
        users.set_active(empty_db.uow(), CLI, "sys", False, confirmed_by=SECADMIN)


def test_totp_is_asked_for_after_the_password_and_a_wrong_code_counts_as_a_failure(empty_db):
    add_accounts(empty_db, EVALUATOR)
    setup = users.start_totp(EVALUATOR)
    with pytest.raises(InvalidInput, match="动态验证码不正确"):
        users.enable_totp(empty_db.uow(), EVALUATOR, setup.secret, "000000")
    users.enable_totp(empty_db.uow(), EVALUATOR, setup.secret, pyotp.TOTP(setup.secret).now())

    with pytest.raises(auth.SecondFactorRequired, match="请输入验证器当前显示的 6 位数字"):
        auth.login(empty_db.uow(), "zhang", PASSWORD)
    wrong = "111111" if pyotp.TOTP(setup.secret).now() != "111111" else "222222"
    with pytest.raises(InvalidInput, match="动态验证码不正确"):
        auth.login(empty_db.uow(), "zhang", PASSWORD, wrong)
    session = auth.login(empty_db.uow(), "zhang", PASSWORD, pyotp.TOTP(setup.secret).now())

    assert session.username == "zhang"
    assert "otpauth://totp/" in setup.uri and "zhang" in setup.uri
    with empty_db.uow() as uow:
        assert uow.users.get("zhang").failed_logins == ()  # the success cleared the wrong code


def test_the_totp_secret_is_stored_sealed_and_another_servers_key_gets_a_clear_message(empty_db, monkeypatch):
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "server-a-key-0123456789abcdef0123-ABCDEFGHIJK")
    add_accounts(empty_db, EVALUATOR, SYSADMIN)
    setup = users.start_totp(EVALUATOR)
    users.enable_totp(empty_db.uow(), EVALUATOR, setup.secret, pyotp.TOTP(setup.secret).now())
    with empty_db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT totp_secret FROM users WHERE username = 'zhang'")).scalar()
    assert stored.startswith("sm4gcm1$") and setup.secret not in stored
    assert auth.login(empty_db.uow(), "zhang", PASSWORD, pyotp.TOTP(setup.secret).now()).username == "zhang"

    monkeypatch.setenv(
        "WORKBENCH_SECRET_KEY", "server-b-key-0123456789abcdef0123-ABCDEFGHIJK"
    )  # a backup restored elsewhere
    with pytest.raises(Forbidden, match="验证器密钥是用另一把服务器密钥加密的"):
        auth.login(empty_db.uow(), "zhang", PASSWORD, pyotp.TOTP(setup.secret).now())
    assert audit_rows(empty_db)[-1].detail.startswith("动态验证码密钥无法解密")

    users.disable_totp(empty_db.uow(), SYSADMIN, "zhang")  # what the message tells the administrator to do
    assert auth.login(empty_db.uow(), "zhang", PASSWORD).username == "zhang"


def test_changing_ones_own_password_checks_the_old_one_and_the_rule(empty_db):
    add_accounts(empty_db, EVALUATOR)
    with pytest.raises(InvalidInput, match="原密码不正确"):
        users.change_password(empty_db.uow(), EVALUATOR, "Wrong#pass1", "New#Pass2024")
    with pytest.raises(InvalidInput, match="密码至少 8 位"):
        users.change_password(empty_db.uow(), EVALUATOR, PASSWORD, "N#1a")

    changed = users.change_password(empty_db.uow(), EVALUATOR, PASSWORD, "New#Pass2024")

    assert changed.must_change_password is False
    assert login(empty_db, "New#Pass2024").must_change_password is False
    with pytest.raises(InvalidInput):
        login(empty_db)


def test_a_password_older_than_the_policy_allows_must_be_changed(empty_db):
    add_accounts(empty_db, EVALUATOR)
    users.change_password(empty_db.uow(), EVALUATOR, PASSWORD, "New#Pass2024")
    later = datetime.now(UTC) + timedelta(days=91)
    session = auth.login(empty_db.uow(), "zhang", "New#Pass2024", now=later)
    assert session.change_reason == "密码已超过 90 天未更换，请修改密码"


def test_the_login_token_survives_a_reload_until_the_idle_timeout(empty_db):
    add_accounts(empty_db, EVALUATOR)
    session = login(empty_db)
    token = auth.login_token(empty_db.uow(), session, key=KEY, now=T0)

    resumed = auth.resume(empty_db.uow(), token, key=KEY, now=T0 + timedelta(minutes=29))
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert (resumed.username, resumed.role) == ("zhang", "评价人员")
    with pytest.raises(auth.SessionEnded, match="登录已失效"):
        auth.resume(empty_db.uow(), token, key=KEY, now=T0 + timedelta(minutes=31))
    with pytest.raises(auth.SessionEnded):
        auth.resume(empty_db.uow(), token, key="another-key", now=T0)
    with pytest.raises(auth.SessionEnded):
        auth.resume(empty_db.uow(), tampered, key=KEY, now=T0)


def test_a_password_change_or_a_disabled_account_voids_earlier_tokens(empty_db):
    add_accounts(empty_db, EVALUATOR, SYSADMIN)
    token = auth.login_token(empty_db.uow(), login(empty_db), key=KEY, now=T0)
    users.reset_password(empty_db.uow(), SYSADMIN, "zhang", "Reset#2024x")
    with pytest.raises(auth.SessionEnded):
        auth.resume(empty_db.uow(), token, key=KEY, now=T0)

    fresh = auth.login_token(empty_db.uow(), login(empty_db, "Reset#2024x"), key=KEY, now=T0)
    users.set_active(empty_db.uow(), SYSADMIN, "zhang", False)
    with pytest.raises(auth.SessionEnded, match="登录已失效"):
        auth.resume(empty_db.uow(), fresh, key=KEY, now=T0)


def test_an_idle_session_ends_with_an_audit_record_and_an_active_one_is_refreshed(empty_db):
    add_accounts(empty_db, EVALUATOR)
    session = login(empty_db)

    assert auth.is_idle(session, T0 + timedelta(minutes=31))
    kept = auth.check_session(empty_db.uow(), session, now=T0 + timedelta(minutes=20))
    assert kept.last_seen == T0 + timedelta(minutes=20)
    with pytest.raises(auth.SessionEnded, match="超过 30 分钟未操作，已自动退出，请重新登录"):
        auth.check_session(empty_db.uow(), kept, now=T0 + timedelta(minutes=51))
    last = audit_rows(empty_db)[-1]
    assert (last.event, last.username, last.detail) == ("会话结束", "zhang", "超过 30 分钟未操作，已自动退出")


def test_disabling_an_account_ends_its_open_session_at_the_next_request(empty_db):
    add_accounts(empty_db, EVALUATOR, SYSADMIN)
    session = login(empty_db)
    users.set_active(empty_db.uow(), SYSADMIN, "zhang", False)
    with pytest.raises(auth.SessionEnded, match="账号已停用"):
        auth.check_session(empty_db.uow(), session, now=T0 + timedelta(minutes=1))


def test_the_check_each_page_makes_reads_the_role_as_it_is_now_with_its_permissions(empty_db):
    add_accounts(empty_db, EVALUATOR, SYSADMIN)
    session = login(empty_db)
    kept, held = auth.check_session_and_permissions(empty_db.uow(), session, now=T0 + timedelta(minutes=1))
    assert kept.role == "评价人员" and "evaluation.score" in held

    zhang = next(u for u in users.list_users(empty_db.uow(), SYSADMIN) if u.username == "zhang")
    users.update_user(empty_db.uow(), SECADMIN, "zhang", {"role": "领导"}, zhang.version)
    with pytest.raises(auth.SessionEnded, match="角色已变更"):
        auth.check_session_and_permissions(empty_db.uow(), kept, now=T0 + timedelta(minutes=2))

    kept, held = auth.check_session_and_permissions(empty_db.uow(), login(empty_db), now=T0)
    assert kept.role == "领导" and "dashboard.view" in held and "evaluation.score" not in held


def test_logout_is_audited(empty_db):
    add_accounts(empty_db, EVALUATOR)
    auth.logout(empty_db.uow(), login(empty_db))
    assert audit_rows(empty_db)[-1].event == "退出登录"


def test_a_user_change_is_audited_with_before_and_after_but_never_the_password(empty_db):
    add_accounts(empty_db, EVALUATOR, SYSADMIN, SECADMIN)
    version = next(u.version for u in users.list_users(empty_db.uow(), SYSADMIN) if u.username == "zhang")
    users.update_user(empty_db.uow(), SECADMIN, "zhang", {"role": "复核人"}, version)
    users.reset_password(empty_db.uow(), SYSADMIN, "zhang", "Reset#2024x")

    changed, reset = [r for r in audit_rows(empty_db) if r.event in ("修改用户", "重置密码")][-2:]
    assert (changed.event, changed.before["role"], changed.after["role"]) == (
        "修改用户",
        "评价人员",
        "复核人",
    )
    assert reset.event == "重置密码"
    text = str([(r.before, r.after, r.detail) for r in audit_rows(empty_db)])
    assert "Reset#2024x" not in text and PASSWORD not in text and "argon2" not in text


def test_reserved_and_malformed_usernames_are_refused(empty_db):
    for name in ("admin", "system", "a", "张三", "../x"):
        with pytest.raises(InvalidInput, match="用户名"):
            users.add_user(empty_db.uow(), CLI, name, "某人", "评价人员", PASSWORD)
