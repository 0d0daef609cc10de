"""Passwords, lockout, TOTP, the audit hash chain and upload checks (pure logic)."""

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from workbench.domain.audit import GENESIS, Anchor, AuditRecord, seal, verify_chain
from workbench.errors import InvalidInput
from workbench.formats.evidence import check_upload, safe_name
from workbench.security import totp
from workbench.security.passwords import (
    PasswordPolicy,
    check_complexity,
    hash_password,
    locked_until,
    verify_password,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "至少 8 位"),
        ("abcdefgh1", "至少 3 类"),
        ("ABCDEFGH", "至少 3 类"),
        ("Zhang3!pass", "不能包含用户名"),
    ],
)
def test_weak_passwords_are_refused_with_the_rule(password, message):
    username = "zhang3" if "Zhang3" in password else ""
    with pytest.raises(InvalidInput, match=message):
        check_complexity(password, username=username)


@pytest.mark.parametrize("password", ["Nb#7kq-Lwz2", "qz7!vmt-kd", "评价Abc123xq"])
def test_uncommon_passwords_of_three_classes_and_eight_characters_pass(password):
    check_complexity(password)


@pytest.mark.parametrize("password", ["Password1", "P@ssw0rd", "Admin@123", "Qwer1234!", "Abcd1234!"])
def test_common_passwords_are_refused_though_they_have_three_classes(password):
    with pytest.raises(InvalidInput, match="过于常见或容易猜到"):
        check_complexity(password)


def test_hash_verifies_only_the_same_password_and_is_salted():
    stored = hash_password("Yiyang2018!")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "Yiyang2018!")
    assert not verify_password(stored, "yiyang2018!")
    assert hash_password("Yiyang2018!") != stored
    assert not verify_password("not-a-hash", "x")


def test_the_server_hashes_with_argon2s_recommended_cost_and_upgrades_a_cheaper_hash(cheap_password_hashes):
    from argon2.profiles import RFC_9106_LOW_MEMORY

    server = cheap_password_hashes()  # the tests' own accounts hash cheaply (tests/conftest.py)
    assert (server.time_cost, server.memory_cost, server.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism,
    )
    assert server.check_needs_rehash(hash_password("Yiyang2018!"))  # rehashed at the next sign-in


def test_five_failures_lock_the_account_for_fifteen_minutes():
    fails = [NOW - timedelta(minutes=m) for m in (4, 3, 2, 1, 0)]
    assert locked_until(fails[:4], NOW) is None
    assert locked_until(fails, NOW) == NOW + timedelta(minutes=15)
    assert locked_until(fails, NOW + timedelta(minutes=15)) is None


def test_lockout_figures_come_from_the_policy():
    policy = PasswordPolicy(max_failures=3, lockout_minutes=30)
    fails = [NOW, NOW, NOW]
    assert locked_until(fails, NOW, policy) == NOW + timedelta(minutes=30)


def test_totp_accepts_the_current_code_and_refuses_others():
    secret = totp.new_secret()
    assert totp.verify(secret, pyotp.TOTP(secret).now())
    assert not totp.verify(secret, "000000") or pyotp.TOTP(secret).now() == "000000"
    assert not totp.verify(secret, "abc")
    assert "issuer=" in totp.provisioning_uri(secret, "li.si")


KEY = b"k" * 32


def chain(n: int) -> list[AuditRecord]:
    out, prev = [], GENESIS
    for i in range(1, n + 1):
        rec = seal(
            AuditRecord(
                i,
                f"2026-11-25T09:0{i}:00+08:00",
                "li.si",
                "评价人员",
                "修改评分",
                f"指标 B{i}",
                {"得分": "4.00"},
                {"得分": "3.00"},
                "成功",
                "",
                prev,
            ),
            KEY,
        )
        out.append(rec)
        prev = rec.hash
    return out


def test_an_untouched_chain_verifies():
    report = verify_chain(chain(5), KEY)
    assert report.ok and report.checked == 5
    assert "共 5 条记录" in report.message


def test_an_altered_record_is_named_as_the_first_broken():
    records = chain(5)
    records[2] = replace(records[2], after={"得分": "4.00"})
    report = verify_chain(records, KEY)
    assert (report.ok, report.first_broken) == (False, 3)
    assert "第一条异常记录序号 3" in report.message


def test_a_deleted_record_breaks_the_chain_where_it_was():
    records = chain(5)
    del records[1]
    assert verify_chain(records, KEY).first_broken == 3


def test_a_chain_recomputed_without_the_key_does_not_verify():
    records = chain(5)
    del records[3]
    forged, prev = [], GENESIS
    for i, rec in enumerate(records, start=1):  # renumbered and re-hashed with a guessed key
        rec = seal(replace(rec, seq=i, prev_hash=prev), b"guess")
        forged.append(rec)
        prev = rec.hash
    report = verify_chain(forged, KEY)
    assert (report.ok, report.first_broken) == (False, 1)


def test_records_cut_off_the_end_or_all_deleted_are_found_against_the_anchor():
    records = chain(5)
    anchor = Anchor(5, records[-1].hash)
    assert verify_chain(records, KEY, anchor).ok
    cut = verify_chain(records[:3], KEY, anchor)
    assert not cut.ok and "数据库中只到第 3 条" in cut.message
    emptied = verify_chain([], KEY, anchor)
    assert not emptied.ok and "一条记录也没有" in emptied.message


def test_a_rewritten_chain_is_found_where_it_meets_the_anchor():
    records = chain(5)
    report = verify_chain(records, KEY, Anchor(4, "f" * 64))
    assert (report.ok, report.first_broken) == (False, 4)
    assert "链尾锚点不符" in report.message


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def _docx() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def test_a_docx_is_recognised_by_content_even_when_named_pdf():
    up = check_upload("合同.pdf", _docx())
    assert (up.extension, up.safe_name, up.kind_label) == ("docx", "合同.docx", "Word 文档")
    assert len(up.sha256) == 64


def test_an_executable_renamed_to_png_is_refused():
    with pytest.raises(InvalidInput, match="不支持的文件类型"):
        check_upload("照片.png", b"MZ\x90\x00" + b"\x00" * 100)


def test_an_oversized_file_is_refused_with_its_size():
    with pytest.raises(InvalidInput, match=r"文件大小 2\.0 MB，超过上限 1 MB"):
        check_upload("a.png", _png() + b"\x00" * (2 * 1048576 - len(_png())), max_bytes=1048576)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\system32\\a.png", "a.png"),
        ("现场照片\x00.exe.png", "现场照片_.exe.png"),
        ("...", "证据材料.png"),
        (".hidden.png", "hidden.png"),
    ],
)
def test_upload_names_are_sanitised(name, expected):
    assert safe_name(name, "png") == expected
