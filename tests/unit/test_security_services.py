"""Pure parts of the security services: signed tokens, the signing key, audit values that hash the
same after storage, and the command line's fixed powers (on the in-memory unit of work)."""

from __future__ import annotations

import base64
import stat
from decimal import Decimal as D

import pytest
from service_fakes import EVALUATOR, FULL, stocked_uow

from workbench.domain.audit import AuditRecord, record_hash, seal
from workbench.errors import Forbidden
from workbench.security import tokens
from workbench.services import evaluations
from workbench.services.access import SYSTEM_POWERS
from workbench.services.actors import SYSTEM
from workbench.services.trail import plain
from workbench.storage.engine import dumps, loads


def test_a_token_lives_for_its_max_age_and_a_forged_one_is_refused():
    token = tokens.sign({"u": "zhang", "p": "abc"}, "key", at=1_000_000)

    assert tokens.unsign(token, "key", 1800, at=1_000_000 + 1800) == {"u": "zhang", "p": "abc"}
    assert tokens.unsign(token, "key", 1800, at=1_000_000 + 1801) is None
    assert tokens.unsign(token, "other key", 1800, at=1_000_000) is None
    payload, stamp, signature = token.split(".")
    forged = base64.urlsafe_b64encode(b'{"u":"admin","p":"abc"}').decode().rstrip("=")
    assert tokens.unsign(f"{forged}.{stamp}.{signature}", "key", 1800, at=1_000_000) is None
    assert tokens.unsign(f"{payload}.{stamp}.{signature}", "key", 1800, at=1_000_000) is not None
    assert tokens.unsign("", "key", 1800) is None


def test_the_key_file_is_made_once_with_owner_only_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv(tokens.ENV_KEY, raising=False)
    path = tmp_path / "data" / "secret.key"

    first, second = tokens.secret_key(path), tokens.secret_key(path)

    assert first == second and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shared = "shared-by-every-server-Q7f3kZ9xLm2pR8sT4vW6yB1cD"
    monkeypatch.setenv(tokens.ENV_KEY, shared)
    assert tokens.secret_key(path) == shared


def test_a_key_file_made_on_first_start_is_never_refused_as_weak(tmp_path, monkeypatch):
    monkeypatch.delenv(tokens.ENV_KEY, raising=False)
    # 64 hex digits lacked one of the 16 kinds about one time in four; 40 starts would show it
    made = [tokens.secret_key(tmp_path / str(n) / "secret.key") for n in range(40)]

    assert all(tokens.checked_key(key, "新密钥") == key for key in made)


@pytest.mark.parametrize("weak", ["x", "secret", "a" * 64, "0123456789abcdef0123456789abcdef012345678"])
def test_a_weak_secret_key_is_refused_with_the_minimum_named(tmp_path, monkeypatch, weak):
    monkeypatch.setenv(tokens.ENV_KEY, weak)
    with pytest.raises(tokens.WeakSecretKey, match="至少须 43 个字符"):
        tokens.secret_key(tmp_path / "secret.key")


def test_an_audit_record_with_decimals_hashes_the_same_after_a_database_round_trip():
    before = plain({"deductions": [{"points": D("1.50"), "reason": "人员不足"}], "total": D("83")})
    record = seal(
        AuditRecord(
            1,
            "2025-01-01T00:00:00.000000+00:00",
            "zhang",
            "评价人员",
            "保存评分",
            "评价 e",
            before,
            None,
            "成功",
            "",
            "0" * 64,
        ),
        b"k" * 32,
    )

    stored = loads(dumps(record.content()))  # the JSON columns' own serialiser

    assert before == {"deductions": [{"points": "1.50", "reason": "人员不足"}], "total": "83"}
    assert record_hash(AuditRecord(**stored, hash=record.hash), b"k" * 32) == record.hash


def test_the_command_line_may_read_and_import_but_never_score():
    uow = stocked_uow(FULL)
    assert evaluations.get_case(uow, SYSTEM, "e").scorecard.total == D("100.00")
    with pytest.raises(Forbidden, match="角色“系统”无权评分"):
        evaluations.save_score(uow, SYSTEM, "e", "A1", {}, 1)
    assert uow.state.audit[-1].event == "越权操作"
    assert {"evaluation.score", "evaluation.findings", "roles.manage"}.isdisjoint(SYSTEM_POWERS)
    assert evaluations.get_case(uow, EVALUATOR, "e").versions.of_score("A1") == 1
