"""Who acts in the tests: one person per role of the shipped role table, and the command line."""

from __future__ import annotations

from workbench.services import evaluations, review
from workbench.services.actors import Actor
from workbench.storage.uow import Database

YIYANG = "yiyang-smart-brain-2018-eval"
YIYANG_PROJECT = "yiyang-smart-brain-2018"

EVALUATOR = Actor("zhang", "张评价", "评价人员")
REVIEWER = Actor("wang", "王复核", "复核人")
EXPERT = Actor("zhao", "赵专家", "专家")
UNIT = Actor("yiyang-unit", "益阳市数据资源管理局", "项目单位")
LEADER = Actor("chen", "陈局长", "领导")
SYSADMIN = Actor("sys", "系统管理员甲", "系统管理员")
SECADMIN = Actor("sec", "安全管理员乙", "安全管理员")
AUDITOR = Actor("aud", "审计管理员丙", "审计管理员")
CLI = Actor("cli:ops", "命令行用户 ops", "系统")

BY_ROLE = {a.role: a for a in (EVALUATOR, REVIEWER, EXPERT, UNIT, LEADER, SYSADMIN, SECADMIN, AUDITOR, CLI)}


def reopen(db: Database, evaluation_id: str = YIYANG, reason: str = "补充评分依据") -> None:
    """A reviewer reopens a 定稿 evaluation (the Yiyang case is stored 定稿) so it can be edited."""
    version = evaluations.get_case(db.uow(), REVIEWER, evaluation_id).versions.evaluation.version
    review.advance(
        db.uow(), REVIEWER, evaluation_id, "workflow.reopen", reason=reason, expected_version=version
    )


PASSWORD = "Wb#2024-pass"  # meets the policy: 12 characters of 4 classes


def add_accounts(db: Database, *actors: Actor, projects: tuple[str, ...] = (YIYANG_PROJECT,)) -> None:
    """Store accounts for ``actors`` (password ``PASSWORD``), as the 系统管理员 would; a
    项目单位 account reaches ``projects``."""
    from workbench.services import users

    for actor in actors:
        own = projects if actor.role == "项目单位" else ()
        users.add_user(db.uow(), CLI, actor.username, actor.display_name, actor.role, PASSWORD, projects=own)


def audit_rows(db: Database) -> list:
    """Every audit record, oldest first (read as the command line may)."""
    from workbench.services import audit

    page = audit.query_audit(db.uow(), CLI, limit=1000, record_view=False)
    return list(reversed(page.records))


def copy_database(prepared, tmp_path):
    """A database copied from a folder prepared once per module (fast per-test isolation)."""
    import shutil

    from workbench.storage.uow import open_database

    shutil.copytree(prepared, tmp_path / "db")
    return open_database(f"sqlite:///{tmp_path / 'db' / 'workbench.db'}")


def assert_role_decision(db, actor, call, allowed, tmp_path) -> None:
    """``call`` succeeds when the actor's role is ``allowed``; otherwise it is refused in Chinese
    and the refusal is the one new audit record (越权操作, 失败) under the actor's name."""
    import pytest

    from workbench.errors import Forbidden

    before = len(audit_rows(db))
    if actor.role in allowed:
        call(db, actor, tmp_path)
        return
    with pytest.raises(Forbidden) as refused:
        call(db, actor, tmp_path)
    assert "无权" in str(refused.value)
    records = audit_rows(db)
    assert len(records) == before + 1
    assert (records[-1].username, records[-1].event, records[-1].result) == (
        actor.username,
        "越权操作",
        "失败",
    )
