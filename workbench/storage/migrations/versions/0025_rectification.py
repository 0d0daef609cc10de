"""The 整改台账: rectification items, and the permissions to view, report, manage and close them.

Revision ID: 0025_rectification
Revises: 0024_cookie_nonces
Create Date: 2026-12-07

``rectification_items``: one row per 整改 item (a problem found by one year's evaluation,
followed up in the next); status and deadline are columns for querying, the rest a document.
A new table.  Roles still holding exactly the permissions an earlier release shipped get the
new 整改 permissions (评价人员: view, manage, close; 复核人 and 领导: view; 项目单位: view,
report); a role table the 安全管理员 has edited is left as it is.  A 财政部门 role (the
finance bureau: reads results and the 台账, and 销号) is added unless a role of that name exists.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0025_rectification"
down_revision: str | Sequence[str] | None = "0024_cookie_nonces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHIPPED = {
    "评价人员": [
        "evaluation.view", "evaluation.create", "evaluation.score", "evaluation.findings", "evaluation.report",
        "evidence.view", "evidence.upload", "selfeval.view", "panel.score", "workflow.submit", "dashboard.view",
    ],
    "复核人": [
        "evaluation.view", "evaluation.report", "evidence.view", "selfeval.view", "workflow.return",
        "workflow.review", "workflow.finalize", "workflow.reopen", "dashboard.view",
    ],
    "项目单位": ["evaluation.view", "evidence.view", "evidence.upload", "selfeval.view", "selfeval.submit"],
    "领导": ["evaluation.view", "evaluation.report", "dashboard.view"],
}  # fmt: skip
ADDED = {
    "评价人员": ["rectification.view", "rectification.manage", "rectification.close"],
    "复核人": ["rectification.view"],
    "项目单位": ["rectification.view", "rectification.report"],
    "领导": ["rectification.view"],
}
BUREAU = "财政部门"
BUREAU_PERMISSIONS = [
    "evaluation.view", "evaluation.report", "dashboard.view", "rectification.view", "rectification.close",
]  # fmt: skip
ROLES = sa.table(
    "roles",
    sa.column("name"),
    sa.column("position"),
    sa.column("scope"),
    sa.column("created_at"),
    sa.column("created_by"),
    sa.column("permissions", sa.JSON),
    sa.column("version"),
    sa.column("updated_at"),
    sa.column("updated_by"),
)


def _swap(name: str, before: list[str], after: list[str]) -> None:
    bind = op.get_bind()
    row = bind.execute(sa.select(ROLES.c.permissions, ROLES.c.version).where(ROLES.c.name == name)).first()
    if row is None or sorted(row.permissions) != sorted(before):
        return
    bind.execute(
        ROLES.update()
        .where(ROLES.c.name == name)
        .values(permissions=after, version=row.version + 1, updated_at=datetime.now(UTC), updated_by="system")
    )


def _add_bureau() -> None:
    bind = op.get_bind()
    if bind.execute(sa.select(ROLES.c.name).where(ROLES.c.name == BUREAU)).first() is not None:
        return
    if bind.execute(sa.select(sa.func.count()).select_from(ROLES)).scalar() == 0:
        return  # a database not seeded yet: the first start writes the shipped table, this role in it
    last = bind.execute(sa.select(sa.func.max(ROLES.c.position))).scalar() or 0
    now = datetime.now(UTC)
    bind.execute(
        ROLES.insert().values(
            name=BUREAU,
            position=last + 1,
            scope="all",
            permissions=BUREAU_PERMISSIONS,
            version=1,
            created_at=now,
            created_by="system",
            updated_at=now,
            updated_by="system",
        )
    )


def upgrade() -> None:
    op.create_table(
        "rectification_items",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("source_evaluation_id", sa.String(), nullable=False),
        sa.Column("evaluation_id", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_rectification_items_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["source_evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_rectification_items_source_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_rectification_items_evaluation_id_evaluations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_items")),
    )
    for column in ("project_id", "source_evaluation_id", "evaluation_id"):
        op.create_index(op.f(f"ix_rectification_items_{column}"), "rectification_items", [column])
    for name, before in SHIPPED.items():
        _swap(name, before, before + ADDED[name])
    _add_bureau()


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(ROLES.delete().where(ROLES.c.name == BUREAU, ROLES.c.version == 1))
    for name, before in SHIPPED.items():
        _swap(name, before + ADDED[name], before)
    op.drop_table("rectification_items")
