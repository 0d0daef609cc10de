"""Every service, called as every role: the stored role table allows or refuses it inside the
service, whatever a page shows or hides.  A refusal is a ``Forbidden`` with a Chinese message,
changes nothing, and leaves a 越权操作 record in the audit log.

Each call runs on its own copy of one prepared SQLite database (accounts for every role, the
Yiyang case in each workflow state, an evidence file, a second unit's project, a backup), so an
allowed change never leaks into the next case.  Storage behaviour on PostgreSQL is covered by
the other storage tests; who may do what does not depend on the backend.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from actors import (
    BY_ROLE,
    CLI,
    EVALUATOR,
    REVIEWER,
    SYSADMIN,
    UNIT,
    YIYANG,
    YIYANG_PROJECT,
    add_accounts,
    assert_role_decision,
    audit_rows,
)

from workbench.bootstrap import ensure_database
from workbench.errors import Forbidden, InvalidInput
from workbench.services import (
    admin,
    audit,
    backup,
    cases,
    catalog,
    evaluations,
    evidence,
    findings,
    review,
    users,
)
from workbench.services.actors import Actor
from workbench.services.ports import AuditFilter
from workbench.storage.uow import Database

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OPEN, SUBMITTED, REVIEWED, FINAL, OTHER = YIYANG, "e-submitted", "e-reviewed", "e-final", "e-other"

ALL = frozenset(BY_ROLE)
VIEW = frozenset({"评价人员", "复核人", "专家", "项目单位", "领导", "系统"})
OTHER_UNITS_PROJECT = VIEW - {"项目单位"}
REPORT = frozenset({"评价人员", "复核人", "领导", "系统"})
SCORE = frozenset({"评价人员"})
CREATE = frozenset({"评价人员", "系统"})
EVIDENCE_VIEW = frozenset({"评价人员", "复核人", "专家", "项目单位"})
EVIDENCE_UPLOAD = frozenset({"评价人员", "项目单位"})
REVIEW = frozenset({"复核人"})
USERS = frozenset({"系统管理员", "系统"})
SECURITY = frozenset({"安全管理员"})
ACCOUNTS_LIST = USERS | SECURITY  # the 安全管理员 sees the accounts to assign their roles
AUDIT = frozenset({"审计管理员", "系统"})
AUDIT_EXPORT = frozenset({"审计管理员"})  # the command line must sign in as an auditor to export
BACKUP = frozenset({"系统管理员", "系统"})


def _version(db: Database, evaluation_id: str) -> int:
    return evaluations.get_case(db.uow(), CLI, evaluation_id).versions


def _header(db: Database, evaluation_id: str) -> int:
    return evaluations.get_case(db.uow(), CLI, evaluation_id).versions.evaluation.version


def _user_version(db: Database, username: str) -> int:
    return next(u.version for u in users.list_users(db.uow(), CLI) if u.username == username)


def _role_version(db: Database, name: str) -> int:
    with db.uow() as uow:
        return uow.roles.with_versions().versions[name]


def _policy_version(db: Database) -> int:
    with db.uow() as uow:
        return uow.settings.get().version


Call = Callable[[Database, Any, Path], Any]
E = "evaluation.yaml"
CASES: list[tuple[str, Call, frozenset[str]]] = [
    # evaluations
    ("list_evaluations", lambda db, a, t: evaluations.list_evaluations(db.uow(), a), VIEW),
    ("get_case", lambda db, a, t: evaluations.get_case(db.uow(), a, OPEN), VIEW),
    (
        "get_case of another unit's project",
        lambda db, a, t: evaluations.get_case(db.uow(), a, OTHER),
        OTHER_UNITS_PROJECT,
    ),
    ("scorecard", lambda db, a, t: evaluations.scorecard(db.uow(), a, OPEN), VIEW),
    ("report_case", lambda db, a, t: evaluations.report_case(db.uow(), a, OPEN), REPORT),
    (
        "save_score",
        lambda db, a, t: evaluations.save_score(
            db.uow(), a, OPEN, "B21", {"deductions": []}, _version(db, OPEN).of_score("B21")
        ),
        SCORE,
    ),
    (
        "clear_score",
        lambda db, a, t: evaluations.clear_score(
            db.uow(), a, OPEN, "B21", _version(db, OPEN).of_score("B21")
        ),
        SCORE,
    ),
    (
        "update_header",
        lambda db, a, t: evaluations.update_header(db.uow(), a, OPEN, {"title": "新标题"}, _header(db, OPEN)),
        SCORE,
    ),
    # findings and recommendations
    ("add_finding", lambda db, a, t: findings.add_finding(db.uow(), a, OPEN, {"title": "新问题"}), SCORE),
    (
        "update_finding",
        lambda db, a, t: findings.update_finding(
            db.uow(), a, OPEN, {"id": "F1", "title": "改"}, _version(db, OPEN).of_item("findings", "F1")
        ),
        SCORE,
    ),
    ("move_finding", lambda db, a, t: findings.move_finding(db.uow(), a, OPEN, "F2", 0), SCORE),
    (
        "add_recommendation",
        lambda db, a, t: findings.add_recommendation(db.uow(), a, OPEN, {"title": "新建议"}),
        SCORE,
    ),
    (
        "delete_recommendation",
        lambda db, a, t: findings.delete_recommendation(
            db.uow(), a, OPEN, "R1", _version(db, OPEN).of_item("recommendations", "R1")
        ),
        SCORE,
    ),
    # creating evaluations and catalogues
    ("copy_evaluation", lambda db, a, t: cases.copy_evaluation(db.uow(), a, OPEN, "copy"), CREATE),
    ("delete_evaluation", lambda db, a, t: cases.delete_evaluation(db.uow(), a, OTHER, 1), CREATE),
    (
        "new_evaluation",
        lambda db, a, t: cases.new_evaluation(
            db.uow(),
            a,
            {"name": "新项目", "year": 2025, "unit": {"name": "某局"}},
            "yiyang-2018",
            "excellent-good",
        ),
        CREATE,
    ),
    (
        "import_case",
        lambda db, a, t: cases.import_case(
            db.uow(), a, ROOT / "projects" / "yiyang-smart-brain-2018", evaluation_id="again"
        ),
        CREATE,
    ),
    ("export_case", lambda db, a, t: cases.export_case(db.uow(), a, OPEN, t / "out"), VIEW),
    ("list_systems", lambda db, a, t: catalog.list_systems(db.uow(), a), VIEW),
    ("get_system", lambda db, a, t: catalog.get_system(db.uow(), a, "yiyang-2018"), VIEW),
    ("list_band_sets", lambda db, a, t: catalog.list_band_sets(db.uow(), a), VIEW),
    (
        "import_system_file",
        lambda db, a, t: catalog.import_system_file(
            db.uow(), a, ROOT / "indicators" / "mof-2020-generic.yaml"
        ),
        CREATE,
    ),
    # workflow
    ("submit", lambda db, a, t: review.advance(db.uow(), a, OPEN, "workflow.submit"), SCORE),
    (
        "return",
        lambda db, a, t: review.advance(db.uow(), a, SUBMITTED, "workflow.return", reason="依据不足"),
        REVIEW,
    ),
    ("review", lambda db, a, t: review.advance(db.uow(), a, SUBMITTED, "workflow.review"), REVIEW),
    ("finalize", lambda db, a, t: review.advance(db.uow(), a, REVIEWED, "workflow.finalize"), REVIEW),
    (
        "reopen",
        lambda db, a, t: review.advance(db.uow(), a, FINAL, "workflow.reopen", reason="补充材料"),
        REVIEW,
    ),
    ("workflow history", lambda db, a, t: review.history(db.uow(), a, OPEN), VIEW),
    # evidence
    (
        "upload_evidence",
        lambda db, a, t: evidence.upload_evidence(db.uow(), a, OPEN, "B21", "合同.pdf", PDF),
        EVIDENCE_UPLOAD,
    ),
    ("list_evidence", lambda db, a, t: evidence.list_evidence(db.uow(), a, OPEN, "B21"), EVIDENCE_VIEW),
    ("read_evidence", lambda db, a, t: evidence.read_evidence(db.uow(), a, 1), EVIDENCE_VIEW),
    ("delete_evidence", lambda db, a, t: evidence.delete_evidence(db.uow(), a, 1), EVIDENCE_UPLOAD),
    # accounts
    ("list_users", lambda db, a, t: users.list_users(db.uow(), a), ACCOUNTS_LIST),
    (
        "add_user",
        lambda db, a, t: users.add_user(db.uow(), a, "newbie", "新人", "评价人员", "Nb#7kq-Lwz29"),
        USERS,
    ),
    (
        "update_user",
        lambda db, a, t: users.update_user(
            db.uow(), a, "zhang", {"display_name": "张三"}, _user_version(db, "zhang")
        ),
        USERS,
    ),
    ("disable a user", lambda db, a, t: users.set_active(db.uow(), a, "zhang", False), USERS),
    ("reset_password", lambda db, a, t: users.reset_password(db.uow(), a, "zhang", "Nb#7kq-Lwz29"), USERS),
    ("unlock", lambda db, a, t: users.unlock(db.uow(), a, "zhang"), USERS),
    (
        "change a business account's role",
        lambda db, a, t: users.update_user(db.uow(), a, "li", {"role": "复核人"}, _user_version(db, "li")),
        SECURITY,
    ),
    ("disable someone else's TOTP", lambda db, a, t: users.disable_totp(db.uow(), a, "li"), USERS),
    # role table and security settings
    ("role_table", lambda db, a, t: admin.role_table(db.uow(), a), SECURITY),
    (
        "save_role",
        lambda db, a, t: admin.save_role(
            db.uow(), a, {"name": "专家", "permissions": ["evaluation.view"]}, _role_version(db, "专家")
        ),
        SECURITY,
    ),
    (
        "delete_role",
        lambda db, a, t: admin.delete_role(db.uow(), a, "外聘顾问", _role_version(db, "外聘顾问")),
        SECURITY,
    ),
    ("security_settings", lambda db, a, t: admin.security_settings(db.uow(), a), SECURITY),
    (
        "save_security_settings",
        lambda db, a, t: admin.save_security_settings(db.uow(), a, {"min_length": 10}, _policy_version(db)),
        SECURITY,
    ),
    # audit log
    ("query_audit", lambda db, a, t: audit.query_audit(db.uow(), a, AuditFilter(event="登录")), AUDIT),
    ("audit_events", lambda db, a, t: audit.audit_events(db.uow(), a), AUDIT),
    ("verify_audit", lambda db, a, t: audit.verify_audit(db.uow(), a), AUDIT),
    ("export_audit", lambda db, a, t: audit.export_audit(db.uow(), a, "csv"), AUDIT_EXPORT),
    # backup
    ("create_backup", lambda db, a, t: backup.create_backup(db.uow(), a, t / "b.zip"), BACKUP),
    (
        "restore_backup",
        lambda db, a, t: backup.restore_backup(db.uow(), a, t / "db" / "prepared.zip"),
        BACKUP,
    ),
]


def _prepare(folder: Path) -> None:
    db = ensure_database(f"sqlite:///{folder / 'workbench.db'}")
    add_accounts(db, *(a for a in BY_ROLE.values() if a.role != "系统"), Actor("li", "李评价", "评价人员"))
    with db.uow() as uow:  # a role nobody holds, for delete_role
        from workbench.domain.permissions import Role

        uow.roles.save(Role(name="外聘顾问", permissions=["evaluation.view"]), 99, 0, CLI)
        uow.commit()
    for new_id, steps in (
        (SUBMITTED, ["workflow.submit"]),
        (REVIEWED, ["workflow.submit", "workflow.review"]),
        (FINAL, ["workflow.submit", "workflow.review", "workflow.finalize"]),
    ):
        cases.copy_evaluation(db.uow(), CLI, YIYANG, new_id)
        for step in steps:
            actor = EVALUATOR if step == "workflow.submit" else REVIEWER
            review.advance(db.uow(), actor, new_id, step)
    review.advance(db.uow(), REVIEWER, YIYANG, "workflow.reopen", reason="补充评分依据")
    other = {"id": "other-project", "name": "另一单位的项目", "year": 2024, "unit": {"name": "另一局"}}
    cases.new_evaluation(db.uow(), CLI, other, "yiyang-2018", "excellent-good", evaluation_id=OTHER)
    evidence.upload_evidence(db.uow(), UNIT, OPEN, "B21", "人员名单.pdf", PDF)
    backup.create_backup(db.uow(), SYSADMIN, folder / "prepared.zip")
    db.dispose()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("matrix")
    _prepare(folder)
    return folder


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("service", "call", "allowed"), CASES, ids=[c[0] for c in CASES])
def test_each_service_allows_exactly_the_roles_of_the_role_table(
    fresh, tmp_path, service, call, allowed, role
):
    assert_role_decision(fresh, BY_ROLE[role], call, allowed, tmp_path)


def test_a_project_unit_lists_only_its_own_projects_and_cannot_score(fresh):
    listed = {row.id for row in evaluations.list_evaluations(fresh.uow(), UNIT)}
    everything = {row.id for row in evaluations.list_evaluations(fresh.uow(), EVALUATOR)}

    assert OTHER in everything and OTHER not in listed
    assert listed == everything - {OTHER}
    with pytest.raises(Forbidden, match="角色“项目单位”无权评分"):
        evaluations.save_score(fresh.uow(), UNIT, OPEN, "B21", {"deductions": []}, 1)


def test_a_unit_account_without_projects_sees_nothing(fresh):
    users.update_user(fresh.uow(), CLI, UNIT.username, {"projects": []}, _user_version(fresh, UNIT.username))

    assert evaluations.list_evaluations(fresh.uow(), UNIT) == []
    with pytest.raises(Forbidden, match=f"无权访问项目“{YIYANG_PROJECT}”"):
        evaluations.get_case(fresh.uow(), UNIT, OPEN)


def test_a_role_taken_out_of_the_table_loses_its_powers_at_once(fresh):
    leader = BY_ROLE["领导"]
    version = _role_version(fresh, "领导")
    admin.save_role(
        fresh.uow(), BY_ROLE["安全管理员"], {"name": "领导", "permissions": ["dashboard.view"]}, version
    )

    with pytest.raises(Forbidden, match="角色“领导”无权查看评价"):
        evaluations.get_case(fresh.uow(), leader, OPEN)
    assert admin.my_permissions(fresh.uow(), leader) == frozenset({"dashboard.view"})


# --- administrator accounts (三员): nobody alone, in any role, changes another administrator -------

SECOND_AUDITOR = Actor("aud2", "审计管理员丁", "审计管理员")
ADMIN_ACCOUNT_CASES: list[tuple[str, Call]] = [
    (
        "create a second 审计管理员",
        lambda db, a, c: users.add_user(
            db.uow(), a, "aud2", "审计管理员丁", "审计管理员", "Nb#7kq-Lwz29", confirmed_by=c
        ),
    ),
    (
        "reset the 审计管理员's password",
        lambda db, a, c: users.reset_password(db.uow(), a, "aud", "Nb#7kq-Lwz29", confirmed_by=c),
    ),
    ("disable the 安全管理员", lambda db, a, c: users.set_active(db.uow(), a, "sec", False, confirmed_by=c)),
    (
        "turn off the 审计管理员's TOTP",
        lambda db, a, c: users.disable_totp(db.uow(), a, "aud", confirmed_by=c),
    ),
    (
        "demote the 审计管理员",
        lambda db, a, c: users.update_user(
            db.uow(), a, "aud", {"role": "评价人员"}, _user_version(db, "aud")
        ),
    ),
    (
        "make an evaluator a 系统管理员",
        lambda db, a, c: users.update_user(
            db.uow(), a, "li", {"role": "系统管理员"}, _user_version(db, "li")
        ),
    ),
]


def _accounts(db: Database) -> list[tuple[str, str, bool, str]]:
    with db.uow() as uow:
        return [(u.username, u.role, u.active, u.password_hash) for u in uow.users.all()]


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("what", "call"), ADMIN_ACCOUNT_CASES, ids=[c[0] for c in ADMIN_ACCOUNT_CASES])
def test_no_role_alone_creates_resets_disables_or_demotes_an_administrator(fresh, what, call, role):
    before = _accounts(fresh)
    own_totp = role == "审计管理员" and "TOTP" in what  # one's own: allowed, with the password
    with pytest.raises(InvalidInput if own_totp else Forbidden):
        call(fresh, BY_ROLE[role], None)
    assert _accounts(fresh) == before


@pytest.mark.parametrize(
    ("what", "call"), ADMIN_ACCOUNT_CASES[:3], ids=[c[0] for c in ADMIN_ACCOUNT_CASES[:3]]
)
def test_the_operator_acts_on_an_administrator_only_with_a_second_administrators_confirmation(
    fresh, what, call
):
    with pytest.raises(Forbidden, match="须由"):  # the 系统管理员 (often the operator himself) cannot confirm
        call(fresh, CLI, SYSADMIN)
    confirmer = BY_ROLE["安全管理员"] if "审计" in what else BY_ROLE["审计管理员"]

    call(fresh, CLI, confirmer)

    last = audit_rows(fresh)[-1]
    assert last.username == CLI.username and f"经{confirmer.role} {confirmer.username} 确认" in last.detail


def test_an_administrator_cannot_confirm_an_operation_on_their_own_role_or_account(fresh):
    with pytest.raises(Forbidden, match="须由安全管理员确认"):
        users.add_user(
            fresh.uow(),
            CLI,
            "aud2",
            "审计管理员丁",
            "审计管理员",
            "Nb#7kq-Lwz29",
            confirmed_by=BY_ROLE["审计管理员"],
        )
    with pytest.raises(Forbidden, match="确认人“ghost”不是启用中的安全管理员账号"):
        users.reset_password(
            fresh.uow(), CLI, "aud", "Nb#7kq-Lwz29", confirmed_by=Actor("ghost", "冒名", "安全管理员")
        )


def test_the_first_holder_of_an_administrator_role_is_created_by_the_operator_alone(empty_db):
    users.create_first_admin(empty_db.uow(), "sys", "系统管理员甲", "Nb#7kq-Lwz29")
    made = users.add_user(empty_db.uow(), CLI, "sec", "安全管理员乙", "安全管理员", "Nb#7kq-Lwz29")
    assert made.role == "安全管理员"
    assert "首个安全管理员账号" in audit_rows(empty_db)[-1].detail
    with pytest.raises(Forbidden, match="须由"):
        users.add_user(empty_db.uow(), CLI, "sec2", "安全管理员戊", "安全管理员", "Nb#7kq-Lwz29")
    with pytest.raises(Forbidden, match="不能在网页中创建"):
        users.add_user(empty_db.uow(), SYSADMIN, "aud", "审计管理员丙", "审计管理员", "Nb#7kq-Lwz29")


@pytest.mark.parametrize(
    ("name", "permissions", "message"),
    [
        (" 系统管理员", ["users.manage", "config.manage", "backup.run"], "不能含空格"),
        ("运维", ["users.manage", "config.manage", "backup.run"], "不能拥有管理员的权限"),
        ("超级复核", ["workflow.review", "audit.view"], "不能拥有管理员的权限"),
        ("审计管理员", ["audit.view", "audit.export", "users.manage"], "权限固定为"),
    ],
    ids=["leading space", "copy of the 系统管理员", "business plus audit", "widened 审计管理员"],
)
def test_no_role_may_combine_or_copy_administrator_powers(fresh, name, permissions, message):
    version = _role_version(fresh, name) if name == "审计管理员" else 0
    with pytest.raises(InvalidInput, match=message):
        admin.save_role(
            fresh.uow(),
            BY_ROLE["安全管理员"],
            {"name": name, "permissions": permissions, "scope": "none"},
            version,
        )
