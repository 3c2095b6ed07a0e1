"""lokaal-plan actions and their notes per period

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_plan_actions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("gemeente", sa.String(length=6), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_plan_actions")),
    )
    op.create_index(op.f("ix_report_plan_actions_gemeente"), "report_plan_actions", ["gemeente"],
                    unique=False)
    op.create_table(
        "report_plan_action_notes",
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("action_id", "period", name=op.f("pk_report_plan_action_notes")),
    )


def downgrade() -> None:
    op.drop_table("report_plan_action_notes")
    op.drop_index(op.f("ix_report_plan_actions_gemeente"), table_name="report_plan_actions")
    op.drop_table("report_plan_actions")
