"""Revision 0002 on a database already in use (SQLite and PostgreSQL): the stored evaluations
stay, the role table and the password policy arrive, no account is created, the audit log is
append-only from the first record."""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa
from actors import CLI, PASSWORD, YIYANG
from alembic import command

from workbench.formats.cases import load_case
from workbench.security.passwords import PasswordPolicy
from workbench.security.roles import default_role_table
from workbench.services import admin, audit, auth, evaluations, users
from workbench.services.actors import SYSTEM
from workbench.services.cases import store_case
from workbench.storage import migrate
from workbench.storage.uow import open_database


def test_upgrading_a_database_in_use_keeps_its_cases_and_adds_roles_but_no_account(database_url, yiyang_dir):
    db = open_database(database_url)
    # A database of the first release holding a case: stored with today's tables, then taken
    # back to revision 0001 (each later revision's downgrade drops what it added).
    migrate.upgrade(db.engine)
    with db.uow() as uow:
        case = load_case(yiyang_dir)
        store_case(uow, SYSTEM, case, case.evaluation, str(yiyang_dir))
        uow.commit()
    with db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001_initial")
    assert migrate.current(db.engine) == "0001_initial"

    reached = migrate.upgrade(db.engine)

    assert reached == migrate.head()  # 0002_security and every revision after it
    assert f"{evaluations.scorecard(db.uow(), CLI, YIYANG).total}" == "83.00"
    with db.uow() as uow:
        assert uow.roles.table() == default_role_table()
    assert admin.password_policy(db.uow()) == PasswordPolicy()
    assert users.needs_first_admin(db.uow())
    report = audit.verify_audit(db.uow(), CLI)
    assert (report.ok, report.checked) == (True, 0)
    db.dispose()


def test_the_audit_triggers_exist_right_after_the_migration(empty_db):
    with empty_db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO audit_log (seq, at, username, role, event, object, result, detail, prev_hash, hash) "
            "VALUES (1, 't', 'u', 'r', 'e', 'o', '成功', '', 'p', 'h')"
        )
    with pytest.raises(sa.exc.DatabaseError, match="审计记录只能追加"), empty_db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log")


def test_upgrading_seals_totp_secrets_stored_in_plain_text_and_sign_in_still_works(empty_db, monkeypatch):
    monkeypatch.setenv("WORKBENCH_SECRET_KEY", "migration-test-key-0123456789abcdef-ABCDEFGHIJK")
    users.create_first_admin(empty_db.uow(), "root1", "管理员", PASSWORD)
    secret = pyotp.random_base32()
    with empty_db.engine.begin() as conn:  # as a release before sealing left it
        command.downgrade(migrate.alembic_config(conn), "0004_evaluation_etag")
        conn.execute(sa.text("UPDATE users SET totp_secret = :s WHERE username = 'root1'"), {"s": secret})

    migrate.upgrade(empty_db.engine)

    with empty_db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT totp_secret FROM users WHERE username = 'root1'")).scalar()
    assert stored.startswith("sm4gcm1$") and secret not in stored
    assert auth.login(empty_db.uow(), "root1", PASSWORD, pyotp.TOTP(secret).now()).username == "root1"


def _leader_permissions(db) -> set[str]:  # type: ignore[no-untyped-def]
    with db.uow() as uow:
        return set(next(r for r in uow.roles.table().roles if r.name == "领导").permissions)


def test_upgrading_takes_evidence_and_self_evaluation_from_a_leader_still_holding_the_old_defaults(empty_db):
    with empty_db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0019_user_preferences")
    old = {"evaluation.view", "evaluation.report", "evidence.view", "selfeval.view", "dashboard.view"}
    assert _leader_permissions(empty_db) == old

    migrate.upgrade(empty_db.engine)

    # (0025 then gives the shipped 领导 the 整改台账 to read)
    assert _leader_permissions(empty_db) == {
        "evaluation.view",
        "evaluation.report",
        "dashboard.view",
        "rectification.view",
    }


def test_upgrading_leaves_a_leader_role_the_security_administrator_changed(empty_db):
    with empty_db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0019_user_preferences")
        conn.execute(
            sa.text("UPDATE roles SET permissions = :p WHERE name = '领导'"),
            {"p": '["evaluation.view", "evidence.view", "dashboard.view"]'},
        )

    migrate.upgrade(empty_db.engine)

    assert _leader_permissions(empty_db) == {"evaluation.view", "evidence.view", "dashboard.view"}


def test_upgrading_gives_shipped_roles_the_rectification_permissions_and_leaves_an_edited_role(empty_db):
    with empty_db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0024_cookie_nonces")
        conn.execute(
            sa.text("UPDATE roles SET permissions = :p WHERE name = '复核人'"),
            {"p": '["evaluation.view", "workflow.review"]'},
        )

    migrate.upgrade(empty_db.engine)

    with empty_db.uow() as uow:
        held = {r.name: set(r.permissions) for r in uow.roles.table().roles}
    assert {"rectification.view", "rectification.report"} <= held["项目单位"]
    assert {"rectification.manage", "rectification.close"} <= held["评价人员"]
    assert held["复核人"] == {"evaluation.view", "workflow.review"}
    assert {"rectification.view", "rectification.close"} <= held["财政部门"]
